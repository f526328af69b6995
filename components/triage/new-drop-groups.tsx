import { dropGroupParams, type DropGroupKey } from '../../lib/api/drop-groups';
import type { TriageNewDropGroups } from '../../lib/api/triage';
import { dropReasonText } from '../../lib/flow/drop-reasons';
import { clockTime, fullTime } from './clock-time';
import { formatDuration, historyCovers } from './triage-model';
import { endpointLabel, endpointTitle, groupFlowsHref, groupHref, namespaceInboxHref } from './triage-links';

/** `8080/TCP`, `ICMPv4`, or the FQDN/network behind a world destination first. */
export function groupTarget(key: DropGroupKey): string {
  const port = key.port ? `${key.port}/${key.protocol || '?'}` : key.protocol || 'any protocol';
  return key.destinationName ? `${key.destinationName} ${port}` : port;
}

/** "Policy denied by shop/api-ingress", "Stale or unroutable IP". */
export function groupReason(key: DropGroupKey): string {
  const text = dropReasonText(key.dropReason);
  return key.policies ? `${text} by ${key.policies.split(',').join(', ')}` : text;
}

/**
 * What started dropping in the last 15 minutes and did not drop in the day before: the first
 * thing to read. Each group opens its page; its flows are one more click.
 */
interface NewDropGroupsProps {
  data: TriageNewDropGroups;
  dataSince: string | null;
  /** The clusters counted (none: every cluster); the inbox link carries them. */
  clusters: readonly string[];
  nowMs: number;
}

export function NewDropGroups({ data, dataSince, clusters, nowMs }: NewDropGroupsProps) {
  const w = { since: data.window.since };
  const shortHistory = dataSince !== null && !historyCovers(dataSince, data.absentIn.since);
  return (
    <section className="panel triage-section" aria-labelledby="triage-new">
      <h2 id="triage-new">New in the last 15 minutes</h2>
      <p className="muted">
        Drop groups (source, destination, port, reason, policies) dropping since {clockTime(data.window.since, nowMs)} that
        did not drop in the 24 hours before.
      </p>
      {shortHistory && (
        <p className="warn-line">
          Stored history starts at {clockTime(dataSince!, nowMs)}, less than 24 hours before: every group seen since then counts as new.
        </p>
      )}
      {data.groups.length === 0 ? (
        <p className="ok-line">Nothing new is dropping.</p>
      ) : (
        <ul className="new-groups">
          {data.groups.map((g) => {
            const pair = `${endpointLabel(g.key.source)} → ${endpointLabel(g.key.destination)}`;
            return (
              <li key={dropGroupParams(g.key).toString()}>
                <a className="group-link" href={groupHref(g.key, w)} title={`${endpointTitle(g.key.source)} → ${endpointTitle(g.key.destination)}`}>
                  {pair}
                </a>
                <span className="mono">{groupTarget(g.key)}</span>
                <span>{groupReason(g.key)}</span>
                <span className="muted" title={fullTime(g.firstSeen)}>
                  {g.flows.toLocaleString('en-US')} drops since {clockTime(g.firstSeen, nowMs)} ({formatDuration(nowMs - Date.parse(g.firstSeen))} ago)
                </span>
                <a href={groupFlowsHref(g.key, w)} aria-label={`Flows of ${pair} ${groupTarget(g.key)}`}>flows</a>
              </li>
            );
          })}
        </ul>
      )}
      {data.truncated && (
        <p className="warn-line">More new groups than shown here: <a href={namespaceInboxHref('', clusters)}>open the drop inbox</a>.</p>
      )}
    </section>
  );
}
