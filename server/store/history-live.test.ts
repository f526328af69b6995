import { describe, expect, it, vi } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp } from '../../lib/time/timestamp';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import { filterUnion, LiveFollower, LiveHub, Watermark, type LiveFlow, type LiveFlows } from './history-live';
import { planHistory } from './history-plan';

const at = (second: number, uuid: string, verdict: Flow['verdict'] = 'FORWARDED'): FlowsResponse => {
  const time = `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`;
  return { flow: { time, uuid, verdict }, node_name: 'n', time };
};
const entry = (r: FlowsResponse): LiveFlow => ({ response: r, ts: parseTimestamp(r.flow?.time as string)!, flowKey: r.flow?.uuid as string });
const lost = (count: number): FlowsResponse => ({ lost_events: { source: 'OBSERVER_EVENTS_QUEUE', num_events_lost: String(count) } });

async function drainNow(follower: LiveFollower): Promise<FlowsResponse[]> {
  follower.end();
  const out: FlowsResponse[] = [];
  for await (const r of follower.drain(new AbortController().signal)) out.push(r);
  return out;
}

describe('Watermark', () => {
  it('covers older flows and the flows sent at its time, not others at that time', () => {
    const mark = new Watermark();
    expect(mark.covers(entry(at(1, 'a')))).toBe(false);
    mark.note(entry(at(5, 'b')).ts, 'b');
    mark.note(entry(at(3, 'c')).ts, 'c');
    expect(mark.covers(entry(at(4, 'x')))).toBe(true);
    expect(mark.covers(entry(at(5, 'b')))).toBe(true);
    expect(mark.covers(entry(at(5, 'y')))).toBe(false);
    expect(mark.covers(entry(at(6, 'z')))).toBe(false);
  });
});

describe('LiveFollower', () => {
  const plan = planHistory({ follow: true, whitelist: [{ verdict: ['DROPPED'] }] });

  it('queues matching flows newer than the watermark', async () => {
    const follower = new LiveFollower({ plan, limit: 10, lostEvent: lost });
    follower.offer(entry(at(1, 'old', 'DROPPED')));
    follower.offer(entry(at(2, 'other')));
    const mark = new Watermark();
    mark.note(entry(at(1, 'old')).ts, 'old');
    follower.startLive(mark);
    follower.offer(entry(at(3, 'new', 'DROPPED')));
    follower.offer(entry(at(0, 'late', 'DROPPED')));
    expect((await drainNow(follower)).map((r) => r.flow?.uuid)).toEqual(['new']);
  });

  it('before the live part, empties a full queue and asks for the scan to read on', async () => {
    const follower = new LiveFollower({ plan, limit: 2, lostEvent: lost });
    for (const [i, id] of ['a', 'b', 'c'].entries()) follower.offer(entry(at(i + 1, id, 'DROPPED')));
    expect(follower.takeDropped()).toBe(true);
    expect(follower.takeDropped()).toBe(false);
    follower.offer(entry(at(9, 'd', 'DROPPED')));
    follower.startLive(new Watermark());
    expect((await drainNow(follower)).map((r) => r.flow?.uuid)).toEqual(['d']);
  });

  it('once live, loses flows when full and says how many before the next one', async () => {
    const follower = new LiveFollower({ plan, limit: 2, lostEvent: lost });
    follower.startLive(new Watermark());
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) follower.offer(entry(at(i + 1, id, 'DROPPED')));
    const reader = follower.drain(new AbortController().signal);
    expect((await reader.next()).value).toMatchObject({ flow: { uuid: 'a' } });
    follower.offer(entry(at(7, 'e', 'DROPPED')));
    const rest = await drainNow(follower);
    expect(rest.map((r) => r.flow?.uuid ?? r.lost_events?.num_events_lost)).toEqual(['b', '2', 'e']);
  });

  it('ends at the first flow past until, once live', async () => {
    const bounded = planHistory({ follow: true, until: '2026-01-01T00:00:05Z' });
    const follower = new LiveFollower({ plan: bounded, limit: 10, lostEvent: lost });
    follower.startLive(new Watermark());
    follower.offer(entry(at(4, 'in')));
    follower.offer(entry(at(6, 'past')));
    follower.offer(entry(at(5, 'after-end')));
    const out: FlowsResponse[] = [];
    for await (const r of follower.drain(new AbortController().signal)) out.push(r);
    expect(out.map((r) => r.flow?.uuid)).toEqual(['in']);
  });
});

