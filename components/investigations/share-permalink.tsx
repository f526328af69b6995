'use client';

import type { InvestigationCreated } from '../../lib/api/investigations';
import { useCopy } from '../flows-table/use-copy';

const fmt = (n: number) => n.toLocaleString('en-US');

/** The created investigation's link, ready to paste into an incident channel. */
export function SharePermalink({ created, onClose }: { created: InvestigationCreated; onClose: () => void }) {
  const [copy, copyText] = useCopy();
  const link = new URL(created.url, window.location.origin).toString();
  const { flowCount, truncated } = created.investigation;
  return (
    <section className="share-result" aria-label="Permalink">
      <p>
        Investigation created: {fmt(flowCount)} flow{flowCount === 1 ? '' : 's'} frozen
        {truncated ? ` (the newest ${fmt(flowCount)}; more matched)` : ''}.
      </p>
      <label className="field">
        Permalink
        <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="share-actions">
        <button type="button" onClick={() => copyText(link)}>Copy link</button>
        <a href={created.url}>Open investigation</a>
        <button type="button" onClick={onClose}>Close</button>
        <span className="muted" role="status">
          {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable: select the link above.' : ''}
        </span>
      </div>
    </section>
  );
}
