import { describe, expect, it } from 'vitest';
import {
  denseBins, HOUR_MS, MINUTE_MS, minuteWindow, noveltyWindow, previousWindow, rollupRanges, sparklineBin, sparklineLayout, usesHourBuckets,
} from './drop-window';

const T = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('drop windows', () => {
  it('widen a window to the whole minutes it touches', () => {
    expect(minuteWindow(T + 15_000, T + HOUR_MS + 1)).toEqual({ fromMs: T, toMs: T + HOUR_MS + MINUTE_MS });
    expect(minuteWindow(T, T + HOUR_MS)).toEqual({ fromMs: T, toMs: T + HOUR_MS });
    expect(minuteWindow(T, T)).toEqual({ fromMs: T, toMs: T + MINUTE_MS });
  });

  it('read minutes up to 6 h, and hours in the middle of longer spans with minutes at the edges', () => {
    expect(rollupRanges({ fromMs: T, toMs: T + 6 * HOUR_MS })).toEqual([{ table: 'edge_minute', fromMs: T, toMs: T + 6 * HOUR_MS }]);
    const from = T - 15 * MINUTE_MS;
    const to = T + 24 * HOUR_MS + 7 * MINUTE_MS;
    expect(rollupRanges({ fromMs: from, toMs: to })).toEqual([
      { table: 'edge_minute', fromMs: from, toMs: T },
      { table: 'edge_hour', fromMs: T, toMs: T + 24 * HOUR_MS },
      { table: 'edge_minute', fromMs: T + 24 * HOUR_MS, toMs: to },
    ]);
    expect(rollupRanges({ fromMs: T, toMs: T + 7 * HOUR_MS })).toEqual([{ table: 'edge_hour', fromMs: T, toMs: T + 7 * HOUR_MS }]);
    expect(rollupRanges({ fromMs: T, toMs: T })).toEqual([]);
    expect(usesHourBuckets({ fromMs: T, toMs: T + 7 * HOUR_MS })).toBe(true);
  });

  it('compare with the previous window of equal length and the 24 h before', () => {
    const span = { fromMs: T, toMs: T + HOUR_MS };
    expect(previousWindow(span)).toEqual({ fromMs: T - HOUR_MS, toMs: T });
    expect(noveltyWindow(span)).toEqual({ fromMs: T - 24 * HOUR_MS, toMs: T });
  });

  it('cut sparklines into at most 30 bins of whole units', () => {
    expect(sparklineLayout({ fromMs: T, toMs: T + HOUR_MS })).toEqual({ fromMs: T, binMs: 2 * MINUTE_MS, count: 30 });
    expect(sparklineLayout({ fromMs: T, toMs: T + 10 * MINUTE_MS })).toEqual({ fromMs: T, binMs: MINUTE_MS, count: 10 });
    // Hour buckets: bins start on the hour, so a bucket never spans two bins.
    expect(sparklineLayout({ fromMs: T + 30 * MINUTE_MS, toMs: T + 24 * HOUR_MS + 31 * MINUTE_MS })).toEqual({ fromMs: T, binMs: HOUR_MS, count: 25 });
    const layout = sparklineLayout({ fromMs: T, toMs: T + HOUR_MS });
    expect([sparklineBin(layout, T - 1), sparklineBin(layout, T + 3 * MINUTE_MS), sparklineBin(layout, T + 2 * HOUR_MS)]).toEqual([0, 1, 29]);
    expect(denseBins({ fromMs: T, binMs: MINUTE_MS, count: 4 }, [0, 2, 9], [5, 1, 2])).toEqual([5, 0, 1, 2]);
  });
});
