/**
 * The timeline under the map: flows and drops per bucket, and the window picked on it. Windows
 * snap to whole buckets, since the rollups cannot answer finer than that.
 */
import type { ServiceMapTimelinePoint } from '../../lib/api/service-map';

const MINUTE_MS = 60_000;

export interface TimelineBar {
  startMs: number;
  flows: number;
  drops: number;
}

export interface TimelineModel {
  startMs: number;
  endMs: number;
  bucketMs: number;
  bars: TimelineBar[];
  maxFlows: number;
}

export interface WindowMs {
  sinceMs: number;
  untilMs: number;
}

/** Bars from the API's points, over a span that covers both them and the window shown. */
export function timelineModel(points: readonly ServiceMapTimelinePoint[], window: WindowMs, fallbackBucketMs = MINUTE_MS): TimelineModel {
  const bars = points
    .map((p) => ({ startMs: Date.parse(p.time), flows: p.flows, drops: p.drops }))
    .filter((b) => Number.isFinite(b.startMs))
    .sort((a, b) => a.startMs - b.startMs);
  let bucketMs = Infinity;
  for (let i = 1; i < bars.length; i++) bucketMs = Math.min(bucketMs, bars[i].startMs - bars[i - 1].startMs || Infinity);
  if (!Number.isFinite(bucketMs)) bucketMs = fallbackBucketMs;
  const startMs = Math.min(window.sinceMs, bars[0]?.startMs ?? window.sinceMs);
  const endMs = Math.max(window.untilMs, bars.length ? bars[bars.length - 1].startMs + bucketMs : window.untilMs);
  return { startMs, endMs, bucketMs, bars, maxFlows: Math.max(1, ...bars.map((b) => b.flows)) };
}

/**
 * The window between two picked instants (either order), widened to whole buckets (aligned to the
 * epoch, as the rollups are), at least one bucket long, within the timeline.
 */
export function snapWindow(aMs: number, bMs: number, model: Pick<TimelineModel, 'startMs' | 'endMs' | 'bucketMs'>): WindowMs {
  const b = model.bucketMs;
  let sinceMs = Math.floor(Math.min(aMs, bMs) / b) * b;
  let untilMs = Math.ceil(Math.max(aMs, bMs) / b) * b;
  if (untilMs <= sinceMs) untilMs = sinceMs + b;
  const lo = Math.floor(model.startMs / b) * b;
  const hi = Math.ceil(model.endMs / b) * b;
  if (sinceMs < lo) [sinceMs, untilMs] = [lo, Math.max(untilMs, lo + b)];
  if (untilMs > hi) [sinceMs, untilMs] = [Math.min(sinceMs, hi - b), hi];
  return { sinceMs, untilMs };
}

/** The same window moved by `deltaMs` (rounded to whole buckets), kept inside the timeline. */
export function moveWindow(window: WindowMs, deltaMs: number, model: Pick<TimelineModel, 'startMs' | 'endMs' | 'bucketMs'>): WindowMs {
  const b = model.bucketMs;
  const length = window.untilMs - window.sinceMs;
  const lo = Math.floor(model.startMs / b) * b;
  const hi = Math.ceil(model.endMs / b) * b;
  const since = Math.min(Math.max(lo, window.sinceMs + Math.round(deltaMs / b) * b), hi - length);
  return { sinceMs: Math.max(lo, since), untilMs: Math.max(lo, since) + length };
}
