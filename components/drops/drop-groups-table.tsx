import { dropGroupHref } from '../../lib/api/drop-groups';
import type { DropGroup, DropGroupsResponse } from '../../lib/api/drops';
import { dropTrend } from '../../lib/drops/drop-trend';
import { dropReasonExplanation, dropReasonText } from '../../lib/flow/drop-reasons';
import { endpointLabel, destinationLabel, groupTitle, minuteText, policyList, portLabel } from './drop-format';
import { Sparkline } from './sparkline';

interface DropGroupsTableProps {
  data: DropGroupsResponse;
  timeZone: string;
  nowMs: number;
}

const NEW_HELP = 'No drop of this group in the 24 h before the window (hour buckets).';

function sparkLabel(g: DropGroup, data: DropGroupsResponse): string {
  const minutes = Math.round(data.sparkline.binMs / 60_000);
  const step = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return `Drops per ${step}, oldest first: ${g.sparkline.join(', ')}`;
}

function GroupRow({ g, data, timeZone, nowMs }: { g: DropGroup; data: DropGroupsResponse; timeZone: string; nowMs: number }) {
  const trend = dropTrend(g.count, g.previousCount);
  // Links carry the resolved window, so a shared link shows the same flows later.
  const href = dropGroupHref(g.key, { since: data.since, until: data.until });
  return (
    <tr data-new={g.isNew ? 'true' : undefined}>
      <td>{g.isNew && <span className="new-badge" title={NEW_HELP}>new</span>}</td>
      <td className="drop-group-name">
        <a href={href} aria-label={`Open drop group ${groupTitle(g.key)} ${portLabel(g.key)}`}>
          <span className="mono">{endpointLabel(g.key.source)}</span>
          {' \u2192 '}
          <span className="mono">{destinationLabel(g.key)}</span>
        </a>
      </td>
      <td className="mono nowrap">{portLabel(g.key)}</td>
      <td title={dropReasonExplanation(g.key.dropReason)}>{dropReasonText(g.key.dropReason)}</td>
      <td className="mono">{policyList(g.key).map((p) => <div key={p}>{p}</div>)}</td>
      <td className="num">{g.count.toLocaleString()}</td>
      <td className={`trend trend-${trend.direction}`} title={`${g.previousCount.toLocaleString()} in the previous window`}>{trend.text}</td>
      <td><Sparkline counts={g.sparkline} label={sparkLabel(g, data)} /></td>
      <td className="nowrap">{minuteText(g.firstSeen, timeZone, nowMs)}</td>
      <td className="nowrap">{minuteText(g.lastSeen, timeZone, nowMs)}</td>
    </tr>
  );
}

/** The inbox's groups as a table: one row per group, each linking to its page. */
export function DropGroupsTable({ data, timeZone, nowMs }: DropGroupsTableProps) {
  if (data.groups.length === 0) return <p className="muted">No dropped flows in this window.</p>;
  return (
    <div className="table-scroll">
      <table className="flows-table drop-groups" aria-label="Drop groups">
        <thead>
          <tr>
            <th scope="col"><span className="visually-hidden">New</span></th>
            <th scope="col">Source → Destination</th>
            <th scope="col">Port</th>
            <th scope="col">Drop reason</th>
            <th scope="col">Denying policies</th>
            <th scope="col" className="num">Drops</th>
            <th scope="col">Trend</th>
            <th scope="col">Over the window</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {data.groups.map((g) => (
            <GroupRow key={dropGroupHref(g.key)} g={g} data={data} timeZone={timeZone} nowMs={nowMs} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
