import { describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery } from '../../lib/flow/observer';
import { FilterError } from '../../lib/filter/filter-error';
import { formatTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import { InvalidQueryError } from '../../lib/flow/observer';
import { createDemoObserver, type DemoObserverOptions } from './demo-observer';
import { createReplaySourceFromText } from './replay-source';
import type { TrafficSource } from './traffic-source';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const iso = (ms: number) => formatTimestamp(timestampFromMs(ms));

/** One flow every `stepMs`, round-robin over three nodes; every fifth is DROPPED; even k in `shop`. */
function fakeSource(stepMs = 100): TrafficSource {
  const nodes = ['demo/node-a', 'demo/node-b', 'demo/node-c'].map((name, i) => ({ name, address: `10.0.0.${i + 1}` }));
  return {
    clusterName: 'demo',
    nodes,
    namespaces: ['bank', 'shop'],
    flowsBetween(fromMs, toMs) {
      const out: Flow[] = [];
      for (let k = Math.ceil(fromMs / stepMs); k * stepMs < toMs; k++) {
        const ns = k % 2 === 0 ? 'shop' : 'bank';
        out.push({
          time: iso(k * stepMs),
          uuid: `uuid-${k}`,
          verdict: k % 5 === 0 ? 'DROPPED' : 'FORWARDED',
          node_name: nodes[k % 3].name,
          source: { namespace: ns, pod_name: `client-${k % 4}`, cluster_name: 'demo' },
          destination: { namespace: 'db', pod_name: 'postgres-0', cluster_name: 'demo' },
          Type: 'L3_L4',
        });
      }
      return out;
    },
  };
}

function setup(options: Partial<DemoObserverOptions> = {}) {
  let now = T0;
  const observer = createDemoObserver({ source: fakeSource(), clock: () => now, ...options });
  const advance = (ms: number) => {
    now += ms;
    observer.tick();
  };
  return { observer, advance };
}

async function collect(iterable: AsyncIterable<FlowsResponse>, max = Infinity): Promise<FlowsResponse[]> {
  const out: FlowsResponse[] = [];
  for await (const r of iterable) {
    out.push(r);
    if (out.length >= max) break;
  }
  return out;
}

async function flows(observer: ReturnType<typeof setup>['observer'], query: FlowsQuery): Promise<Flow[]> {
  const responses = await collect(observer.getFlows(query, new AbortController().signal));
  return responses.filter((r) => r.flow).map((r) => r.flow as Flow);
}

const uuids = (list: Flow[]) => list.map((f) => f.uuid);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `uuid-${from + i}`);
const K0 = T0 / 100;

