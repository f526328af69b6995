/**
 * GetFlowsRequest → what the history server reads: which rows (a forward scan from a bound, or the
 * newest N), how many, and the filter twice — as SQL for the stored part and as the in-memory
 * matcher for the live part, which mean the same (filter-sql.ts is tested against the matcher).
 *
 * The selection follows a Hubble agent (local_observer.go) as the demo cluster does:
 * - `first` with `follow` is refused, as the agent refuses it;
 * - `since` wins over `number`: the earliest `number` flows at or after it (all of them with follow);
 * - `first`: the earliest `number` flows of the range;
 * - otherwise `number` > 0 is the newest `number` flows (then live ones, with follow);
 * - `number` 0 without `since` is every stored flow, or with follow only live flows (the write head).
 * `--all` sends 2^64−1 (clamped to Number.MAX_SAFE_INTEGER): no limit. Both bounds are inclusive.
 */
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters, type FlowPredicate } from '../../lib/filter/match';
import type { FlowsQuery } from '../../lib/flow/observer';
import { compareTimestamps, formatTimestamp, parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import { InvalidQueryError } from '../../lib/flow/observer';
import type { SqlParam } from './db';
import { compileFilterSql, SqlParams } from './filter-sql';

/**
 * `forward`: oldest first from `since` (or the oldest stored flow), up to `limit` rows (0: all).
 * `latest`: the newest `count` rows, then (with follow) on to the newest stored one.
 * `live`: no stored flows at all; follow from the write head.
 */
export type HistoryMode = 'forward' | 'latest' | 'live';

export interface HistoryPlan {
  mode: HistoryMode;
  /** Rows the stored part may return at most; 0 means no limit. */
  limit: number;
  follow: boolean;
  since?: Timestamp;
  until?: Timestamp;
  /** A boolean SQL condition over `flows`, its parameters numbered from $1. */
  filterSql: string;
  filterParams: readonly SqlParam[];
  /** The same selection in memory, for live flows. */
  match: FlowPredicate;
  /** The request's filters, which `filterSql` and `match` select by. */
  filters: FlowFilterSet;
}

/** Validates and plans one GetFlows request; throws InvalidQueryError or the matcher's FilterError. */
export function planHistory(query: FlowsQuery): HistoryPlan {
  const follow = query.follow === true;
  const first = query.first === true;
  if (first && follow) throw new InvalidQueryError('first cannot be specified with follow');
  const requested = Math.floor(query.number ?? 0);
  if (!Number.isFinite(requested) || requested < 0) throw new InvalidQueryError(`invalid number ${String(query.number)}`);
  // `--all`: a limit no store can reach is no limit (and spares the newest-N boundary scan).
  const number = requested >= Number.MAX_SAFE_INTEGER ? 0 : requested;
  const since = parseBound('since', query.since);
  // With follow the hubble CLI drops --until; a request that still sends it ends when flows pass it.
  const until = parseBound('until', query.until);
  const set: FlowFilterSet = { whitelist: query.whitelist ?? [], blacklist: query.blacklist ?? [] };
  const match = compileFilters(set);
  const params = new SqlParams();
  const filterSql = compileFilterSql(set, params);
  const base = { follow, since, until, filterSql, filterParams: params.values, match, filters: set };
  if (since || first) return { ...base, mode: 'forward', limit: follow ? 0 : number };
  if (number > 0) return { ...base, mode: 'latest', limit: number };
  return { ...base, mode: follow ? 'live' : 'forward', limit: 0 };
}

function parseBound(name: string, value: string | undefined): Timestamp | undefined {
  if (value === undefined) return undefined;
  const ts = parseTimestamp(value);
  if (!ts) throw new InvalidQueryError(`${name}: not an RFC 3339 timestamp: ${JSON.stringify(value)}`);
  return ts;
}

/** Whether a flow time lies in the plan's range, to the nanosecond (SQL compares microseconds). */
export function inRange(plan: Pick<HistoryPlan, 'since' | 'until'>, ts: Timestamp): boolean {
  return (!plan.since || compareTimestamps(ts, plan.since) >= 0) && (!plan.until || compareTimestamps(ts, plan.until) <= 0);
}

/** A bound as text PostgreSQL reads as timestamptz. */
export function boundText(ts: Timestamp): string {
  return formatTimestamp(ts);
}
