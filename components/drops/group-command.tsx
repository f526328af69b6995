'use client';

import type { DropGroupDetail } from '../../lib/api/drops';
import { flowsViewHref } from '../flows-table/flows-query';
import { useCopy } from '../flows-table/use-copy';

/** The `hubble observe` command for the group's flows, and the same flows on the Flows page. */
export function GroupCommand({ d }: { d: DropGroupDetail }) {
  const [copy, copyText] = useCopy();
  const flowsHref = flowsViewHref({ q: d.filterArgs, since: d.since, until: d.until, limit: 100 });
  return (
    <section className="drop-section" aria-labelledby="group-command-heading">
      <h2 id="group-command-heading">The same flows</h2>
      <div className="command-bar" role="region" aria-label="Command">
        <code className="command">{d.command}</code>
        <button type="button" onClick={() => void copyText(d.command)}>Copy as hubble observe command</button>
        <a href={flowsHref}>Show these flows in Flows</a>
        <span className="muted" role="status">
          {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable: select the command above.' : ''}
        </span>
      </div>
      <p className="muted">
        The filter selects the group&apos;s requests by workload, port, protocol and drop reason; hubble has no flag for the denying
        policy, so flows another policy denied on the same path show there too.
      </p>
    </section>
  );
}
