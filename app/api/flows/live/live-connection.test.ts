import { afterEach, describe, expect, it } from 'vitest';
import type { LiveFlowsEvent, LiveLostEvent, LiveReadyEvent } from '../../../../lib/api/flows-live';
import type { FlowsResponse } from '../../../../lib/flow/flow';
import { LiveBus } from '../../../../server/live/live-bus';
import { LiveConnection, type LiveFlowSource } from './live-connection';
import { SseTestReader } from './sse-test-reader';

const flow = (uuid: string, second: number, verdict = 'FORWARDED'): FlowsResponse => ({
  flow: { uuid, time: `2026-01-15T12:00:${String(second).padStart(2, '0')}.5Z`, verdict: verdict as 'FORWARDED' },
});
const uuids = (m: { data?: unknown }) => (m.data as LiveFlowsEvent).flows.map((r) => r.flow?.uuid);

const open: LiveConnection[] = [];
function connect(opts: Partial<ConstructorParameters<typeof LiveConnection>[0]> & { live: LiveFlowSource }) {
  const ac = new AbortController();
  const connection = new LiveConnection({ filters: { whitelist: [], blacklist: [] }, signal: ac.signal, ...opts });
  open.push(connection);
  return { connection, ac, reader: new SseTestReader(connection.stream()) };
}

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('LiveConnection', () => {
  it('sends the backfill, then what arrived meanwhile, each flow once and only when it matches and is later than after', async () => {
    const bus = new LiveBus();
    const { connection, reader } = connect({ live: bus, after: '2026-01-15T12:00:10.5Z', filters: { whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] } });
    // Arrives while the stored part is being read: kept, and sent after it.
    bus.publishFlows([flow('early', 13, 'DROPPED'), flow('stored-2', 12, 'DROPPED'), flow('other', 14)]);
    await connection.backfill(async () => ({ flows: [flow('stored-1', 11, 'DROPPED'), flow('stored-2', 12, 'DROPPED')], complete: true }));
    const [ready] = await reader.until('ready');
    expect(ready.data).toEqual({ backfilled: 2, complete: true } satisfies LiveReadyEvent);
    const first = await reader.next();
    expect(first?.event).toBe('flows');
    expect(uuids(first!)).toEqual(['stored-1', 'stored-2', 'early']);
    expect(first?.id).toBe('2026-01-15T12:00:13.5Z');

    bus.publishFlows([flow('at-after', 10, 'DROPPED'), flow('early', 13, 'DROPPED'), flow('live', 15, 'DROPPED'), flow('no-match', 16)]);
    const second = await reader.next();
    expect(uuids(second!)).toEqual(['live']);
    expect(second?.id).toBe('2026-01-15T12:00:15.5Z');
  });

  it('sends a heartbeat comment while idle', async () => {
    const { connection, reader } = connect({ live: new LiveBus(), heartbeatMs: 20 });
    connection.skipBackfill();
    expect((await reader.next())?.event).toBe('ready');
    expect(await reader.next(1_000)).toEqual({ event: 'comment', comment: 'heartbeat' });
  });

  it('holds at most bufferMax flows for a slow reader, dropping the oldest and saying how many', async () => {
    const bus = new LiveBus();
    const { connection, reader } = connect({ live: bus, bufferMax: 3, batchMax: 10 });
    await connection.backfill(async () => ({ flows: [], complete: true }));
    bus.publishFlows([1, 2, 3, 4, 5].map((n) => flow(`f${n}`, n)));
    const messages = await reader.until('flows');
    expect(messages.map((m) => m.event)).toEqual(['ready', 'lost', 'flows']);
    expect(messages[1].data).toEqual({ count: 2, reason: 'behind' } satisfies LiveLostEvent);
    expect(uuids(messages[2])).toEqual(['f3', 'f4', 'f5']);
  });

  it('tells the client stored flows may be missing when the backfill was skipped', async () => {
    const { connection, reader } = connect({ live: new LiveBus(), after: '2026-01-15T12:00:00Z' });
    connection.skipBackfill();
    expect((await reader.next())?.data).toEqual({ backfilled: 0, complete: false });
  });

  it('unsubscribes and ends the stream when the client goes away', async () => {
    const bus = new LiveBus();
    const { connection, ac, reader } = connect({ live: bus });
    connection.skipBackfill();
    await reader.next();
    expect(bus.hasFlowListeners()).toBe(true);
    const pending = reader.next();
    ac.abort();
    expect(await pending).toBeUndefined();
    expect(bus.hasFlowListeners()).toBe(false);
  });

  it('unsubscribes when the body is cancelled', async () => {
    const bus = new LiveBus();
    const { connection, reader } = connect({ live: bus });
    connection.skipBackfill();
    await reader.next();
    await reader.cancel();
    expect(bus.hasFlowListeners()).toBe(false);
  });
});

describe('LiveConnection rate cap', () => {
  it('sends at most rateMax live flows a second and counts the rest as lost for the rate', async () => {
    let now = 1_000_000;
    const bus = new LiveBus(() => now);
    const { connection, reader } = connect({ live: bus, rateMax: 3, nowMs: () => now });
    await connection.backfill(async () => ({ flows: [], complete: true }));
    bus.publishFlows([flow('a', 1), flow('b', 2), flow('c', 3), flow('d', 4), flow('e', 5)]);
    const [, lost, flows] = await reader.until('flows');
    expect(lost.data).toEqual({ count: 2, reason: 'rate' } satisfies LiveLostEvent);
    expect(uuids(flows)).toEqual(['a', 'b', 'c']);
    now += 1000; // a second later, three more may go
    bus.publishFlows([flow('f', 6), flow('g', 7), flow('h', 8), flow('i', 9)]);
    const [again, more] = await reader.until('flows');
    expect(again.data).toEqual({ count: 1, reason: 'rate' } satisfies LiveLostEvent);
    expect(uuids(more)).toEqual(['f', 'g', 'h']);
  });

  it('does not cap the stored flows sent first for `after`', async () => {
    const bus = new LiveBus(() => 0);
    const { connection, reader } = connect({ live: bus, rateMax: 2, after: '2026-01-15T12:00:00Z', nowMs: () => 0 });
    await connection.backfill(async () => ({ flows: [flow('a', 1), flow('b', 2), flow('c', 3), flow('d', 4)], complete: true }));
    const messages = await reader.until('flows');
    expect(messages.map((m) => m.event)).toEqual(['ready', 'flows']);
    expect(uuids(messages[1])).toEqual(['a', 'b', 'c', 'd']);
  });
});
