import { TRIAGE_RATE_MINUTES, type NamespaceDropRate, type TriageDropRates } from '../../lib/api/triage';
import { clockTime } from './clock-time';
import { comparedRate, formatRate, historyCovers, isRise, type RateChange } from './triage-model';
import { namespaceDropsHref, namespaceInboxHref, namespaceMapHref } from './triage-links';

const OUTSIDE = '(outside namespaces)';

function Change({ change, against }: { change: RateChange; against: string }) {
  return (
    <span className="rate-change" data-kind={change.kind} title={`Compared with ${against}`}>{change.label}</span>
  );
}

interface Covered { hour: boolean; day: boolean }

interface RowProps { rate: NamespaceDropRate; linkSince: string; covered: Covered; clusters: readonly string[] }

function Row({ rate, linkSince, covered, clusters }: RowProps) {
  const vsHour = comparedRate(rate.nowPerMin, rate.hourAgoPerMin, covered.hour);
  const vsDay = comparedRate(rate.nowPerMin, rate.dayAgoPerMin, covered.day);
  const name = rate.namespace || OUTSIDE;
  return (
    <tr data-alarm={isRise(vsHour) ? 'true' : undefined}>
      <th scope="row">
        <a href={namespaceDropsHref(rate.namespace, { since: linkSince }, clusters)} aria-label={`Drops of ${name} in the last hour`}>{name}</a>
      </th>
      <td className="num">{formatRate(rate.nowPerMin)}</td>
      <td className="num muted">{covered.hour ? formatRate(rate.hourAgoPerMin) : '—'}</td>
      <td><Change change={vsHour} against="1 hour before" /></td>
      <td className="num muted">{covered.day ? formatRate(rate.dayAgoPerMin) : '—'}</td>
      <td><Change change={vsDay} against="24 hours before" /></td>
      <td className="row-links">
        {rate.namespace && <a href={namespaceMapHref(rate.namespace, clusters)} aria-label={`Map of ${name}`}>map</a>}
        <a href={namespaceInboxHref(rate.namespace, clusters)} aria-label={`Drop inbox of ${name}`}>inbox</a>
      </td>
    </tr>
  );
}

interface Props {
  data: TriageDropRates;
  /** Where stored history begins: a comparison before it has nothing to compare with. */
  dataSince: string | null;
  /** Start of the window the namespace links open. */
  linkSince: string;
  /** The clusters counted (none: every cluster); the links carry them. */
  clusters: readonly string[];
  nowMs: number;
}

/**
 * Drops per minute per namespace now, against the same minutes 1 h and 24 h before; a namespace
 * whose drops are new or clearly up since an hour ago is marked.
 */
export function DropRatesTable({ data, dataSince, linkSince, clusters, nowMs }: Props) {
  const covered = { hour: historyCovers(dataSince, data.hourAgo.since), day: historyCovers(dataSince, data.dayAgo.since) };
  return (
    <section className="panel triage-section" aria-labelledby="triage-rates">
      <h2 id="triage-rates">Drop rate by namespace</h2>
      <p className="muted">
        Drops per minute over {clockTime(data.now.since, nowMs)}–{clockTime(data.now.until, nowMs)} (the last {TRIAGE_RATE_MINUTES} whole
        minutes) against the same minutes 1 h and 24 h before. A drop counts for the namespace of either side
        {clusters.length > 0 && <> in {clusters.join(', ')}</>}.
        {!covered.day && dataSince && <> Stored history starts at {clockTime(dataSince, nowMs)}: earlier windows show no history.</>}
      </p>
      {data.namespaces.length === 0 ? (
        <p className="ok-line">No drops in any of the three windows.</p>
      ) : (
        <table className="triage-table" aria-labelledby="triage-rates">
          <thead>
            <tr>
              <th scope="col">Namespace</th><th scope="col" className="num">Now</th><th scope="col" className="num">1 h before</th>
              <th scope="col">Change</th><th scope="col" className="num">24 h before</th><th scope="col">Change</th>
              <th scope="col"><span className="visually-hidden">Links</span></th>
            </tr>
          </thead>
          <tbody>
            {data.namespaces.map((r) => <Row key={r.namespace} rate={r} linkSince={linkSince} covered={covered} clusters={clusters} />)}
          </tbody>
        </table>
      )}
      {data.truncated && <p className="muted">Only the namespaces with the most drops are shown.</p>}
    </section>
  );
}
