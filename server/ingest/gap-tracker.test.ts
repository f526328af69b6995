import { describe, expect, it } from 'vitest';
import { GapTracker, mergeLostEvents } from './gap-tracker';

function tracker(start = 1_000) {
  const clock = { now: start };
  return { t: new GapTracker('relay-a', () => clock.now), clock };
}

describe('GapTracker: relay outages', () => {
  it('records the interval from the break to the reconnection, once', () => {
    const { t, clock } = tracker();
    expect(t.onState('connecting')).toBeUndefined();
    expect(t.onState('connected')).toBeUndefined();
    clock.now = 5_000;
    expect(t.onState('reconnecting', 'relay r unreachable (connect ECONNREFUSED)')).toBeUndefined();
    clock.now = 6_000;
    expect(t.onState('reconnecting', 'another error')).toBeUndefined();
    clock.now = 9_500;
    expect(t.onState('connected')).toEqual({
      relay: 'relay-a', kind: 'relay-unreachable', fromTime: 5_000, toTime: 9_500, detail: 'relay r unreachable (connect ECONNREFUSED)',
    });
    expect(t.onState('connected')).toBeUndefined();
  });

  it('closes an open outage when the collector stops', () => {
    const { t, clock } = tracker();
    t.onState('reconnecting', 'down');
    clock.now = 2_000;
    expect(t.onState('stopped')).toMatchObject({ kind: 'relay-unreachable', fromTime: 1_000, toTime: 2_000, detail: 'down; the collector stopped before it came back' });
    expect(t.onState('stopped')).toBeUndefined();
  });
});

describe('GapTracker: resumed streams', () => {
  const S = '2026-01-01T10:00:00.123456Z';

  it('suspects the interval before each node\'s first flow when it is later than the resume point', () => {
    const { t } = tracker();
    t.onStreamOpening(S);
    expect(t.onFlow('2026-01-01T10:00:05Z', 'w1')).toEqual({ from: S, to: '2026-01-01T10:00:05Z', node: 'w1' });
    // Only a node's first flow is looked at.
    expect(t.onFlow('2026-01-01T10:00:09Z', 'w1')).toBeUndefined();
    // Another node still had flows from before the resume point.
    expect(t.onFlow('2026-01-01T09:59:59.9Z', 'cp')).toBeUndefined();
    expect(t.onFlow('2026-01-01T10:00:07Z', 'w2')).toMatchObject({ node: 'w2', to: '2026-01-01T10:00:07Z' });
    // A new stream starts over.
    t.onStreamOpening(S);
    expect(t.onFlow('2026-01-01T10:00:11Z', 'w1')).toMatchObject({ node: 'w1' });
  });

  it('does not suspect an overlap, microsecond rounding of the stored time, or a first start', () => {
    const { t } = tracker();
    t.onStreamOpening(S);
    expect(t.onFlow('2026-01-01T09:59:59.5Z', 'a')).toBeUndefined();
    expect(t.onFlow('2026-01-01T10:00:00.123456400Z', 'b')).toBeUndefined();
    t.onStreamOpening(undefined);
    expect(t.onFlow('2026-01-01T11:00:00Z', 'a')).toBeUndefined();
  });

  it('records not-recovered only when the node holds nothing from before the resume point', () => {
    const { t } = tracker();
    const suspect = { from: S, to: '2026-01-01T10:00:05Z', node: 'demo/worker-1' };
    expect(t.notRecovered(suspect, '2026-01-01T09:00:00Z')).toBeUndefined();
    const gap = t.notRecovered(suspect, '2026-01-01T10:00:05Z');
    expect(gap).toMatchObject({ relay: 'relay-a', kind: 'not-recovered', fromTime: S, toTime: '2026-01-01T10:00:05Z' });
    expect(gap?.detail).toMatch(/^node demo\/worker-1 no longer holds/);
    expect(t.notRecovered(suspect, undefined)?.detail).toMatch(/did not say/);
  });
});

describe('GapTracker: lost events', () => {
  it('spans from the newest flow received to when the loss was reported', () => {
    const { t } = tracker();
    const gap = t.lostEvents({
      lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '42' }, node_name: 'kind/worker', time: '2026-01-01T10:00:02Z',
    }, '2026-01-01T10:00:01Z');
    expect(gap).toEqual({
      relay: 'relay-a', kind: 'lost-events', fromTime: '2026-01-01T10:00:01Z', toTime: '2026-01-01T10:00:02Z', lostFlows: 42,
      detail: 'HUBBLE_RING_BUFFER on kind/worker',
    });
    // An unknown source (a number from a newer relay) and no flow yet.
    expect(t.lostEvents({ lost_events: { source: 9 as never, num_events_lost: '1' }, time: '2026-01-01T10:00:02Z' }, undefined))
      .toMatchObject({ fromTime: '2026-01-01T10:00:02Z', detail: '9 on an unnamed node', lostFlows: 1 });
  });

  it('merges a burst of lost events into one gap', () => {
    const a = { relay: 'r', kind: 'lost-events' as const, fromTime: 'a', toTime: 'b', lostFlows: 2, detail: 'X on n1' };
    const b = { ...a, fromTime: 'b', toTime: 'c', lostFlows: 3, detail: 'X on n2' };
    expect(mergeLostEvents(a, b)).toEqual({ ...a, toTime: 'c', lostFlows: 5, detail: 'X on n1, X on n2' });
    expect(mergeLostEvents(a, { ...b, kind: 'not-recovered' })).toBeUndefined();
  });
});
