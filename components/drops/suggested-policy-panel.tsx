'use client';

import type { PolicySuggestion } from '../../lib/drops/suggested-policy';
import { useCopy } from '../flows-table/use-copy';

/** The CiliumNetworkPolicy that would allow the group's traffic, with what to check before applying it. */
export function SuggestedPolicyPanel({ suggestion }: { suggestion: PolicySuggestion }) {
  const [copy, copyText] = useCopy();
  return (
    <section className="drop-section" aria-labelledby="suggested-policy-heading">
      <h2 id="suggested-policy-heading">Suggested policy</h2>
      {suggestion.kind === 'none' ? (
        <p>{suggestion.reason}</p>
      ) : (
        <>
          <p>
            A CiliumNetworkPolicy <span className="mono">{suggestion.namespace}/{suggestion.name}</span> that allows this traffic at the{' '}
            {suggestion.direction === 'ingress' ? 'destination\u2019s ingress' : 'source\u2019s egress'}. Policies only add allowances: it opens
            nothing the rule does not name.
          </p>
          {suggestion.warnings.length > 0 && (
            <ul className="policy-warnings" aria-label="Policy warnings">
              {suggestion.warnings.map((w) => <li key={w} className="warn-line">{w}</li>)}
            </ul>
          )}
          <pre className="flow-json policy-yaml" aria-label="Suggested policy YAML"><code>{suggestion.yaml}</code></pre>
          <div className="command-bar">
            <button type="button" onClick={() => void copyText(suggestion.yaml)}>Copy policy YAML</button>
            <span className="muted" role="status">
              {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable: select the YAML above.' : ''}
            </span>
          </div>
          {suggestion.notes.length > 0 && (
            <ul className="policy-notes">{suggestion.notes.map((n) => <li key={n} className="muted">{n}</li>)}</ul>
          )}
        </>
      )}
    </section>
  );
}
