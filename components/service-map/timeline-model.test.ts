import { describe, expect, it } from 'vitest';
import { moveWindow, snapWindow, timelineModel } from './timeline-model';

const T0 = Date.UTC(2026, 0, 15, 11, 0, 0);
const MIN = 60_000;
const points = Array.from({ length: 60 }, (_, i) => ({ time: new Date(T0 + i * MIN).toISOString(), flows: 100 + i, drops: i % 7 }));

describe('timeline model', () => {
  it('reads the bucket size from the points and spans them and the window', () => {
    const model = timelineModel([...points].reverse(), { sinceMs: T0 + 55 * MIN, untilMs: T0 + 62 * MIN });
    expect(model.bucketMs).toBe(MIN);
    expect(model.startMs).toBe(T0);
    expect(model.endMs).toBe(T0 + 62 * MIN);
    expect(model.bars[0]).toEqual({ startMs: T0, flows: 100, drops: 0 });
    expect(model.maxFlows).toBe(159);
  });

  it('falls back to a minute and to the window without points', () => {
    const model = timelineModel([], { sinceMs: T0, untilMs: T0 + 5 * MIN });
    expect(model).toEqual({ startMs: T0, endMs: T0 + 5 * MIN, bucketMs: MIN, bars: [], maxFlows: 1 });
  });

  it('snaps a picked range to whole buckets inside the timeline, in either direction', () => {
    const model = timelineModel(points, { sinceMs: T0, untilMs: T0 + 60 * MIN });
    expect(snapWindow(T0 + 10.5 * MIN, T0 + 3.2 * MIN, model)).toEqual({ sinceMs: T0 + 3 * MIN, untilMs: T0 + 11 * MIN });
    expect(snapWindow(T0 + 7 * MIN, T0 + 7 * MIN, model)).toEqual({ sinceMs: T0 + 7 * MIN, untilMs: T0 + 8 * MIN });
    expect(snapWindow(T0 - 9 * MIN, T0 + 2 * MIN, model)).toEqual({ sinceMs: T0, untilMs: T0 + 2 * MIN });
    expect(snapWindow(T0 + 59.5 * MIN, T0 + 90 * MIN, model)).toEqual({ sinceMs: T0 + 59 * MIN, untilMs: T0 + 60 * MIN });
  });

  it('moves a window by whole buckets and stops at the ends', () => {
    const model = timelineModel(points, { sinceMs: T0, untilMs: T0 + 60 * MIN });
    const w = { sinceMs: T0 + 10 * MIN, untilMs: T0 + 15 * MIN };
    expect(moveWindow(w, 2.4 * MIN, model)).toEqual({ sinceMs: T0 + 12 * MIN, untilMs: T0 + 17 * MIN });
    expect(moveWindow(w, -60 * MIN, model)).toEqual({ sinceMs: T0, untilMs: T0 + 5 * MIN });
    expect(moveWindow(w, 600 * MIN, model)).toEqual({ sinceMs: T0 + 55 * MIN, untilMs: T0 + 60 * MIN });
  });
});
