/**
 * Where the stored history of some clusters begins, for the triage's "no history to compare with"
 * judgements. A cluster joined to the mesh an hour ago has no drops a day ago because nothing was
 * stored, not because nothing dropped: the comparison must say so for that cluster.
 *
 * The cluster is in no index, so the oldest row is found in the hour rollups first (walked in
 * bucket order, they stop at the first match and are 60 times fewer than the minute rows; a young
 * cluster walks the older hours of the others, a few thousand rows a day), then in the minute rows
 * of that one hour.
 */
import type { Queryable, SqlParam } from './db';
import { clusterSides } from './triage-scope';
import type { TriageWindows } from './triage-windows';

const HOUR_MS = 3_600_000;

const iso = (d: Date | string) => new Date(d).toISOString();

async function firstBucket(
  db: Queryable, table: 'edge_hour' | 'edge_minute', fromMs: number, toMs: number, clusters: readonly string[],
): Promise<number | undefined> {
  const params: SqlParam[] = [new Date(fromMs), new Date(toMs)];
  const sides = clusterSides(params, clusters);
  // min() over the primary key's leading column walks it in order and stops at the first match.
  const [row] = await db.query<{ since: Date | null }>(
    `SELECT min(bucket) AS since FROM ${table} WHERE bucket >= $1 AND bucket <= $2 AND ${sides.either}`, params,
  );
  return row?.since ? Date.parse(iso(row.since)) : undefined;
}

/**
 * The oldest minute bucket with a flow of `clusters`, never before `allSince` (where every cluster's
 * stored history begins); null when they have no stored flow at all.
 */
export async function readClusterDataSince(
  db: Queryable, w: TriageWindows, clusters: readonly string[], allSince: string | null,
): Promise<string | null> {
  if (allSince === null) return null;
  const allSinceMs = Date.parse(allSince);
  const hourMs = await firstBucket(db, 'edge_hour', 0, w.history.untilMs, clusters);
  if (hourMs === undefined) return null;
  // Hours older than the oldest minute row: the minute rows are gone, history starts where they do.
  if (hourMs + HOUR_MS <= allSinceMs) return allSince;
  const fromMs = Math.max(hourMs, allSinceMs);
  const minuteMs = await firstBucket(db, 'edge_minute', fromMs, Math.min(hourMs + HOUR_MS - 1, w.history.untilMs), clusters);
  return iso(new Date(minuteMs ?? fromMs));
}
