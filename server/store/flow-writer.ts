/**
 * The hot ingest path. A batch is first COPYed straight into `flows` with its edge rollups counted
 * here and upserted in the same transaction: the common case, a live stream of new flows, costs
 * one COPY. When any row is already stored (a resumed stream overlapping what is stored, a retried
 * batch) the unique key refuses the COPY and the batch takes the careful path instead: COPY into a
 * per-connection staging table, then one statement that inserts what is new and counts the rollups
 * from the rows that INSERT returned. Either way a flow delivered twice is stored and counted once.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import { copyLine, jsonFromCopyField } from './copy-text';
import type { Db } from './db';
import { FLOW_COLUMNS, flowToRow } from './flow-row';
import { EDGE_KEY, EDGE_KEY_FROM_FLOWS, EDGE_SOURCE_COLUMNS, EdgeCounts, UNIQUE_VIOLATION, edgeKeyOf } from './edge-counts';

export interface FlowWriteResult {
  /** Rows new to `flows`. */
  inserted: number;
  /** Rows already stored, or repeated inside the batch. */
  duplicates: number;
  /** Responses that carried no storable flow (no flow, or a flow without a time). */
  skipped: number;
  /** The newest flow time in the batch (RFC 3339, as received), when it had any flow. */
  newestTime?: string;
}

/**
 * One flow made ready for writing as soon as it is received: its COPY line and the few values the
 * writer needs, all strings and numbers, so that a batch waiting for the database holds no decoded
 * objects (which are large, and expensive to collect once they have aged into the old generation).
 */
export interface PreparedRow {
  /** The `flows` row as one COPY text line, without the newline. */
  readonly line: string;
  /** The flow's time as received (RFC 3339). */
  readonly time: string;
  /** The time as seconds and nanos, for ordering. */
  readonly seconds: number;
  readonly nanos: number;
  /** The unique key (time, flow_key), for dropping repeats inside a batch. */
  readonly key: string;
  /** The edge rollup key (edgeKeyOf). */
  readonly edge: string;
  /** The response itself, kept only when someone listens for committed flows (see responseOfRow). */
  readonly response?: FlowsResponse;
}

/** Responses made ready for writing: the storable rows, and how many carried no storable flow. */
export interface PreparedFlows {
  rows: readonly PreparedRow[];
  /** Responses that carried no storable flow (no flow, or a flow without a valid time). */
  skipped: number;
}

/** What follows `YYYY-MM-DDTHH:MM:SS` in a UTC time as protojson writes it. */
const UTC_TAIL = /(?:\.(\d{1,9}))?Z$/y;
const PREFIX_LENGTH = 19;
let lastPrefix = { text: '', seconds: 0 };

/** parseTimestamp, reusing the previous flow's date and time when only the fraction differs. */
function parseFlowTime(text: string): Timestamp | undefined {
  UTC_TAIL.lastIndex = PREFIX_LENGTH;
  const tail = text.length > PREFIX_LENGTH ? UTC_TAIL.exec(text) : null;
  const nanos = (m: RegExpExecArray) => (m[1] ? Number(m[1].padEnd(9, '0')) : 0);
  if (tail && lastPrefix.text !== '' && text.startsWith(lastPrefix.text)) return { seconds: lastPrefix.seconds, nanos: nanos(tail) };
  const ts = parseTimestamp(text);
  if (ts && tail) lastPrefix = { text: text.slice(0, PREFIX_LENGTH), seconds: ts.seconds };
  return ts;
}

/**
 * The row for one response, or undefined when it carries no storable flow. `keepResponse` keeps
 * the object itself for the live bus; without it the response can be collected at once.
 */
export function prepareFlow(response: FlowsResponse, keepResponse = false): PreparedRow | undefined {
  const time = response.flow?.time;
  const ts = time ? parseFlowTime(time) : undefined;
  const row = ts && flowToRow(response);
  if (!row || !ts) return undefined;
  return {
    line: copyLine(row, true), time: time as string, seconds: ts.seconds, nanos: ts.nanos,
    key: `${time}\u0000${row[1] as string}`, edge: edgeKeyOf(row), response: keepResponse ? response : undefined,
  };
}

/** Prepares a whole array of responses (import, tests). */
export function prepareFlows(responses: readonly FlowsResponse[]): PreparedFlows {
  const rows: PreparedRow[] = [];
  let skipped = 0;
  for (const response of responses) {
    const row = prepareFlow(response);
    if (row) rows.push(row);
    else skipped++;
  }
  return { rows, skipped };
}

/** The committed response of a row: the kept object, or else read back from its stored jsonpb. */
export function responseOfRow(row: PreparedRow): FlowsResponse {
  return row.response ?? (JSON.parse(jsonFromCopyField(row.line.slice(row.line.lastIndexOf('\t') + 1))) as FlowsResponse);
}

/** Whether row a's time is later than row b's. */
export function isLater(a: Pick<PreparedRow, 'seconds' | 'nanos'>, b: Pick<PreparedRow, 'seconds' | 'nanos'>): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);
}

const rowMs = (r: PreparedRow): number => r.seconds * 1000 + Math.floor(r.nanos / 1e6);

export interface FlowWriter {
  /** Writes the batch in one transaction: either every row and its rollup counts, or nothing. */
  write(responses: readonly FlowsResponse[]): Promise<FlowWriteResult>;
}

export interface PreparedFlowWriter extends FlowWriter {
  /** The same for responses already prepared (prepareFlow) when they were received. */
  writePrepared(batch: PreparedFlows): Promise<FlowWriteResult>;
}

