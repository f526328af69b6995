/**
 * Flows and drops per TIMELINE_BUCKET_MINUTES over the last day, for the triage timeline. A day of
 * edge_minute rows is the largest read of the triage (with many distinct edges, hundreds of
 * thousands of rows), and all but the newest buckets stay the same from one refresh to the next: a
 * bucket that ended FINAL_AFTER_MS ago is kept per Db and read again only after CACHE_TTL_MS, so a
 * refresh reads the last half hour or so. Each cluster selection keeps its own buckets (a few
 * selections at most, the least recently used forgotten first).
 */
import type { TriageTimeline, TriageTimelinePoint } from '../../lib/api/triage';
import { Verdict } from '../../lib/flow/enums';
import type { Queryable, SqlParam } from './db';
import { clusterSides, namespaceCondition, type TriageScope } from './triage-scope';
import { windowText, type TriageWindows } from './triage-windows';

/** Timeline resolution: 96 bars over a day, each readable at a glance. */
export const TIMELINE_BUCKET_MINUTES = 15;
const BUCKET_MS = TIMELINE_BUCKET_MINUTES * 60_000;
/**
 * Flows reach the store seconds after they happen, and a resumed stream brings back at most what the
 * relay's buffers held; a bucket that ended this long ago no longer changes.
 */
export const FINAL_AFTER_MS = 15 * 60_000;
/** Kept buckets are read again this often anyway, for history written late (an import). */
export const CACHE_TTL_MS = 60 * 60_000;

const DROPPED = Verdict.byName.get('DROPPED')!;

/** Cluster selections kept per Db: the URL can name any, so memory must not follow what is asked. */
export const KEPT_SELECTIONS = 16;

interface Kept { flows: number; drops: number; readAtMs: number }

const kept = new WeakMap<Queryable, Map<string, Map<number, Kept>>>();

/** The kept buckets of one cluster selection (`clusters` sorted; '' for every cluster). */
function cacheOf(db: Queryable, clusters: readonly string[]): Map<number, Kept> {
  let selections = kept.get(db);
  if (!selections) kept.set(db, (selections = new Map()));
  const key = JSON.stringify(clusters);
  const cache = selections.get(key) ?? new Map<number, Kept>();
  // Re-inserted last, so the first key is always the least recently used.
  selections.delete(key);
  selections.set(key, cache);
  while (selections.size > KEPT_SELECTIONS) selections.delete(selections.keys().next().value!);
  return cache;
}

/**
 * The timeline of the day before `w.nowMs`, every bucket present (zeros where nothing was stored).
 * `clock` is the wall clock: a bucket is final only once it ended FINAL_AFTER_MS before both the
 * triage's moment and the real now (a triage asked for a future moment must not keep anything).
 */
export async function readTimeline(
  db: Queryable, w: TriageWindows, clock: () => number = Date.now, scope: TriageScope = {},
): Promise<TriageTimeline> {
  const { namespaces, clusters = [] } = scope;
  const firstMs = Math.floor(w.history.sinceMs / BUCKET_MS) * BUCKET_MS;
  const lastMs = Math.floor(w.history.untilMs / BUCKET_MS) * BUCKET_MS;
  const wallMs = clock();
  const finalUntilMs = Math.min(w.nowMs, wallMs) - FINAL_AFTER_MS;
  // A restricted viewer's counts are their own: read every bucket, keep nothing.
  const cache = namespaces ? new Map<number, Kept>() : cacheOf(db, clusters);
  for (const [t, k] of cache) if (wallMs - k.readAtMs > CACHE_TTL_MS) cache.delete(t);
  let readFromMs = firstMs;
  while (readFromMs <= lastMs && cache.has(readFromMs)) readFromMs += BUCKET_MS;
  const read = new Map<number, { flows: number; drops: number }>();
  if (readFromMs <= lastMs) {
    const params: SqlParam[] = [TIMELINE_BUCKET_MINUTES, DROPPED, new Date(readFromMs), new Date(w.history.untilMs)];
    const inScope = namespaceCondition(params, namespaces);
    const inClusters = clusterSides(params, clusters).either;
    const rows = await db.query<{ t: Date; flows: number; drops: number }>(
      `SELECT date_bin(make_interval(mins => $1::int), bucket, 'epoch'::timestamptz) AS t,
         sum(flows)::float8 AS flows, coalesce(sum(flows) FILTER (WHERE verdict = $2), 0)::float8 AS drops
       FROM edge_minute WHERE bucket >= $3 AND bucket <= $4 AND ${inScope} AND ${inClusters}
       GROUP BY 1`,
      params,
    );
    for (const r of rows) read.set(new Date(r.t).getTime(), { flows: r.flows, drops: r.drops });
    for (let t = readFromMs; t + BUCKET_MS <= finalUntilMs && t <= lastMs; t += BUCKET_MS) {
      cache.set(t, { ...(read.get(t) ?? { flows: 0, drops: 0 }), readAtMs: wallMs });
    }
  }
  const points: TriageTimelinePoint[] = [];
  for (let t = firstMs; t <= lastMs; t += BUCKET_MS) {
    const value = t < readFromMs ? cache.get(t)! : read.get(t);
    points.push({ time: new Date(t).toISOString(), flows: value?.flows ?? 0, drops: value?.drops ?? 0 });
  }
  return { window: windowText({ sinceMs: firstMs, untilMs: w.history.untilMs }), bucketMinutes: TIMELINE_BUCKET_MINUTES, points };
}
