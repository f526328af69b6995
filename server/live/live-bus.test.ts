import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { LiveBus, type FlowRoute, type FlowSubscriptionSpec } from './live-bus';

const flow = (uuid: string, namespace: string, verdict = 'FORWARDED'): FlowsResponse => ({
  flow: { uuid, time: '2026-01-15T12:00:00Z', verdict: verdict as 'FORWARDED', source: { namespace } },
});
const uuids = (flows: readonly FlowsResponse[]) => flows.map((r) => r.flow?.uuid);
const inNamespace = (namespace: string): FlowSubscriptionSpec => ({ filters: { whitelist: [{ source_pod: [`${namespace}/`] }], blacklist: [] } });

function recorder() {
  const batches: Array<{ flows: string[]; limited: number }> = [];
  return { batches, listener: (flows: readonly FlowsResponse[], limited: number) => batches.push({ flows: uuids(flows) as string[], limited }) };
}

describe('LiveBus subscriptions', () => {
  it('gives each subscription the committed flows its filters match', () => {
    const bus = new LiveBus();
    const a = recorder();
    const all = recorder();
    bus.subscribeFlows(a.listener, inNamespace('a'));
    bus.subscribeFlows(all.listener);
    bus.publishFlows([flow('1', 'a'), flow('2', 'b'), flow('3', 'a')]);
    expect(a.batches).toEqual([{ flows: ['1', '3'], limited: 0 }]);
    expect(all.batches).toEqual([{ flows: ['1', '2', '3'], limited: 0 }]);
  });

  it('keeps a claimed flow for the subscriptions that took it when it arrived, not those made later', () => {
    const bus = new LiveBus();
    const early = recorder();
    bus.subscribeFlows(early.listener);
    const first = flow('1', 'a');
    expect(bus.claim(first)).toBe(true);
    const late = recorder();
    bus.subscribeFlows(late.listener);
    bus.publishFlows([first]);
    expect(early.batches).toEqual([{ flows: ['1'], limited: 0 }]);
    expect(late.batches).toEqual([]);
  });

  it('claims nothing without a matching subscription', () => {
    const bus = new LiveBus();
    expect(bus.claim(flow('1', 'a'))).toBe(false);
    bus.subscribeFlows(() => undefined, inNamespace('b'));
    expect(bus.claim(flow('2', 'a'))).toBe(false);
    expect(bus.claim(flow('3', 'b'))).toBe(true);
  });

  it('caps each subscription per clock second, the same flows for the same filters, and counts what it skipped', () => {
    let now = 5_000_000;
    const bus = new LiveBus(() => now);
    const one = recorder();
    bus.subscribeFlows(one.listener, { rateMax: 2 });
    now += 400; // a subscription made later in the same second takes the same first flows
    const two = recorder();
    bus.subscribeFlows(two.listener, { rateMax: 2 });
    bus.publishFlows([flow('1', 'a'), flow('2', 'a'), flow('3', 'a')]);
    now += 700; // the next clock second
    bus.publishFlows([flow('4', 'a'), flow('5', 'a'), flow('6', 'a'), flow('7', 'a')]);
    const expected = [{ flows: ['1', '2'], limited: 1 }, { flows: ['4', '5'], limited: 2 }];
    expect(one.batches).toEqual(expected);
    expect(two.batches).toEqual(expected);
  });

  it('tells what the cap skipped even when a batch has nothing else for the subscription', () => {
    const bus = new LiveBus(() => 0);
    const capped = recorder();
    bus.subscribeFlows(capped.listener, { rateMax: 1 });
    bus.publishFlows([flow('1', 'a'), flow('2', 'a')]);
    bus.publishFlows([flow('3', 'a')]);
    expect(capped.batches).toEqual([{ flows: ['1'], limited: 1 }, { flows: [], limited: 1 }]);
  });

  it('refuses invalid filters with the filter error', () => {
    const bus = new LiveBus();
    expect(() => bus.subscribeFlows(() => undefined, { filters: { whitelist: [{ source_ip: ['not-an-ip'] }], blacklist: [] } })).toThrow(/source_ip|not-an-ip/);
    expect(bus.hasFlowListeners()).toBe(false);
  });
});

describe('LiveBus across threads', () => {
  it('mirrors subscriptions to a watcher, and waits for them to be in effect', async () => {
    const bus = new LiveBus();
    const seen: string[] = [];
    const stopFirst = bus.subscribeFlows(() => undefined, inNamespace('a'));
    let confirm: (inEffect: boolean) => void = () => undefined;
    bus.watchSubscriptions({
      subscribed: (id, spec) => {
        seen.push(`+${id} ${JSON.stringify(spec.filters?.whitelist ?? [])}`);
        return id === 2 ? new Promise<boolean>((resolve) => { confirm = resolve; }) : undefined;
      },
      unsubscribed: (id) => seen.push(`-${id}`),
    });
    bus.subscribeFlows(() => undefined);
    stopFirst();
    stopFirst();
    expect(seen).toEqual(['+1 [{"source_pod":["a/"]}]', '+2 []', '-1']);

    let inEffect: boolean | undefined;
    const waiting = bus.subscriptionsInEffect().then((answer) => { inEffect = answer; });
    await Promise.resolve();
    expect(inEffect).toBeUndefined();
    confirm(true);
    await waiting;
    expect(inEffect).toBe(true);
  });

  it('waits for the collectors to commit what arrived before, and says false when that takes too long', async () => {
    const bus = new LiveBus();
    let commit: () => void = () => undefined;
    const remove = bus.addCommitBarrier(() => new Promise<void>((resolve) => { commit = resolve; }));
    bus.subscribeFlows(() => undefined);
    expect(await bus.subscriptionsInEffect(20)).toBe(false);
    const waiting = bus.subscriptionsInEffect(5_000);
    commit();
    expect(await waiting).toBe(true);
    remove();
    expect(await bus.subscriptionsInEffect(20)).toBe(true);
  });

  it('says false when a watcher could not make the subscription', async () => {
    const bus = new LiveBus();
    bus.watchSubscriptions({ subscribed: () => Promise.resolve(false), unsubscribed: () => undefined });
    bus.subscribeFlows(() => undefined);
    expect(await bus.subscriptionsInEffect()).toBe(false);
  });

  it('delivers a batch routed by another bus to the subscriptions it names', () => {
    const bus = new LiveBus();
    const a = recorder();
    const b = recorder();
    bus.subscribeFlows(a.listener);
    bus.subscribeFlows(b.listener);
    const flows = [flow('1', 'a'), flow('2', 'b')];
    const routes: FlowRoute[] = [[1, [0, 1], 0], [2, [1], 3], [99, [0], 0]];
    bus.deliverRouted(flows, routes);
    expect(a.batches).toEqual([{ flows: ['1', '2'], limited: 0 }]);
    expect(b.batches).toEqual([{ flows: ['2'], limited: 3 }]);
  });
});