/** What the writer needs from the partition manager (server/store/partitions.ts). */
export interface PartitionEnsurer {
  ensureFor(timesMs: readonly number[]): Promise<void>;
}

export interface FlowWriterOptions {
  partitions?: PartitionEnsurer;
}

const STAGING = 'flows_staging';
const COLUMNS = FLOW_COLUMNS.map((c) => `"${c}"`).join(', ');

// Temporary tables live per connection and are searched before any schema, so each pooled
// connection gets its own; ON COMMIT DELETE ROWS empties it whether the batch commits or not.
const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (LIKE flows) ON COMMIT DELETE ROWS`;

const SORT_MEMORY = '64MB';

function upsertEdges(table: 'edge_minute' | 'edge_hour', unit: 'minute' | 'hour'): string {
  const bucket = unit === 'minute' ? 'bucket' : `date_trunc('hour', bucket, 'UTC')`;
  // ORDER BY gives concurrent writers (one collector per relay) the same lock order on shared rows.
  return `INSERT INTO ${table} (bucket, ${EDGE_KEY}, flows)
    SELECT ${bucket}, ${EDGE_KEY}, sum(flows) FROM per_minute
    GROUP BY 1, ${EDGE_KEY} ORDER BY 1, ${EDGE_KEY}
    ON CONFLICT (bucket, ${EDGE_KEY}) DO UPDATE SET flows = ${table}.flows + excluded.flows
    RETURNING 1`;
}

/**
 * One statement, so the flows and both rollups see the same set of inserted rows. Data-modifying
 * CTEs run exactly once whether or not the outer query reads them. Buckets are cut in UTC so that
 * a session time zone with a half-hour offset cannot shift the hourly ones.
 */
const MOVE_AND_ROLL_UP = `WITH inserted AS (
    INSERT INTO flows (${COLUMNS})
    SELECT DISTINCT ON (time, flow_key) ${COLUMNS} FROM ${STAGING} ORDER BY time, flow_key
    ON CONFLICT (time, flow_key) DO NOTHING
    RETURNING time, ${EDGE_SOURCE_COLUMNS}
  ), per_minute AS (
    SELECT bucket, ${EDGE_KEY}, count(*) AS flows
    FROM (SELECT date_trunc('minute', time, 'UTC') AS bucket, ${EDGE_KEY_FROM_FLOWS} FROM inserted) keyed
    GROUP BY bucket, ${EDGE_KEY}
  ), minute_rows AS (${upsertEdges('edge_minute', 'minute')}
  ), hour_rows AS (${upsertEdges('edge_hour', 'hour')}
  )
  SELECT (SELECT count(*) FROM inserted)::int AS inserted`;

interface Prepared {
  text: string;
  rows: number;
  /** Rows repeated inside the batch, left out of `text`. */
  repeated: number;
  edges: EdgeCounts;
  newest?: PreparedRow;
  oldest?: PreparedRow;
}

function prepare(rows: readonly PreparedRow[]): Prepared {
  const lines: string[] = [];
  const seen = new Set<string>();
  const edges = new EdgeCounts();
  let repeated = 0;
  let newest: PreparedRow | undefined;
  let oldest: PreparedRow | undefined;
  for (const row of rows) {
    if (seen.has(row.key)) {
      repeated++;
      continue;
    }
    seen.add(row.key);
    lines.push(row.line);
    edges.addKey(rowMs(row), row.edge);
    if (!newest || isLater(row, newest)) newest = row;
    if (!oldest || isLater(oldest, row)) oldest = row;
  }
  // One trailing empty element gives the final newline without another copy of the text.
  if (lines.length) lines.push('');
  return { text: lines.join('\n'), rows: seen.size, repeated, edges, newest, oldest };
}

/** The fast path; undefined when some row is already stored. */
async function copyNew(db: Db, batch: Prepared): Promise<number | undefined> {
  try {
    return await db.transaction(async (tx) => {
      await tx.copyFrom('flows', FLOW_COLUMNS, batch.text);
      await batch.edges.upsert(tx);
      return batch.rows;
    });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
    throw err;
  }
}

async function moveThroughStaging(db: Db, batch: Prepared): Promise<number> {
  return db.transaction(async (tx) => {
    // The DISTINCT ON sort holds the whole batch (a few kB a row): keep it in memory.
    await tx.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    await tx.query(CREATE_STAGING);
    await tx.copyFrom(STAGING, FLOW_COLUMNS, batch.text);
    const [result] = await tx.query<{ inserted: number }>(MOVE_AND_ROLL_UP);
    return Number(result?.inserted ?? 0);
  });
}

/** A writer over `db`; safe to share, as every write runs on its own pooled connection. */
export function createFlowWriter(db: Db, opts: FlowWriterOptions = {}): PreparedFlowWriter {
  const writePrepared = async ({ rows, skipped }: PreparedFlows): Promise<FlowWriteResult> => {
    const batch = prepare(rows);
    const newestTime = batch.newest?.time;
    if (batch.rows === 0) return { inserted: 0, duplicates: 0, skipped, newestTime };
    if (opts.partitions && batch.oldest && batch.newest) {
      await opts.partitions.ensureFor([rowMs(batch.oldest), rowMs(batch.newest)]);
    }
    const inserted = (await copyNew(db, batch)) ?? (await moveThroughStaging(db, batch));
    return { inserted, duplicates: batch.rows + batch.repeated - inserted, skipped, newestTime };
  };
  return {
    write: (responses) => writePrepared(prepareFlows(responses)),
    writePrepared,
  };
}