describe('createDemoObserver', () => {
  it('buffers flows per node and reports status counts', async () => {
    const { observer, advance } = setup({ bufferCapacity: 5 });
    advance(3000); // 30 flows, 10 per node, 5 kept per node
    const status = await observer.serverStatus();
    expect(status).toMatchObject({
      num_flows: '15', max_flows: '15', seen_flows: '30', uptime_ns: '3000000000',
      num_connected_nodes: 3, num_unavailable_nodes: 0, version: '1.17.0-demo',
    });
    // Buffer wrapped: rate over the buffer's span (15 flows over the last 1.5 s of flows).
    expect(status.flows_rate).toBeGreaterThan(0);
    const nodes = await observer.getNodes();
    expect(nodes.map((n) => [n.name, n.address, n.num_flows, n.seen_flows, n.state])).toEqual([
      ['demo/node-a', '10.0.0.1:4244', '5', '10', 'NODE_CONNECTED'],
      ['demo/node-b', '10.0.0.2:4244', '5', '10', 'NODE_CONNECTED'],
      ['demo/node-c', '10.0.0.3:4244', '5', '10', 'NODE_CONNECTED'],
    ]);
    expect(nodes[0]).toMatchObject({ max_flows: '5', tls: { enabled: false }, version: '1.17.0-demo' });
  });

  it('measures flows_rate over the last minute', async () => {
    const { observer, advance } = setup();
    advance(120_000);
    expect((await observer.serverStatus()).flows_rate).toBeCloseTo(10, 5);
  });

  it('starts every stream with node status, and every response has node_name and time', async () => {
    const { observer, advance } = setup();
    advance(1000);
    const responses = await collect(observer.getFlows({ number: 3 }, new AbortController().signal));
    expect(responses[0]).toMatchObject({
      node_status: { state_change: 'NODE_CONNECTED', node_names: ['demo/node-a', 'demo/node-b', 'demo/node-c'] },
      node_name: 'demo/hubble-relay',
    });
    for (const r of responses) expect([typeof r.node_name, typeof r.time]).toEqual(['string', 'string']);
    expect(responses[1].node_name).toBe(responses[1].flow?.node_name);
    expect(responses[1].time).toBe(responses[1].flow?.time);
  });

  it('returns the last N flows merged across nodes in time order', async () => {
    const { observer, advance } = setup();
    advance(3000);
    expect(uuids(await flows(observer, { number: 4 }))).toEqual(range(K0 + 26, K0 + 30));
    expect(uuids(await flows(observer, { number: 4, first: true }))).toEqual(range(K0, K0 + 4));
    expect(await flows(observer, {})).toHaveLength(30);
    expect(await flows(observer, { number: Number.MAX_SAFE_INTEGER })).toHaveLength(30);
  });

  it('can give up to N per node, as a real relay does', async () => {
    const { observer, advance } = setup({ numberScope: 'per-node' });
    advance(3000);
    expect(uuids(await flows(observer, { number: 2 }))).toEqual(range(K0 + 24, K0 + 30));
  });

  it('bounds by since and until inclusively; since wins over number', async () => {
    const { observer, advance } = setup();
    advance(3000);
    const since = iso(T0 + 1000);
    const until = iso(T0 + 1500);
    expect(uuids(await flows(observer, { since, until }))).toEqual(range(K0 + 10, K0 + 16));
    expect(uuids(await flows(observer, { since, number: 2 }))).toEqual(range(K0 + 10, K0 + 12));
    expect(uuids(await flows(observer, { until, number: 2 }))).toEqual(range(K0 + 14, K0 + 16));
  });

  it('applies whitelist and blacklist', async () => {
    const { observer, advance } = setup();
    advance(3000);
    const dropped = await flows(observer, { whitelist: [{ verdict: ['DROPPED'] }] });
    expect(uuids(dropped)).toEqual([0, 5, 10, 15, 20, 25].map((i) => `uuid-${K0 + i}`));
    const notShop = await flows(observer, { blacklist: [{ source_pod: ['shop/'] }] });
    expect(notShop).toHaveLength(15);
    expect(notShop.every((f) => f.source?.namespace === 'bank')).toBe(true);
    const last = await flows(observer, { number: 2, whitelist: [{ verdict: ['DROPPED'] }] });
    expect(uuids(last)).toEqual([`uuid-${K0 + 20}`, `uuid-${K0 + 25}`]);
  });

  it('refuses invalid requests', async () => {
    const { observer } = setup();
    const signal = new AbortController().signal;
    await expect(collect(observer.getFlows({ first: true, follow: true }, signal))).rejects.toThrow(InvalidQueryError);
    await expect(collect(observer.getFlows({ since: 'yesterday' }, signal))).rejects.toThrow(InvalidQueryError);
    await expect(
      collect(observer.getFlows({ whitelist: [{ experimental: { cel_expression: ['true'] } }] }, signal)),
    ).rejects.toThrow(FilterError);
  });

  it('follows: backlog, then live flows as they arrive, until aborted', async () => {
    const { observer, advance } = setup();
    advance(1000);
    const abort = new AbortController();
    const it = observer.getFlows({ number: 2, follow: true }, abort.signal)[Symbol.asyncIterator]();
    const next = async () => (await it.next()).value as FlowsResponse;
    expect((await next()).node_status).toBeDefined();
    expect([(await next()).flow?.uuid, (await next()).flow?.uuid]).toEqual(range(K0 + 8, K0 + 10));
    const pending = next();
    advance(200);
    expect((await pending).flow?.uuid).toBe(`uuid-${K0 + 10}`);
    expect((await next()).flow?.uuid).toBe(`uuid-${K0 + 11}`);
    const waiting = it.next();
    abort.abort();
    expect((await waiting).done).toBe(true);
  });

  it('follows without number or since: live flows only; until ends the stream', async () => {
    const { observer, advance } = setup();
    advance(1000);
    const result = collect(observer.getFlows({ follow: true, until: iso(T0 + 1100) }, new AbortController().signal));
    await Promise.resolve();
    advance(500);
    expect(uuids((await result).filter((r) => r.flow).map((r) => r.flow as Flow))).toEqual(range(K0 + 10, K0 + 12));
  });

  it('tells a slow follower how many flows it lost, per node', async () => {
    const { observer, advance } = setup({ maxPendingPerFollower: 4 });
    const it = observer.getFlows({ follow: true }, new AbortController().signal)[Symbol.asyncIterator]();
    expect((await it.next()).value.node_status).toBeDefined();
    advance(1000); // 10 flows while the consumer is not reading
    const got: FlowsResponse[] = [];
    for (let i = 0; i < 7; i++) got.push((await it.next()).value);
    expect(uuids(got.slice(0, 4).map((r) => r.flow as Flow))).toEqual(range(K0, K0 + 4));
    const lost = got.slice(4).map((r) => [r.node_name, r.lost_events?.source, r.lost_events?.num_events_lost]);
    expect(lost).toEqual([
      ['demo/node-b', 'HUBBLE_RING_BUFFER', '2'],
      ['demo/node-c', 'HUBBLE_RING_BUFFER', '2'],
      ['demo/node-a', 'HUBBLE_RING_BUFFER', '2'],
    ]);
    await it.return?.(undefined);
  });

  it('ends follow streams on stop', async () => {
    const { observer } = setup();
    const result = collect(observer.getFlows({ follow: true }, new AbortController().signal));
    await Promise.resolve();
    observer.stop();
    expect((await result).every((r) => !r.flow)).toBe(true);
  });

  it('lists namespaces of buffered flows under each node cluster, sorted and unique', async () => {
    const { observer, advance } = setup();
    expect(await observer.getNamespaces()).toEqual([]);
    advance(1000);
    expect(await observer.getNamespaces()).toEqual([
      { cluster: 'demo', namespace: 'bank' }, { cluster: 'demo', namespace: 'db' }, { cluster: 'demo', namespace: 'shop' },
    ]);
  });

  it('is deterministic for the same source and clock', async () => {
    const run = async () => {
      const { observer, advance } = setup();
      for (let i = 0; i < 7; i++) advance(333);
      return flows(observer, {});
    };
    expect(await run()).toEqual(await run());
  });
});

