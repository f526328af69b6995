import type { TriageResponse } from '../../lib/api/triage';
import { clockTime } from './clock-time';
import { comparedRate, historyCovers, isRise, type Completeness } from './triage-model';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The answers first, one line each: is anything newly dropping, which namespaces drop more than an
 * hour ago, and is the data complete. Red only for what is wrong.
 */
export function TriageSummary({ data, completeness }: { data: TriageResponse; completeness: Completeness }) {
  const groups = data.newDropGroups.groups.length;
  const { dataSince } = data.health;
  const hourCovered = historyCovers(dataSince, data.dropRates.hourAgo.since);
  const rising = data.dropRates.namespaces
    .map((r) => ({ name: r.namespace || '(outside namespaces)', change: comparedRate(r.nowPerMin, r.hourAgoPerMin, hourCovered) }))
    .filter((r) => isRise(r.change));
  const shortHistory = dataSince !== null && !historyCovers(dataSince, data.newDropGroups.absentIn.since);
  return (
    <section className="triage-summary" aria-label="Summary">
      <p className="level-line big" data-level={groups > 0 ? 'bad' : 'ok'}>
        {groups > 0
          ? <a href="#triage-new">{data.newDropGroups.truncated ? 'More than ' : ''}{plural(groups, 'drop group')} new in the last 15 minutes</a>
          : 'Nothing newly dropping in the last 15 minutes'}
        {shortHistory && <span className="muted"> (stored history starts at {clockTime(dataSince!, Date.parse(data.at))})</span>}
      </p>
      {hourCovered ? (
        <p className="level-line" data-level={rising.length > 0 ? 'bad' : 'ok'}>
          {rising.length > 0
            ? <>More drops than an hour ago in <a href="#triage-rates">{rising.map((r) => `${r.name} (${r.change.label})`).join(', ')}</a></>
            : 'No namespace drops more than an hour ago'}
        </p>
      ) : (
        <p className="level-line" data-level="warn">No stored history an hour back to compare drop rates with</p>
      )}
      <p className="level-line big" data-level={completeness.level}>
        <a href="#triage-data">{completeness.headline}</a>
      </p>
    </section>
  );
}
