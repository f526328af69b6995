/**
 * The drop inbox in the store: DROPPED traffic grouped by DropGroupKey over a window, with each
 * group's count, first and last seen, sparkline, count in the previous window of equal length, and
 * whether it is new (absent in the 24 h before the window).
 *
 * Counts come from the edge rollups, bucket by bucket (lib/drops/drop-window.ts says which), read as
 * per-bucket slices through DropSliceCache and combined in lib/drops/drop-slices.ts. When the hubble
 * filter needs columns the rollups do not keep (compileRollupFilter says which), the DROPPED raw
 * flows of the window and of the previous one are keyed like the rollups and cut into minute slices
 * instead, bounded to RAW_MAX_WINDOW_MS and a statement timeout; novelty is then judged on the
 * rollups by the group key alone.
 */
import type { DropGroupsResponse, DropSort } from '../../lib/api/drops';
import { combineDropSlices, type DropSlice } from '../../lib/drops/drop-slices';
import {
  HOUR_MS, MINUTE_MS, minuteWindow, noveltyWindow, previousWindow, rollupRanges, sparklineLayout, usesHourBuckets, type MinuteWindow,
  type RollupTable,
} from '../../lib/drops/drop-window';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import type { Db } from './db';
import { dropKeyOfRow, DROP_COLUMNS, rawDropsSql } from './drop-rows';
import { dropKeyRowOfText, sharedDropSliceCache, slicesOfRows, type DropSliceCache, type SliceFilter } from './drop-slice-cache';
import { compileFilterSql, SqlParams } from './filter-sql';
import { compileRollupFilter } from './rollup-filter';
import { isQueryCanceled, queryWithin } from './statement-timeout';

/** Longest window whose raw flows are aggregated (the previous window doubles what is read). */
export const RAW_MAX_WINDOW_MS = 6 * HOUR_MS;
/** Statement timeout for the raw-flow aggregation (PostgreSQL; PGlite has none). */
export const RAW_STATEMENT_TIMEOUT_MS = 20_000;

/** What readDropGroups reads. */
export interface DropGroupsRequest {
  /** Hubble filters; only DROPPED flows are counted whatever they say. */
  filters: FlowFilterSet;
  /** Window bounds, RFC 3339; counted in the whole minutes they touch (lib/drops/drop-window.ts minuteWindow). */
  since: string;
  until: string;
  sort: DropSort;
  /** Groups to answer, most relevant first. */
  limit: number;
}

/** A request the store refuses with a message for the user (a 400): too large a raw window, a timeout. */
export class DropGroupsLimitError extends Error {
  override name = 'DropGroupsLimitError';
}

/** The buckets of each table that cover a span, once each. */
function bucketsOf(span: MinuteWindow): Array<{ table: RollupTable; bucketsMs: number[] }> {
  return rollupRanges(span).map((r) => {
    const step = r.table === 'edge_hour' ? HOUR_MS : MINUTE_MS;
    const bucketsMs: number[] = [];
    for (let ms = r.fromMs; ms < r.toMs; ms += step) bucketsMs.push(ms);
    return { table: r.table, bucketsMs };
  });
}

/** The rollup slices of several spans for one filter, with one cache call (one query at most) per table. */
async function rollupSlices(db: Db, cache: DropSliceCache, spans: MinuteWindow[], filter: SliceFilter, nowMs: number): Promise<DropSlice[][]> {
  const plans = spans.map(bucketsOf);
  const wanted: Record<RollupTable, Set<number>> = { edge_minute: new Set(), edge_hour: new Set() };
  for (const plan of plans) for (const p of plan) for (const ms of p.bucketsMs) wanted[p.table].add(ms);
  const got = new Map<string, DropSlice>();
  for (const table of ['edge_minute', 'edge_hour'] as const) {
    const bucketsMs = [...wanted[table]];
    if (bucketsMs.length === 0) continue;
    const slices = await cache.slices(db, table, bucketsMs, filter, nowMs);
    slices.forEach((s, i) => got.set(`${table}:${bucketsMs[i]}`, s));
  }
  return plans.map((plan) => plan.flatMap((p) => p.bucketsMs.map((ms) => got.get(`${p.table}:${ms}`)!)));
}

