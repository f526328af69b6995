/**
 * Flows and drops per TIMELINE_BUCKET_MINUTES over the last day, for the triage timeline. A day of
 * edge_minute rows is the largest read of the triage (with many distinct edges, hundreds of
 * thousands of rows), and all but the newest buckets stay the same from one refresh to the next: a
 * bucket that ended FINAL_AFTER_MS ago is kept per Db and read again only after CACHE_TTL_MS, so a
 * refresh reads the last half hour or so.
 */
import type { TriageTimeline, TriageTimelinePoint } from '../../lib/api/triage';
import { Verdict } from '../../lib/flow/enums';
import type { Queryable } from './db';
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

interface Kept { flows: number; drops: number; readAtMs: number }

const kept = new WeakMap<Queryable, Map<number, Kept>>();

function cacheOf(db: Queryable): Map<number, Kept> {
  let cache = kept.get(db);
  if (!cache) kept.set(db, (cache = new Map()));
  return cache;
}

/**
 * The timeline of the day before `w.nowMs`, every bucket present (zeros where nothing was stored).
 * `clock` is the wall clock: a bucket is final only once it ended FINAL_AFTER_MS before both the
 * triage's moment and the real now (a triage asked for a future moment must not keep anything).
 */
export async function readTimeline(
  db: Queryable, w: TriageWindows, clock: () => number = Date.now, namespaces?: readonly string[],
): Promise<TriageTimeline> {
  const firstMs = Math.floor(w.history.sinceMs / BUCKET_MS) * BUCKET_MS;
  const lastMs = Math.floor(w.history.untilMs / BUCKET_MS) * BUCKET_MS;
  const wallMs = clock();
  const finalUntilMs = Math.min(w.nowMs, wallMs) - FINAL_AFTER_MS;
  // A restricted viewer's counts are their own: read every bucket, keep nothing.
  const cache = namespaces ? new Map<number, Kept>() : cacheOf(db);
  const scope = namespaces ? 'AND (src_namespace = ANY($5::text[]) OR dst_namespace = ANY($5::text[]))' : '';
  for (const [t, k] of cache) if (wallMs - k.readAtMs > CACHE_TTL_MS) cache.delete(t);
  let readFromMs = firstMs;
  while (readFromMs <= lastMs && cache.has(readFromMs)) readFromMs += BUCKET_MS;
  const read = new Map<number, { flows: number; drops: number }>();
  if (readFromMs <= lastMs) {
    const rows = await db.query<{ t: Date; flows: number; drops: number }>(
      `SELECT date_bin(make_interval(mins => $1::int), bucket, 'epoch'::timestamptz) AS t,
         sum(flows)::float8 AS flows, coalesce(sum(flows) FILTER (WHERE verdict = $2), 0)::float8 AS drops
       FROM edge_minute WHERE bucket >= $3 AND bucket <= $4 ${scope}
       GROUP BY 1`,
      [TIMELINE_BUCKET_MINUTES, DROPPED, new Date(readFromMs), new Date(w.history.untilMs), ...(namespaces ? [[...namespaces]] : [])],
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
