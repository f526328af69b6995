/**
 * The hot ingest path. A batch is first COPYed straight into `flows` with its edge rollups counted
 * here and upserted in the same transaction: the common case, a live stream of new flows, costs
 * one COPY. When any row is already stored (a resumed stream overlapping what is stored, a retried
 * batch) the unique key refuses the COPY and the batch takes the careful path instead: COPY into a
 * per-connection staging table, then one statement that inserts what is new and counts the rollups
 * from the rows that INSERT returned. Either way a flow delivered twice is stored and counted once.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { Db } from './db';
import { copyData, type CopyData } from './copy-binary';
import { FLOW_COLUMNS } from './flow-row';
import { EDGE_KEY, EDGE_KEY_FROM_FLOWS, EDGE_SOURCE_COLUMNS, EdgeCounts, UNIQUE_VIOLATION } from './edge-counts';
import { isLater, prepareFlows, type PreparedFlows, type PreparedRow } from './prepared-row';

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

// Where callers have always found them.
export { isLater, prepareFlow, prepareFlows, type PreparedFlows, type PreparedRow } from './prepared-row';

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
  /** The binary COPY stream of the batch's rows. */
  data: CopyData;
  rows: number;
  /** Rows repeated inside the batch, left out of `data`. */
  repeated: number;
  edges: EdgeCounts;
  newest?: PreparedRow;
  oldest?: PreparedRow;
}

function prepare(rows: readonly PreparedRow[]): Prepared {
  const tuples: Buffer[] = [];
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
    tuples.push(row.tuple);
    edges.addKey(rowMs(row), row.edge);
    if (!newest || isLater(row, newest)) newest = row;
    if (!oldest || isLater(oldest, row)) oldest = row;
  }
  return { data: copyData(tuples), rows: seen.size, repeated, edges, newest, oldest };
}

/**
 * Rows of ~2.7 kB are over PostgreSQL's TOAST threshold, so each row's jsonpb line is compressed as
 * it is written. lz4 does that several times faster than the default pglz (measured here: COPY of
 * demo rows 29–36k → 45–52k rows/s, the same size on disk); reads decompress either. PGlite is
 * built without lz4, so the writer asks once whether the server has it.
 */
const LZ4_AVAILABLE = `SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`;
/** Run first in a transaction whose COPY should compress with lz4 (only where serverHasLz4). */
export const USE_LZ4 = `SET LOCAL default_toast_compression = 'lz4'`;

/** Whether the server can compress with lz4 (PostgreSQL built with it; never PGlite). */
export async function serverHasLz4(db: Pick<Db, 'query'>): Promise<boolean> {
  const [row] = await db.query<{ ok: boolean }>(LZ4_AVAILABLE);
  return row?.ok === true;
}

/** The fast path; undefined when some row is already stored. */
async function copyNew(db: Db, batch: Prepared, lz4: boolean): Promise<number | undefined> {
  try {
    return await db.transaction(async (tx) => {
      if (lz4) await tx.query(USE_LZ4);
      await tx.copyFrom('flows', FLOW_COLUMNS, batch.data);
      await batch.edges.upsert(tx);
      return batch.rows;
    });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
    throw err;
  }
}

async function moveThroughStaging(db: Db, batch: Prepared, lz4: boolean): Promise<number> {
  return db.transaction(async (tx) => {
    // The DISTINCT ON sort holds the whole batch (a few kB a row): keep it in memory.
    await tx.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    if (lz4) await tx.query(USE_LZ4);
    await tx.query(CREATE_STAGING);
    await tx.copyFrom(STAGING, FLOW_COLUMNS, batch.data);
    const [result] = await tx.query<{ inserted: number }>(MOVE_AND_ROLL_UP);
    return Number(result?.inserted ?? 0);
  });
}

/** A writer over `db`; safe to share, as every write runs on its own pooled connection. */
export function createFlowWriter(db: Db, opts: FlowWriterOptions = {}): PreparedFlowWriter {
  let lz4: Promise<boolean> | undefined;
  // Asked again after a failure (the database may have been down), else once.
  const useLz4 = (): Promise<boolean> => (lz4 ??= serverHasLz4(db).catch(
    () => {
      lz4 = undefined;
      return false;
    },
  ));
  const writePrepared = async ({ rows, skipped }: PreparedFlows): Promise<FlowWriteResult> => {
    const batch = prepare(rows);
    const newestTime = batch.newest?.time;
    if (batch.rows === 0) return { inserted: 0, duplicates: 0, skipped, newestTime };
    if (opts.partitions && batch.oldest && batch.newest) {
      await opts.partitions.ensureFor([rowMs(batch.oldest), rowMs(batch.newest)]);
    }
    const compressWithLz4 = await useLz4();
    const inserted = (await copyNew(db, batch, compressWithLz4)) ?? (await moveThroughStaging(db, batch, compressWithLz4));
    return { inserted, duplicates: batch.rows + batch.repeated - inserted, skipped, newestTime };
  };
  return {
    write: (responses) => writePrepared(prepareFlows(responses)),
    writePrepared,
  };
}
