/**
 * The stored part of a GetFlows answer: keyset pages over the primary key (time, flow_key), so an
 * answer of any size streams with one page in memory, each page a short query of its own (PGlite's
 * single connection is never held while a slow client reads). Every row is the stored jsonpb line,
 * parsed back: the response is the one the relay sent.
 *
 * The `time` column holds microseconds and the flow's own time nanoseconds, so SQL bounds select a
 * superset and the exact range test runs on the parsed time.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import { logger } from '../log/logger';
import type { Queryable } from './db';
import { SqlParams } from './filter-sql';
import { boundText, inRange, type HistoryPlan } from './history-plan';

/** A stored flow as the history answer sends it. */
export interface HistoryRow {
  response: FlowsResponse;
  /** The flow's time, to the nanosecond. */
  ts: Timestamp;
  flowKey: string;
}

export interface StoredFlowsOptions {
  pageSize: number;
  signal: AbortSignal;
  /**
   * Asked when a page came back short (the scan reached the newest row): true reads on from there
   * once more. A follower says true when it had to drop live flows that the scan must now cover.
   */
  readAgain?: () => boolean;
}

/** Where a page starts: a stored (time, flow_key), the time as PostgreSQL printed it. */
interface Cursor { time: string; flowKey: string; inclusive: boolean }

interface KeyRow { t: string; flow_key: string }
interface PageRow extends KeyRow { raw: string }

const log = logger('history-observer');

/** The range and filter conditions of a plan, parameters from $1. */
function whereOf(plan: HistoryPlan, params: SqlParams): string[] {
  params.values.push(...plan.filterParams);
  const where = [`(${plan.filterSql})`];
  if (plan.since) where.push(`time >= ${params.add(boundText(plan.since))}::timestamptz`);
  if (plan.until) where.push(`time <= ${params.add(boundText(plan.until))}::timestamptz`);
  return where;
}

function pageQuery(plan: HistoryPlan, cursor: Cursor | undefined, limit: number): { sql: string; params: SqlParams } {
  const params = new SqlParams();
  const where = whereOf(plan, params);
  if (cursor) {
    const time = params.add(cursor.time);
    // The plain bound lets the planner prune partitions; the row comparison is the keyset.
    where.push(`time >= ${time}::timestamptz`);
    where.push(`(time, flow_key) ${cursor.inclusive ? '>=' : '>'} (${time}::timestamptz, ${params.add(cursor.flowKey)})`);
  }
  return {
    sql: `SELECT time::text AS t, flow_key, raw FROM flows WHERE ${where.join(' AND ')} ORDER BY time, flow_key LIMIT ${limit}`,
    params,
  };
}

/** The oldest of the newest `count` selected rows; undefined when fewer are stored (start at the oldest). */
async function newestBoundary(db: Queryable, plan: HistoryPlan, count: number): Promise<Cursor | undefined> {
  const params = new SqlParams();
  const where = whereOf(plan, params);
  const [row] = await db.query<KeyRow>(
    `SELECT time::text AS t, flow_key FROM flows WHERE ${where.join(' AND ')}
     ORDER BY time DESC, flow_key DESC LIMIT 1 OFFSET ${params.add(count - 1)}`,
    params.values,
  );
  return row && { time: row.t, flowKey: row.flow_key, inclusive: true };
}

function rowOf(row: PageRow): HistoryRow | undefined {
  try {
    // `raw` was written by flowsResponseToJson from a normalized response: plain JSON.parse is exact.
    const response = JSON.parse(row.raw) as FlowsResponse;
    const ts = response.flow?.time === undefined ? undefined : parseTimestamp(response.flow.time);
    if (ts) return { response, ts, flowKey: row.flow_key };
  } catch (err) {
    log.warn({ err, flowKey: row.flow_key, time: row.t }, 'stored flow line not readable; skipped');
  }
  return undefined;
}

/** The stored flows a plan selects, oldest first. */
export async function* storedFlows(db: Queryable, plan: HistoryPlan, opts: StoredFlowsOptions): AsyncGenerator<HistoryRow> {
  if (plan.mode === 'live' || opts.signal.aborted) return;
  let cursor = plan.mode === 'latest' ? await newestBoundary(db, plan, plan.limit) : undefined;
  // With follow, the newest N are only where the answer starts: it goes on to the newest row.
  const limit = plan.mode === 'latest' && plan.follow ? 0 : plan.limit;
  let sent = 0;
  for (;;) {
    if (opts.signal.aborted) return;
    const want = limit ? Math.min(opts.pageSize, limit - sent) : opts.pageSize;
    const { sql, params } = pageQuery(plan, cursor, want);
    const rows = await db.query<PageRow>(sql, params.values);
    for (const row of rows) {
      cursor = { time: row.t, flowKey: row.flow_key, inclusive: false };
      const flow = rowOf(row);
      if (!flow || !inRange(plan, flow.ts)) continue;
      yield flow;
      if (limit && ++sent >= limit) return;
      if (opts.signal.aborted) return;
    }
    if (rows.length < want && !opts.readAgain?.()) return;
  }
}