describe('LiveHub', () => {
  it('subscribes while followers exist and passes each flow on once', async () => {
    let listener: ((batch: readonly FlowsResponse[]) => void) | undefined;
    const hub = new LiveHub({ subscribeFlows: (l) => { listener = l; return () => { listener = undefined; }; } }, 100);
    const follower = new LiveFollower({ plan: planHistory({ follow: true }), limit: 10, lostEvent: lost });
    hub.add(follower);
    follower.startLive(new Watermark());
    listener?.([at(1, 'a'), at(2, 'b'), { node_status: {} }]);
    listener?.([at(2, 'b'), at(3, 'c')]);
    hub.remove(follower);
    expect(listener).toBeUndefined();
    expect((await drainNow(follower)).map((r) => r.flow?.uuid)).toEqual(['a', 'b', 'c']);
  });

  /** A bus whose subscriptions come into effect when the test says so. */
  function slowBus() {
    const subs = new Map<number, { listener: (batch: readonly FlowsResponse[]) => void; filters: FlowFilterSet | undefined }>();
    let nextId = 1;
    let subscribed = 0;
    const waiting: Array<(inEffect: boolean) => void> = [];
    const live: LiveFlows = {
      subscribeFlows(listener, spec = {}) {
        const id = nextId++;
        subscribed++;
        subs.set(id, { listener, filters: spec.filters });
        return () => subs.delete(id);
      },
      subscriptionsInEffect: () => new Promise<boolean>((resolve) => { waiting.push(resolve); }),
    };
    const settle = async (inEffect = true) => {
      for (const resolve of waiting.splice(0)) resolve(inEffect);
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { live, subs, settle, subscriptions: () => subscribed };
  }
  const following = (whitelist: Array<Record<string, unknown>> = []) =>
    new LiveFollower({ plan: planHistory({ follow: true, whitelist }), limit: 10, lostEvent: lost });
  /** A live follower of drops, whose hub's subscription was just replaced by a second follower's. */
  function replaced() {
    const bus = slowBus();
    const hub = new LiveHub(bus.live, 100);
    const dropped = following([{ verdict: ['DROPPED'] }]);
    hub.add(dropped);
    dropped.startLive(new Watermark());
    const [old] = [...bus.subs.values()];
    hub.add(following([{ verdict: ['FORWARDED'] }]));
    return { bus, hub, dropped, old };
  }
  const current = (bus: ReturnType<typeof slowBus>) => [...bus.subs.values()].map((s) => s.filters ?? 'everything');

  it('subscribes with the followers\' whitelists together, unfiltered while one takes everything', async () => {
    const bus = slowBus();
    const hub = new LiveHub(bus.live, 100);
    const dropped = following([{ verdict: ['DROPPED'] }]);
    const pods = following([{ source_pod: ['shop/'] }]);
    hub.add(dropped);
    expect(current(bus)).toEqual([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] }]);
    hub.add(pods);
    await bus.settle();
    expect(current(bus)).toEqual([{ whitelist: [{ source_pod: ['shop/'] }, { verdict: ['DROPPED'] }], blacklist: [] }]);
    const everything = following();
    hub.add(everything);
    await bus.settle();
    expect(current(bus)).toEqual(['everything']);
    hub.remove(everything);
    await bus.settle();
    expect(current(bus)).toEqual([{ whitelist: [{ source_pod: ['shop/'] }, { verdict: ['DROPPED'] }], blacklist: [] }]);
    // A filter already in the union: no new subscription.
    const again = following([{ verdict: ['DROPPED'] }]);
    hub.add(again);
    expect(bus.subs.size).toBe(1);
    // The same union in another order (pods and again): no new subscription either.
    hub.remove(dropped);
    expect(bus.subs.size).toBe(1);
    hub.remove(pods);
    await bus.settle();
    expect(current(bus)).toEqual([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] }]);
    hub.remove(again);
    expect(bus.subs.size).toBe(0);
  });

  it('keeps the replaced subscription until the new one is in effect, and passes each flow on once', async () => {
    const { bus, hub, dropped, old } = replaced();
    expect(bus.subs.size).toBe(2);
    // Taken for the old subscription alone before the new one was in effect, delivered now.
    old.listener([at(1, 'a', 'DROPPED')]);
    for (const sub of bus.subs.values()) sub.listener([at(2, 'b', 'DROPPED')]);
    await bus.settle();
    expect(bus.subs.size).toBe(1);
    [...bus.subs.values()][0].listener([at(3, 'c', 'DROPPED')]);
    hub.remove(dropped);
    expect((await drainNow(dropped)).map((r) => r.flow?.uuid)).toEqual(['a', 'b', 'c']);
  });

  it('takes everything for a set without whitelist', () => {
    expect(filterUnion([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [{ source_pod: ['x'] }] }, { whitelist: [], blacklist: [] }])).toBeUndefined();
    expect(filterUnion([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [{ source_pod: ['x'] }] }]))
      .toEqual({ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] });
  });

  it('keeps the replaced subscription while its replacement cannot be made sure of, and asks again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const { bus, hub, dropped, old } = replaced();
      await bus.settle(false);
      expect(bus.subs.size).toBe(2);
      // Committed at last: claimed for the old subscription alone, it still reaches the follower.
      old.listener([at(1, 'a', 'DROPPED')]);
      vi.advanceTimersByTime(1_000);
      await bus.settle(true);
      expect(bus.subs.size).toBe(1);
      hub.remove(dropped);
      expect((await drainNow(dropped)).map((r) => r.flow?.uuid)).toEqual(['a']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes back a replaced subscription whose filters are wanted again, and ends every one with the last follower', async () => {
    const bus = slowBus();
    const hub = new LiveHub(bus.live, 100);
    const dropped = following([{ verdict: ['DROPPED'] }]);
    const forwarded = following([{ verdict: ['FORWARDED'] }]);
    hub.add(dropped);
    hub.add(forwarded);
    hub.remove(forwarded);
    // Back to the first subscription's filters before it was ended: it is taken back.
    expect(bus.subscriptions()).toBe(2);
    expect(current(bus)).toEqual([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] }, expect.anything()]);
    await bus.settle();
    expect(current(bus)).toEqual([{ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] }]);
    hub.add(forwarded);
    expect(bus.subs.size).toBe(2);
    hub.remove(dropped);
    hub.remove(forwarded);
    expect(bus.subs.size).toBe(0);
  });
});
