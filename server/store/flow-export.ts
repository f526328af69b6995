/**
 * Stored flows of a time range, oldest first, as their jsonpb lines: the `raw` column holds the
 * line exactly as it was received (normalized once on the way in), so an export is what
 * `hubble observe -o jsonpb` printed and `hubble observe --input-file` reads it back unchanged.
 */
import type { Db } from './db';

export interface FlowExportRange {
  /** RFC 3339; flows at or after this time. */
  since: string;
  /** RFC 3339; flows at or before this time (inclusive, like `hubble observe --until`). */
  until: string;
}

/** Rows fetched per round trip: large enough to keep the server busy, small enough to bound memory. */
export const EXPORT_BATCH_SIZE = 5_000;

// The primary key is (time, flow_key), so this order is an index scan per day partition merged in
// order, and it is total: two exports of the same range give the same bytes.
const EXPORT_SQL = `SELECT raw FROM flows
  WHERE time >= $1::timestamptz AND time <= $2::timestamptz
  ORDER BY time, flow_key`;

/** Streams the jsonpb lines of the range in batches, in (time, flow_key) order, without holding the result. */
export async function* exportFlowLines(db: Db, range: FlowExportRange, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<string[]> {
  for await (const rows of db.stream<{ raw: string }>(EXPORT_SQL, [range.since, range.until], batchSize)) {
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = rows[i].raw;
    yield lines;
  }
}