describe('createReplaySourceFromText', () => {
  const line = (ms: number, uuid: string, node = 'kind/worker') =>
    JSON.stringify({ flow: { time: iso(ms), uuid, verdict: 'FORWARDED', node_name: node, source: { namespace: 'a' } }, node_name: node, time: iso(ms) });
  const text = [line(1000, 'u1'), 'not json', line(1500, 'u2', 'kind/worker2'), '{"node_status":{}}', line(3000, 'u3')].join('\n');

  it('skips bad lines and plays recorded times shifted to start now, looping', () => {
    const source = createReplaySourceFromText(text, { startMs: T0, loopGapMs: 1000 });
    expect([source.recordedFlows, source.skippedLines, source.loopMs]).toEqual([3, 2, 3000]);
    expect(source.nodes.map((n) => n.name)).toEqual(['kind/worker', 'kind/worker2']);
    expect(source.namespaces).toEqual(['a']);
    const first = source.flowsBetween(T0, T0 + 3000);
    expect(first.map((f) => [f.uuid, f.time])).toEqual([['u1', iso(T0)], ['u2', iso(T0 + 500)], ['u3', iso(T0 + 2000)]]);
    const second = source.flowsBetween(T0 + 3000, T0 + 3600);
    expect(second.map((f) => f.time)).toEqual([iso(T0 + 3000), iso(T0 + 3500)]);
    expect(second[0].uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second[0].uuid).not.toBe('u1');
    expect(source.flowsBetween(T0 + 3000, T0 + 3600)).toEqual(second);
  });

  it('plays at a speed factor', () => {
    const source = createReplaySourceFromText(text, { startMs: T0, speed: 2 });
    expect(source.flowsBetween(T0, T0 + 1001).map((f) => f.time)).toEqual([iso(T0), iso(T0 + 250), iso(T0 + 1000)]);
  });

  it('feeds the demo observer', async () => {
    let now = T0;
    const source = createReplaySourceFromText(text, { startMs: T0 });
    const observer = createDemoObserver({ source, clock: () => now });
    now += 2500;
    observer.tick();
    expect(uuids(await flows(observer, {}))).toEqual(['u1', 'u2', 'u3']);
  });
});
