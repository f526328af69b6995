import { describe, expect, it } from 'vitest';
import type { TriageTimeline } from '../../lib/api/triage';
import { TIMELINE_WIDTH, timelineLayout } from './timeline-layout';

const timeline: TriageTimeline = {
  window: { since: '2026-01-15T10:00:00.000Z', until: '2026-01-15T10:50:00.000Z' },
  bucketMinutes: 15,
  points: [
    { time: '2026-01-15T10:00:00.000Z', flows: 1500, drops: 0 },
    { time: '2026-01-15T10:15:00.000Z', flows: 3000, drops: 150 },
    { time: '2026-01-15T10:30:00.000Z', flows: 0, drops: 0 },
    // 5 minutes into the bucket: 500 flows is 100 per minute, not 33.
    { time: '2026-01-15T10:45:00.000Z', flows: 500, drops: 50 },
  ],
};

describe('timelineLayout', () => {
  const layout = timelineLayout(
    timeline,
    [{ relay: 'r', kind: 'lost-events', from: '2026-01-15T10:20:00.000Z', to: '2026-01-15T10:20:01.000Z', lostFlows: 3, detail: null }],
    [{ relay: 'r', from: '2026-01-15T10:30:00.000Z', to: '2026-01-15T10:40:00.000Z', ongoing: false }],
    '2026-01-15T10:35:00.000Z',
  );

  it('draws one bar per bucket at its per-minute rate, the bucket in progress over the minutes it covers', () => {
    expect(layout.bars.map((b) => [b.flowsPerMin, b.dropsPerMin])).toEqual([[100, 0], [200, 10], [0, 0], [100, 10]]);
    expect(layout.maxFlowsPerMin).toBe(200);
    expect(layout.maxDropsPerMin).toBe(10);
    const [first, busiest, empty, last] = layout.bars;
    expect(busiest.flowsHeight).toBeCloseTo(first.flowsHeight * 2);
    expect(empty.flowsHeight).toBe(0);
    expect(last.dropsHeight).toBeCloseTo(busiest.dropsHeight);
    expect(last.until).toBe('2026-01-15T10:50:00.000Z');
    expect(first.x).toBeLessThan(busiest.x);
    expect(last.x + last.width).toBeLessThanOrEqual(TIMELINE_WIDTH);
    // Bars stand on their band's baseline.
    expect(first.flowsY + first.flowsHeight).toBeCloseTo(busiest.flowsY + busiest.flowsHeight);
  });

  it('keeps a one-second gap visible and spans outages over their time', () => {
    expect(layout.gaps[0].width).toBe(2);
    const [outage] = layout.outages;
    const perMinute = (layout.bars[1].x - layout.bars[0].x) / 15;
    expect(outage.width).toBeCloseTo(perMinute * 10, 0);
    expect(layout.recent.width).toBeCloseTo(perMinute * 15, 0);
  });

  it('scales an all-zero day without dividing by zero', () => {
    const quiet = timelineLayout({ ...timeline, points: timeline.points.map((p) => ({ ...p, flows: 0, drops: 0 })) }, [], [], timeline.window.since);
    expect(quiet.bars.every((b) => b.flowsHeight === 0 && b.dropsHeight === 0 && Number.isFinite(b.flowsY))).toBe(true);
    expect(quiet.ticks.length).toBeGreaterThan(0);
  });
});
