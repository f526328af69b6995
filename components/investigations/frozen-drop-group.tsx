import { dropGroupHref, type DropGroupKey } from '../../lib/api/drop-groups';
import type { EdgeEndpoint } from '../../lib/filter/edge-filter';
import { dropReasonText } from '../../lib/flow/drop-reasons';

const endpoint = (e: EdgeEndpoint) => `${e.cluster ? `${e.cluster}: ` : ''}${e.namespace ? `${e.namespace}/` : ''}${e.entity}`;

/** What the frozen drop group is: its key in words, and its live page for the same window. */
export function FrozenDropGroup({ group, since, until }: { group: DropGroupKey; since: string; until: string }) {
  const rows: Array<[string, string]> = [
    ['From', endpoint(group.source)],
    ['To', `${endpoint(group.destination)}${group.destinationName ? ` (${group.destinationName})` : ''}`],
    ['Port', `${group.port || '–'}${group.protocol ? `/${group.protocol}` : ''}`],
    ['Drop reason', dropReasonText(group.dropReason)],
    ['Denying policies', group.policies || 'none recorded'],
  ];
  return (
    <section aria-label="Drop group" className="panel frozen-group">
      <dl className="detail-list">
        {rows.map(([label, value]) => (
          <div className="detail-row" key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a href={dropGroupHref(group, { since, until })}>Open this drop group on the Drops page</a>{' '}
        <span className="muted">(live data: rollups older than the retention period are gone)</span>
      </p>
    </section>
  );
}
