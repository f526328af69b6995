/**
 * The live route itself, called with Requests as Next calls it, over a PGlite registered as the
 * process's shared Db and the process's real live bus: refusals, the stored flows since `after`,
 * live flows filtered with the same filter model, reconnection by Last-Event-ID, and unsubscribing
 * when the client goes away.
 */
import { describe, expect, it } from 'vitest';
import { flowsLiveUrl, type LiveFlowsEvent } from '../../../../lib/api/flows-live';
import type { FlowsResponse } from '../../../../lib/flow/flow';
import { compareTimestamps, parseTimestamp } from '../../../../lib/time/timestamp';
import { createDemoTraffic } from '../../../../server/demo/traffic';
import { liveBus } from '../../../../server/live/live-bus';
import { GET } from './route';
import { SseTestReader } from './sse-test-reader';
import { useSharedTestDb } from '../../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 10 * 60_000;
const traffic = createDemoTraffic({ seed: 9, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 120_000)
  .map((flow): FlowsResponse => ({ flow, node_name: flow.node_name, time: flow.time }));
// The first half is stored before the test; the second half is "committed" through the bus.
const stored = traffic.slice(0, traffic.length / 2);
const later = traffic.slice(traffic.length / 2);
// The filter of the tests, and the same as a predicate: most demo flows pass it, some do not.
const FILTER = '--verdict FORWARDED';
const matches = (r: FlowsResponse) => r.flow?.verdict === 'FORWARDED';
// Half of the stored matching flows lie after the pivot.
const storedMatching = stored.filter(matches);
const pivot = storedMatching[Math.floor(storedMatching.length / 2)]?.flow?.time ?? '';
const laterThan = (r: FlowsResponse, time: string) => compareTimestamps(parseTimestamp(r.flow!.time!)!, parseTimestamp(time)!) > 0;

const get = (url: string, init?: RequestInit) => GET(new Request(new URL(url, 'http://localhost'), init));
/** The flows of the next `flows` events, until there are `n` of them; the id of the last event. */
async function readFlows(reader: SseTestReader, n: number): Promise<{ flows: FlowsResponse[]; lastId?: string }> {
  const flows: FlowsResponse[] = [];
  let lastId: string | undefined;
  while (flows.length < n) {
    const message = await reader.next();
    if (!message) throw new Error(`stream ended after ${flows.length} of ${n} flows`);
    if (message.event !== 'flows') continue;
    flows.push(...(message.data as LiveFlowsEvent).flows);
    lastId = message.id;
  }
  return { flows, lastId };
}

describe('GET /api/flows/live', () => {
  const t = useSharedTestDb(stored);

  it.each([
    ['?q=--verdict+dropped', /^invalid argument "dropped" for "--verdict" flag/],
    ['?q=--until+1h', /^--until is not supported by the live stream/],
    ['?q=--follow', /^--follow is not supported here/],
    ['?after=yesterday', /^after: expected an RFC 3339 time, got "yesterday"/],
  ])('answers 400 with the message for %s', async (search, message) => {
    const res = await get(`/api/flows/live${search}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('sends the stored matching flows after `after`, then matching flows as they are committed', async () => {
    expect(storedMatching.length).toBeGreaterThan(10);
    expect(storedMatching.length).toBeLessThan(stored.length);
    const listenersBefore = liveBus().listenerCount('flows');
    const ac = new AbortController();
    const res = await get(flowsLiveUrl({ q: FILTER, after: pivot }), { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-transform');
    const reader = new SseTestReader(res.body!);
    const expectedStored = stored.filter((r) => matches(r) && laterThan(r, pivot));
    expect(expectedStored.length).toBeGreaterThan(0);

    const [ready] = await reader.until('ready');
    expect(ready.data).toEqual({ backfilled: expectedStored.length, complete: true });
    const backfill = await readFlows(reader, expectedStored.length);
    expect(backfill.flows.map((r) => r.flow?.uuid)).toEqual(expectedStored.map((r) => r.flow?.uuid));

    // The collector publishes what it commits; a resumed stream repeats some of it.
    liveBus().publishFlows(later.slice(0, 200));
    liveBus().publishFlows(later.slice(150, 400));
    const expectedLive = later.slice(0, 400).filter(matches).map((r) => r.flow?.uuid);
    const { flows: live, lastId } = await readFlows(reader, expectedLive.length);
    expect(live.map((r) => r.flow?.uuid)).toEqual(expectedLive);
    expect(lastId).toBe(live.at(-1)?.flow?.time);

    ac.abort();
    await reader.cancel();
    expect(liveBus().listenerCount('flows')).toBe(listenersBefore);
  });

  it('starts again a little before the last event id on reconnection', async () => {
    const lastStored = stored.at(-1)!.flow!.time!;
    const res = await get(flowsLiveUrl({ q: '--namespace shop', after: '2020-01-01T00:00:00Z' }), { headers: { 'last-event-id': lastStored } });
    const reader = new SseTestReader(res.body!);
    const [ready] = await reader.until('ready');
    const from = new Date(Date.parse(lastStored) - 5_000).toISOString();
    const inShop = (r: FlowsResponse) => r.flow?.source?.namespace === 'shop' || r.flow?.destination?.namespace === 'shop';
    const expected = stored.filter((r) => inShop(r) && laterThan(r, from));
    expect(expected.length).toBeGreaterThan(0);
    expect(ready.data).toEqual({ backfilled: expected.length, complete: true });
    expect((await readFlows(reader, expected.length)).flows.map((r) => r.flow?.uuid)).toEqual(expected.map((r) => r.flow?.uuid));
    await reader.cancel();
  });
});
