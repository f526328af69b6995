import type { TriageGap, TriageGapKind } from '../../lib/api/triage';
import { clockTime, fullTime } from './clock-time';
import { formatDuration, type Completeness } from './triage-model';
import { allFlowsHref } from './triage-links';

const GAPS_SHOWN = 10;
/** Flows stored on either side of a gap, to see what led up to it and what came after. */
const AROUND_MS = 5 * 60_000;

const KIND_TEXT: Record<TriageGapKind, string> = {
  'relay-unreachable': 'Relay unreachable',
  'lost-events': 'Events lost',
  'not-recovered': 'Not recovered after reconnecting',
  'collector-dropped': 'Dropped by the collector',
};

function aroundHref(gap: TriageGap, clusters: readonly string[]): string {
  return allFlowsHref({
    since: new Date(Date.parse(gap.from) - AROUND_MS).toISOString(),
    until: new Date(Date.parse(gap.to) + AROUND_MS).toISOString(),
  }, clusters);
}

interface DataCompletenessProps {
  summary: Completeness;
  gaps: readonly TriageGap[];
  /** The picked clusters (none: every cluster): the gaps are their relays', the links open their flows. */
  clusters: readonly string[];
  nowMs: number;
}

/** Whether the stored flows are whole, and the gaps of the day, newest first. */
export function DataCompleteness({ summary, gaps, clusters, nowMs }: DataCompletenessProps) {
  const newest = [...gaps].reverse().slice(0, GAPS_SHOWN);
  return (
    <section className="panel triage-section" aria-labelledby="triage-data">
      <h2 id="triage-data">Data completeness</h2>
      <p className="level-line" data-level={summary.level}>{summary.headline}</p>
      {summary.details.length > 0 && (
        <ul className="detail-lines">{summary.details.map((d) => <li key={d}>{d}</li>)}</ul>
      )}
      {newest.length > 0 && (
        <table className="triage-table" aria-label="Gaps in the last 24 hours">
          <thead>
            <tr>
              <th scope="col">From</th><th scope="col">For</th><th scope="col">Why</th><th scope="col" className="num">Flows lost</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {newest.map((g, i) => (
              <tr key={`${g.relay}-${g.from}-${i}`}>
                <td>
                  <a href={aroundHref(g, clusters)} title={`${fullTime(g.from)} – ${fullTime(g.to)}; opens the flows stored around it`}>
                    {clockTime(g.from, nowMs)}
                  </a>
                </td>
                <td className="nowrap">{formatDuration(Date.parse(g.to) - Date.parse(g.from))}</td>
                <td>{KIND_TEXT[g.kind] ?? g.kind}</td>
                <td className="num">{g.lostFlows === null ? 'unknown' : g.lostFlows.toLocaleString('en-US')}</td>
                <td className="muted">{g.detail ?? ''}{g.relay ? ` (${g.relay})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {gaps.length > GAPS_SHOWN && <p className="muted">and {gaps.length - GAPS_SHOWN} earlier gaps.</p>}
    </section>
  );
}
