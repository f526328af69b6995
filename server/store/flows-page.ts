/**
 * `GET /api/flows` in the store: a page of the flows a FlowsPageQuery selects, newest first, by
 * keyset over the primary key (time DESC, flow_key DESC) so any page costs one short index scan;
 * and the export of all of them, oldest first, as the stored jsonpb lines or as CSV.
 *
 * The `time` column keeps microseconds, a flow's own time nanoseconds. PostgreSQL rounds both the
 * stored time and a bound the same monotonic way, so the SQL range is a superset of the exact one;
 * a row whose stored time lies within a microsecond of a bound is checked on its line's own time.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { encodeFlowsCursor, type FlowsCursor } from '../../lib/api/flows-cursor';
import type { FlowsPage, FlowsPageQuery } from '../../lib/api/flows-query';
import { flowToCsvRecord, flowsCsvHeader } from '../../lib/export/flows-csv';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { logger } from '../log/logger';
import type { Db } from './db';
import { compileFilterSql, SqlParams } from './filter-sql';
import { flowScanTooSlow, isQueryCanceled, queryWithin } from './statement-timeout';

const log = logger('flows-page');

/** Rows per round trip of an export. */
export const JSONPB_BATCH_SIZE = 2_000;

// RFC 3339 UTC with microseconds: what a cursor carries, and what PostgreSQL reads back exactly.
const TIME_TEXT = `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Row { t: string; flow_key: string; raw: string }

/** A query's WHERE (filters, range; cursor when given), its parameters, and the exact range check. */
interface Selection {
  where: string;
  params: SqlParams;
  keep: (row: Row) => boolean;
}

const nsOf = (rfc3339: string | undefined) => {
  const ts = rfc3339 === undefined ? undefined : parseTimestamp(rfc3339);
  return ts && timestampToNs(ts);
};

/** The flow time of a stored line, in ns; undefined when it cannot be read. */
function lineTimeNs(raw: string): bigint | undefined {
  try {
    const time = (JSON.parse(raw) as FlowsResponse).flow?.time;
    return typeof time === 'string' ? nsOf(time) : undefined;
  } catch {
    return undefined;
  }
}

function exactRange(since: bigint | undefined, until: bigint | undefined): (row: Row) => boolean {
  if (since === undefined && until === undefined) return () => true;
  return (row) => {
    const stored = nsOf(row.t);
    if (stored === undefined) return true;
    const nearSince = since !== undefined && stored - since < 1000n;
    const nearUntil = until !== undefined && until - stored < 1000n;
    if (!nearSince && !nearUntil) return true;
    const ns = lineTimeNs(row.raw);
    if (ns === undefined) return true;
    return (since === undefined || ns >= since) && (until === undefined || ns <= until);
  };
}

/**
 * Compiles the selection. Throws the filter compiler's FilterError (a 400 for the API) for a filter
 * the store cannot match exactly; nothing has touched the database by then.
 */
function select(query: FlowsPageQuery, cursor: FlowsCursor | undefined): Selection {
  const params = new SqlParams();
  const where = [`(${compileFilterSql(query.filters, params)})`];
  if (query.since) where.push(`time >= ${params.add(query.since)}::timestamptz`);
  if (query.until) where.push(`time <= ${params.add(query.until)}::timestamptz`);
  if (cursor) {
    const time = params.add(cursor.time);
    // The plain bound lets the planner prune partitions; the row comparison is the keyset.
    where.push(`time <= ${time}::timestamptz`, `(time, flow_key) < (${time}::timestamptz, ${params.add(cursor.flowKey)})`);
  }
  return { where: where.join(' AND '), params, keep: exactRange(nsOf(query.since), nsOf(query.until)) };
}

function responseOf(row: Row): FlowsResponse | undefined {
  try {
    // `raw` was written by flowsResponseToJson from a normalized response: plain JSON.parse is exact.
    return JSON.parse(row.raw) as FlowsResponse;
  } catch (err) {
    log.warn({ err, flowKey: row.flow_key, time: row.t }, 'stored flow line not readable; skipped');
    return undefined;
  }
}

/** How long one page may take to find (PostgreSQL; PGlite reads to the end). */
export const FLOWS_PAGE_TIMEOUT_MS = 15_000;

export interface FlowsPageOptions {
  /** Statement timeout of the page's query; default FLOWS_PAGE_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * One page, newest first: up to `query.limit` flows older than `query.cursor`, and `nextCursor`
 * when more may follow. A page can hold fewer flows than the limit and still have a next one
 * (rows dropped by the exact range check or unreadable); only a missing nextCursor means the end.
 * Throws QueryTooSlowError when the query runs past its timeout (a filter that matches few flows
 * of a long range), and the filter compiler's FilterError, both the client's to fix.
 */
export async function readFlowsPage(db: Db, query: FlowsPageQuery, opts: FlowsPageOptions = {}): Promise<FlowsPage> {
  const sel = select(query, query.cursor);
  const timeoutMs = opts.timeoutMs ?? FLOWS_PAGE_TIMEOUT_MS;
  const sql = `SELECT ${TIME_TEXT} AS t, flow_key, raw FROM flows WHERE ${sel.where}
     ORDER BY time DESC, flow_key DESC LIMIT ${sel.params.add(query.limit + 1)}`;
  let rows: Row[];
  try {
    rows = await queryWithin<Row>(db, timeoutMs, sql, sel.params.values);
  } catch (err) {
    if (!isQueryCanceled(err)) throw err;
    throw flowScanTooSlow(`Finding ${query.limit} matching flows`, timeoutMs);
  }
  const pageRows = rows.slice(0, query.limit);
  const flows: FlowsResponse[] = [];
  for (const row of pageRows) {
    if (!sel.keep(row)) continue;
    const response = responseOf(row);
    if (response) flows.push(response);
  }
  const last = pageRows.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeFlowsCursor({ time: last.t, flowKey: last.flow_key }) : undefined;
  return nextCursor ? { flows, nextCursor, command: query.command } : { flows, command: query.command };
}

export interface JsonpbStreamOptions {
  /** Stops the export between batches (the client went away). */
  signal?: AbortSignal;
  batchSize?: number;
}

/**
 * Yields what `source` yields, asking it for the next item as soon as one is handed out: the
 * database reads the next batch while this one is written out, where otherwise the two would take
 * turns (bench/flows-api.ts measures both sides' CPU time). At most one item waits ahead.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let pending = it.next();
  let finished = false;
  try {
    for (;;) {
      const next = await pending;
      if (next.done) {
        finished = true;
        return;
      }
      pending = it.next();
      // A consumer that stops early leaves this read unawaited; the source's return() waits for it.
      pending.catch(() => undefined);
      yield next.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}

/** The stored rows of every selected flow, oldest first, one array per batch (see streamFlowsJsonpb). */
function streamSelectedRows(db: Db, query: FlowsPageQuery, opts: JsonpbStreamOptions): AsyncIterable<Row[]> {
  const sel = select(query, undefined);
  const sql = `SELECT ${TIME_TEXT} AS t, flow_key, raw FROM flows WHERE ${sel.where} ORDER BY time, flow_key`;
  const batchSize = opts.batchSize ?? JSONPB_BATCH_SIZE;
  return (async function* batches() {
    if (opts.signal?.aborted) return;
    for await (const rows of readAhead(db.stream<Row>(sql, sel.params.values, batchSize))) {
      if (opts.signal?.aborted) return;
      const kept = rows.filter(sel.keep);
      if (kept.length > 0) yield kept;
    }
  })();
}

/**
 * Every flow the query selects (cursor and limit ignored), oldest first, as the stored jsonpb
 * lines: text chunks of whole lines, each ending in `\n`, one chunk per batch. The filter is
 * compiled before this returns, so a FilterError is thrown here, not by the iteration; rows are read
 * through a server-side cursor in batches (memory stays bounded by one batch, PGlite's connection
 * is taken only per batch) and the cursor is closed when the iteration ends, returns or aborts.
 */
export function streamFlowsJsonpb(db: Db, query: FlowsPageQuery, opts: JsonpbStreamOptions = {}): AsyncIterable<string> {
  const batches = streamSelectedRows(db, query, opts);
  return (async function* chunks() {
    for await (const rows of batches) {
      let chunk = '';
      for (const row of rows) chunk += `${row.raw}\n`;
      yield chunk;
    }
  })();
}

/** A stored row as a CSV record; empty for a line that cannot be read (responseOf logs it). */
function csvRecordOfRow(row: Row): string {
  const response = responseOf(row);
  return response?.flow ? flowToCsvRecord(response.flow, response.node_name) : '';
}

/**
 * The same flows as streamFlowsJsonpb, as CSV (lib/export/flows-csv.ts: header record first, cells
 * a spreadsheet would run as formulas neutralized). Throws a FilterError before returning, like it.
 */
export function streamFlowsCsv(db: Db, query: FlowsPageQuery, opts: JsonpbStreamOptions = {}): AsyncIterable<string> {
  const batches = streamSelectedRows(db, query, opts);
  return (async function* chunks() {
    yield flowsCsvHeader();
    for await (const rows of batches) yield rows.map(csvRecordOfRow).join('');
  })();
}
