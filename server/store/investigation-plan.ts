/**
 * Which flows of `flows` an investigation's filter and window select, as SQL.
 *
 * Window bounds keep nanoseconds while `time` keeps microseconds. PostgreSQL rounds the stored
 * time and a bound the same monotonic way, so `time BETWEEN bounds` is a superset of the exact
 * window; only rows whose stored time equals a rounded bound can be outside it, and those are
 * checked on their jsonpb line's own time, as the flows page does (server/store/flows-page.ts).
 *
 * With a planner hint for the snapshot copy. The copy wants the newest matching flows, in (time,
 * flow_key) order, and stops at the cap. When every matching flow has one and the same verdict,
 * saying `verdict = <n>` in so many words lets PostgreSQL walk the (verdict, time) index backwards
 * and read only the flows it keeps; the compiled filter spells verdicts as `verdict = ANY(...)`,
 * which the planner cannot use for ordering, so it would otherwise walk every flow of the window
 * newest first (ten times as many rows for drops at a 10% drop rate). The hint is redundant: it
 * only states what the filter already implies.
 */
import type { InvestigationWindowQuery } from '../../lib/api/investigations';
import { Verdict } from '../../lib/flow/enums';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { formatTimestamp, parseTimestamp } from '../../lib/time/timestamp';
import { compileFilterSql, type SqlParams } from './filter-sql';

const DROPPED = Verdict.byName.get('DROPPED')!;

/** The verdict column values a filter admits; undefined when it admits any. */
function filterVerdicts(filter: FlowFilter): Set<number> | undefined {
  let admitted: Set<number> | undefined;
  const verdicts = filter.verdict;
  if (Array.isArray(verdicts) && verdicts.length > 0) {
    const numbers = verdicts.map((v) => (typeof v === 'number' ? v : Verdict.byName.get(v)));
    // 0 (and what a smallint cannot hold) shares the column value 0 with unknown names: no hint.
    if (numbers.some((n) => n === undefined || n === 0 || !Number.isInteger(n) || n < -32768 || n > 32767)) return undefined;
    admitted = new Set(numbers as number[]);
  }
  // A drop reason only matches DROPPED flows (lib/filter/match-flow.ts).
  if (Array.isArray(filter.drop_reason_desc) && filter.drop_reason_desc.length > 0) {
    admitted = admitted ? new Set([...admitted].filter((n) => n === DROPPED)) : new Set([DROPPED]);
  }
  return admitted;
}

/** The one verdict number every flow the filters select has, if there is one. */
export function impliedVerdict(filters: FlowFilterSet): number | undefined {
  if (filters.whitelist.length === 0) return undefined;
  const all = new Set<number>();
  for (const filter of filters.whitelist) {
    const admitted = filterVerdicts(filter);
    if (!admitted) return undefined;
    for (const n of admitted) all.add(n);
  }
  return all.size === 1 ? [...all][0] : undefined;
}

/** The flow time of a stored jsonpb line as `YYYY-MM-DDTHH:MM:SS` + 9 fraction digits (text order = time order), NULL when absent. */
const LINE_TIME_KEY = `(SELECT left(t, 19) || rpad(coalesce(substring(t from '\\.([0-9]+)Z$'), ''), 9, '0')
  FROM (SELECT (raw::json -> 'flow' ->> 'time') AS t) line)`;

/** The same key for a bound (RFC 3339). */
function timeKey(rfc3339: string): string {
  const ts = parseTimestamp(rfc3339)!;
  return formatTimestamp({ seconds: ts.seconds, nanos: 0 }).slice(0, 19) + String(ts.nanos).padStart(9, '0');
}

/**
 * The WHERE condition over `flows` for a filter and an inclusive window, exact to the nanosecond.
 * Throws the filter compiler's FilterError before anything touches the database.
 */
export function windowWhere(window: InvestigationWindowQuery, params: SqlParams): string {
  const filter = compileFilterSql(window.filters, params);
  const verdict = impliedVerdict(window.filters);
  const hint = verdict === undefined ? '' : `verdict = ${params.add(verdict)}::smallint AND `;
  const since = `${params.add(window.since)}::timestamptz`;
  const until = `${params.add(window.until)}::timestamptz`;
  const exact = `coalesce(${LINE_TIME_KEY} BETWEEN ${params.add(timeKey(window.since))} AND ${params.add(timeKey(window.until))}, TRUE)`;
  return `${hint}(${filter}) AND time >= ${since} AND time <= ${until} AND ((time > ${since} AND time < ${until}) OR ${exact})`;
}
