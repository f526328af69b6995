/**
 * Time maths of the drop inbox: which rollup buckets cover a window, how a window is cut into
 * sparkline bins, and the windows a group is compared with (the previous one of equal length, and
 * the 24 hours before it that decide whether a group is new).
 *
 * The rollups count flows per minute (edge_minute) and per hour (edge_hour). A window is widened to
 * whole minutes; windows up to 6 h read minutes only, longer ones read hours for the whole hours
 * inside them and minutes for the partial hours at both ends, so a 24 h window is still counted to
 * the minute at its edges while reading about 24 + 2 × 59 buckets per group instead of 1,440.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Windows up to this long are read from edge_minute alone. */
export const MINUTE_TABLE_MAX_MS = 6 * HOUR_MS;

/** How far back a group must have been absent to count as new. */
export const NOVELTY_LOOKBACK_MS = DAY_MS;

/** Sparklines get at most this many bins. */
export const SPARKLINE_MAX_BINS = 30;

export type RollupTable = 'edge_minute' | 'edge_hour';

/** Buckets of one table whose start lies in [fromMs, toMs). */
export interface RollupRange {
  table: RollupTable;
  fromMs: number;
  toMs: number;
}

/** A window widened to whole minutes: buckets starting in [fromMs, toMs). */
export interface MinuteWindow {
  fromMs: number;
  toMs: number;
}

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;

/**
 * The minute buckets that overlap the window [sinceMs, untilMs): from the minute holding `sinceMs`
 * to the one holding the last instant before `untilMs` (a bound on a minute boundary ends there).
 */
export function minuteWindow(sinceMs: number, untilMs: number): MinuteWindow {
  const fromMs = floorTo(sinceMs, MINUTE_MS);
  return { fromMs, toMs: Math.max(ceilTo(untilMs, MINUTE_MS), fromMs + MINUTE_MS) };
}

/**
 * The bucket ranges that count a minute-aligned span [fromMs, toMs) exactly once: edge_minute alone
 * up to MINUTE_TABLE_MAX_MS, else edge_hour for the whole hours and edge_minute for the rest.
 */
export function rollupRanges(span: MinuteWindow): RollupRange[] {
  const { fromMs, toMs } = span;
  if (toMs <= fromMs) return [];
  if (toMs - fromMs <= MINUTE_TABLE_MAX_MS) return [{ table: 'edge_minute', fromMs, toMs }];
  const firstHour = ceilTo(fromMs, HOUR_MS);
  const lastHour = floorTo(toMs, HOUR_MS);
  const ranges: RollupRange[] = [
    { table: 'edge_minute', fromMs, toMs: firstHour },
    { table: 'edge_hour', fromMs: firstHour, toMs: lastHour },
    { table: 'edge_minute', fromMs: lastHour, toMs },
  ];
  return ranges.filter((r) => r.toMs > r.fromMs);
}

/** Whether a span is read with hour buckets in its middle (first/last seen then have hour precision there). */
export function usesHourBuckets(span: MinuteWindow): boolean {
  return rollupRanges(span).some((r) => r.table === 'edge_hour');
}

/** The previous window of equal length, ending where `span` starts. */
export function previousWindow(span: MinuteWindow): MinuteWindow {
  return { fromMs: 2 * span.fromMs - span.toMs, toMs: span.fromMs };
}

/** The span whose absence makes a group new: the NOVELTY_LOOKBACK_MS before `span` starts. */
export function noveltyWindow(span: MinuteWindow): MinuteWindow {
  return { fromMs: span.fromMs - NOVELTY_LOOKBACK_MS, toMs: span.fromMs };
}

/** Sparkline bins over a span: `count` bins of `binMs` each, the first starting at the span's start. */
export interface SparklineLayout {
  fromMs: number;
  binMs: number;
  count: number;
}

/**
 * Cuts a span into at most SPARKLINE_MAX_BINS bins of whole minutes (whole hours once the span is
 * read with hour buckets, so an hour bucket never straddles two bins' worth of time).
 */
export function sparklineLayout(span: MinuteWindow): SparklineLayout {
  const unit = usesHourBuckets(span) ? HOUR_MS : MINUTE_MS;
  // Bins start on the unit so that every bucket lies inside one bin.
  const fromMs = floorTo(span.fromMs, unit);
  const lengthMs = Math.max(span.toMs - fromMs, MINUTE_MS);
  const binMs = Math.max(unit, ceilTo(lengthMs / SPARKLINE_MAX_BINS, unit));
  return { fromMs, binMs, count: Math.ceil(lengthMs / binMs) };
}

/** The bin a bucket starting at `bucketMs` falls in, clamped to the layout. */
export function sparklineBin(layout: SparklineLayout, bucketMs: number): number {
  const bin = Math.floor((bucketMs - layout.fromMs) / layout.binMs);
  return Math.min(layout.count - 1, Math.max(0, bin));
}

/** Dense bin counts from sparse (bin, count) pairs; out-of-range bins are clamped to the ends. */
export function denseBins(layout: SparklineLayout, bins: readonly number[], counts: readonly number[]): number[] {
  const out = new Array<number>(layout.count).fill(0);
  bins.forEach((bin, i) => {
    out[Math.min(layout.count - 1, Math.max(0, bin))] += counts[i] ?? 0;
  });
  return out;
}
