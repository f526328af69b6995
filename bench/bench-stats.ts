/**
 * The statistics every benchmark prints: nearest-rank percentiles of sorted samples.
 */

/** The nearest-rank `p`th percentile (0–100) of ascending `sorted`; NaN without samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