/** DROPPED raw flows of a span matching `filters`, keyed like the rollups, as minute slices. */
async function rawSlices(db: Db, cache: DropSliceCache, span: MinuteWindow, filters: FlowFilterSet): Promise<DropSlice[]> {
  const params = new SqlParams();
  const sql = `SELECT extract(epoch FROM date_trunc('minute', bucket, 'UTC'))::float8 * 1000 AS ms, json_build_array(${DROP_COLUMNS})::text AS k,
      sum(flows)::float8 AS n
    FROM (${rawDropsSql(span, compileFilterSql(filters, params), params)}) raw GROUP BY 1, ${DROP_COLUMNS}`;
  let rows: Array<{ ms: number; k: string; n: number }>;
  try {
    rows = await queryWithin<{ ms: number; k: string; n: number }>(db, RAW_STATEMENT_TIMEOUT_MS, sql, params.values);
  } catch (err) {
    if (isQueryCanceled(err)) {
      throw new DropGroupsLimitError(`Grouping the raw flows took over ${RAW_STATEMENT_TIMEOUT_MS / 1000} s: shorten the window or narrow the filter.`);
    }
    throw err;
  }
  return [...slicesOfRows(rows, undefined, (text) => cache.intern(text)).values()];
}

const ALL_DROPS: SliceFilter = { id: 'all', compile: () => 'TRUE' };

/** The window's, the previous window's and the lookback's slices, from rollups or from raw flows. */
async function windowSlices(db: Db, cache: DropSliceCache, filters: FlowFilterSet, span: MinuteWindow, nowMs: number) {
  const rollup = compileRollupFilter(filters, new SqlParams());
  if ('sql' in rollup) {
    const filter: SliceFilter = { id: JSON.stringify(filters), compile: (p) => (compileRollupFilter(filters, p) as { sql: string }).sql };
    const [current, previous, lookback] = await rollupSlices(db, cache, [span, previousWindow(span), noveltyWindow(span)], filter, nowMs);
    return { current, previous, lookback };
  }
  if (span.toMs - span.fromMs > RAW_MAX_WINDOW_MS) {
    throw new DropGroupsLimitError(`This filter needs the raw flows (${rollup.unsupported}), which are grouped for windows of up to `
      + `${RAW_MAX_WINDOW_MS / HOUR_MS} h only: shorten the window, or filter with flags the rollups keep (--namespace, --verdict, --drop-reason-desc, --protocol).`);
  }
  const current = await rawSlices(db, cache, span, filters);
  const previous = await rawSlices(db, cache, previousWindow(span), filters);
  const [lookback] = await rollupSlices(db, cache, [noveltyWindow(span)], ALL_DROPS, nowMs);
  return { current, previous, lookback, raw: rollup.unsupported };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The drop groups of a window, `request.sort` order, at most `request.limit`. Throws the filter
 * compiler's FilterError for a filter the store cannot match, and DropGroupsLimitError when the
 * filter needs raw flows and the window is too long or the scan too slow; both are the user's to fix.
 * Stable contract: the triage view calls it too. `cache` and `nowMs` are for tests and benchmarks.
 */
export async function readDropGroups(
  db: Db, request: DropGroupsRequest, cache: DropSliceCache = sharedDropSliceCache(db), nowMs = Date.now(),
): Promise<DropGroupsResponse> {
  const span = minuteWindow(Date.parse(request.since), Date.parse(request.until));
  const layout = sparklineLayout(span);
  cache.beginRequest();
  const slices = await windowSlices(db, cache, request.filters, span, nowMs);
  const combined = combineDropSlices({
    ...slices, keyCount: cache.keyCount, keyText: (id) => cache.keyText(id), layout, sort: request.sort, limit: request.limit,
  }, cache.tallies);
  const prev = previousWindow(span);
  return {
    since: request.since,
    until: request.until,
    counted: { from: new Date(span.fromMs).toISOString(), to: new Date(span.toMs).toISOString() },
    previous: { from: new Date(prev.fromMs).toISOString(), to: new Date(prev.toMs).toISOString() },
    source: slices.raw === undefined ? 'rollups' : 'flows',
    ...(slices.raw === undefined ? {} : { sourceReason: slices.raw }),
    hourBuckets: slices.raw === undefined && usesHourBuckets(span),
    sparkline: { from: new Date(layout.fromMs).toISOString(), binMs: layout.binMs, bins: layout.count },
    sort: request.sort,
    groups: combined.groups.map((g) => ({
      key: dropKeyOfRow(dropKeyRowOfText(cache.keyText(g.id))),
      count: g.count,
      firstSeen: iso(g.firstMs),
      lastSeen: iso(g.lastMs),
      sparkline: g.sparkline,
      previousCount: g.previousCount,
      isNew: g.isNew,
    })),
    totalGroups: combined.totalGroups,
    totalDrops: combined.totalDrops,
  };
}
