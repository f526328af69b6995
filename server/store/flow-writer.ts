/**
 * The hot ingest path. A batch is first COPYed straight into `flows` with its edge rollups counted
 * here and upserted in the same transaction: the common case, a live stream of new flows, costs
 * one COPY. When any row is already stored (a resumed stream overlapping what is stored, a retried
 * batch) the unique key refuses the COPY and the batch takes the careful path instead: COPY into a
 * per-connection staging table, then one statement that inserts what is new and counts the rollups
 * from the rows that INSERT returned. Either way a flow delivered twice is stored and counted once.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { compareTimestamps, parseTimestamp, timestampToMs, type Timestamp } from '../../lib/time/timestamp';
import { copyLine } from './copy-text';
import type { Db } from './db';
import { FLOW_COLUMNS, flowToRow } from './flow-row';
import { EdgeCounts, UNIQUE_VIOLATION } from './edge-counts';

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

export interface FlowWriter {
  /** Writes the batch in one transaction: either every row and its rollup counts, or nothing. */
  write(responses: readonly FlowsResponse[]): Promise<FlowWriteResult>;
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

const EDGE_KEY = 'src_namespace, src_entity, dst_namespace, dst_entity, dst_port, protocol, verdict, drop_reason';

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
    RETURNING time, src_namespace, src_entity, dst_namespace, dst_entity, dst_port, l4_protocol, verdict, drop_reason
  ), per_minute AS (
    SELECT date_trunc('minute', time, 'UTC') AS bucket,
      coalesce(src_namespace, '') AS src_namespace, src_entity,
      coalesce(dst_namespace, '') AS dst_namespace, dst_entity,
      coalesce(dst_port, 0) AS dst_port, coalesce(l4_protocol, '') AS protocol, verdict, drop_reason,
      count(*) AS flows
    FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
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
  skipped: number;
  newest?: { text: string; ts: Timestamp };
  oldest?: Timestamp;
}

function prepare(responses: readonly FlowsResponse[]): Prepared {
  const lines: string[] = [];
  const seen = new Set<string>();
  const edges = new EdgeCounts();
  let skipped = 0;
  let repeated = 0;
  let newest: Prepared['newest'];
  let oldest: Timestamp | undefined;
  for (const response of responses) {
    const row = flowToRow(response);
    const ts = row && parseTimestamp(response.flow?.time ?? '');
    if (!row || !ts) {
      skipped++;
      continue;
    }
    const key = `${row[0]}\u0000${row[1]}`;
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    lines.push(copyLine(row));
    edges.add(timestampToMs(ts), row);
    if (!newest || compareTimestamps(ts, newest.ts) > 0) newest = { text: response.flow?.time as string, ts };
    if (!oldest || compareTimestamps(ts, oldest) < 0) oldest = ts;
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', rows: lines.length, repeated, edges, skipped, newest, oldest };
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
export function createFlowWriter(db: Db, opts: FlowWriterOptions = {}): FlowWriter {
  return {
    async write(responses) {
      const batch = prepare(responses);
      const newestTime = batch.newest?.text;
      if (batch.rows === 0) return { inserted: 0, duplicates: 0, skipped: batch.skipped, newestTime };
      if (opts.partitions && batch.oldest && batch.newest) {
        await opts.partitions.ensureFor([timestampToMs(batch.oldest), timestampToMs(batch.newest.ts)]);
      }
      const inserted = (await copyNew(db, batch)) ?? (await moveThroughStaging(db, batch));
      return { inserted, duplicates: batch.rows + batch.repeated - inserted, skipped: batch.skipped, newestTime };
    },
  };
}
