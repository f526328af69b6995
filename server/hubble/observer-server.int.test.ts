import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { formatTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import { createDemoObserver, type DemoObserver } from '../demo/demo-observer';
import type { TrafficSource } from '../demo/traffic-source';
import { flowsResponseFromPb, messageToPb, type PbObject } from './flow-pb';
import { loadHubbleProto, protoDir } from './load-proto';
import { startObserverServer, type ObserverServer } from './observer-server';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const STEP_MS = 10;
const K0 = T0 / STEP_MS;
const iso = (ms: number) => formatTimestamp(timestampFromMs(ms));

/** One flow every 10 ms over three nodes; every fifth DROPPED; even k from namespace `shop`. */
function fakeSource(): TrafficSource {
  const nodes = ['demo/node-a', 'demo/node-b', 'demo/node-c'].map((name, i) => ({ name, address: `10.0.0.${i + 1}` }));
  return {
    clusterName: 'demo',
    nodes,
    namespaces: ['bank', 'db', 'shop'],
    flowsBetween(fromMs, toMs) {
      const out: Flow[] = [];
      for (let k = Math.ceil(fromMs / STEP_MS); k * STEP_MS < toMs; k++) {
        out.push({
          time: iso(k * STEP_MS),
          uuid: `uuid-${k}`,
          verdict: k % 5 === 0 ? 'DROPPED' : 'FORWARDED',
          node_name: nodes[k % 3].name,
          source: { namespace: k % 2 === 0 ? 'shop' : 'bank', pod_name: `client-${k % 4}`, cluster_name: 'demo' },
          destination: { namespace: 'db', pod_name: 'postgres-0', cluster_name: 'demo' },
          Type: 'L3_L4',
          is_reply: false,
        });
      }
      return out;
    },
  };
}

type Client = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

let now = T0;
let observer: DemoObserver;
let server: ObserverServer;
let client: Client;
let health: Client;

function advance(ms: number): void {
  now += ms;
  observer.tick();
}

function request(query: Record<string, unknown>): PbObject {
  return messageToPb(query);
}

/** Runs a non-follow GetFlows to its end. */
function getFlows(query: Record<string, unknown>): Promise<FlowsResponse[]> {
  return new Promise((resolve, reject) => {
    const out: FlowsResponse[] = [];
    const call = client.GetFlows(request(query)) as grpc.ClientReadableStream<PbObject>;
    call.on('data', (pb: PbObject) => out.push(flowsResponseFromPb(pb)));
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}

const flowsOf = (responses: FlowsResponse[]) => responses.filter((r) => r.flow).map((r) => r.flow as Flow);
const uuidRange = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `uuid-${K0 + from + i}`);

function unary(target: Client, method: string, req: PbObject = {}): Promise<PbObject> {
  return new Promise((resolve, reject) => {
    target[method](req, (err: grpc.ServiceError | null, res: PbObject) => (err ? reject(err) : resolve(res)));
  });
}

/** Reads a follow stream through a queue so the test can await one response at a time. */
function follow(query: Record<string, unknown>) {
  const call = client.GetFlows(request({ ...query, follow: true })) as grpc.ClientReadableStream<PbObject>;
  const queue: FlowsResponse[] = [];
  let waiter: (() => void) | undefined;
  call.on('data', (pb: PbObject) => {
    queue.push(flowsResponseFromPb(pb));
    waiter?.();
  });
  call.on('error', () => undefined);
  const next = async (): Promise<FlowsResponse> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
    return queue.shift() as FlowsResponse;
  };
  return { call, queue, next };
}

beforeAll(async () => {
  observer = createDemoObserver({ source: fakeSource(), clock: () => now, maxPendingPerFollower: 50 });
  advance(3000); // 300 flows
  server = await startObserverServer({ backend: observer, listen: '127.0.0.1:0' });
  const { Observer } = loadHubbleProto();
  client = new Observer(server.address, grpc.credentials.createInsecure()) as unknown as Client;
  const healthDef = protoLoader.loadSync('grpc/health/v1/health.proto', { keepCase: true, enums: String, includeDirs: [protoDir] });
  const Health = grpc.makeClientConstructor(healthDef['grpc.health.v1.Health'] as grpc.ServiceDefinition, 'Health');
  health = new Health(server.address, grpc.credentials.createInsecure()) as unknown as Client;
});

afterAll(async () => {
  client?.close();
  health?.close();
  observer?.stop();
  await server?.stop();
});

describe('Observer server over the demo cluster', () => {
  it('binds an ephemeral port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
  });

  it('GetFlows number=20 returns the last 20 flows in time order after a node status', async () => {
    const responses = await getFlows({ number: '20' });
    expect(responses[0].node_status).toMatchObject({ state_change: 'NODE_CONNECTED', node_names: ['demo/node-a', 'demo/node-b', 'demo/node-c'] });
    const flows = flowsOf(responses);
    expect(flows.map((f) => f.uuid)).toEqual(uuidRange(280, 300));
    const times = flows.map((f) => Date.parse(f.time as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const r of responses) expect([typeof r.node_name, typeof r.time]).toEqual(['string', 'string']);
    expect(flows[0]).toMatchObject({ is_reply: false, source: { namespace: 'shop' } });
  });

  it('GetFlows with number 2^64-1 (--all) returns every buffered flow', async () => {
    expect(flowsOf(await getFlows({ number: '18446744073709551615' }))).toHaveLength(300);
  });

  it('applies whitelist and blacklist filters', async () => {
    const dropped = flowsOf(await getFlows({ whitelist: [{ verdict: ['DROPPED'] }] }));
    expect(dropped).toHaveLength(60);
    expect(dropped.every((f) => f.verdict === 'DROPPED')).toBe(true);
    const shop = flowsOf(await getFlows({ whitelist: [{ source_pod: ['shop/'] }] }));
    expect(shop).toHaveLength(150);
    expect(shop.every((f) => f.source?.namespace === 'shop')).toBe(true);
    const notDropped = flowsOf(await getFlows({ blacklist: [{ verdict: ['DROPPED'] }] }));
    expect(notDropped).toHaveLength(240);
    expect(notDropped.some((f) => f.verdict === 'DROPPED')).toBe(false);
  });

  it('bounds by since and until, and takes the earliest with first', async () => {
    const bounded = flowsOf(await getFlows({ since: iso(T0 + 1000), until: iso(T0 + 1990) }));
    expect(bounded.map((f) => f.uuid)).toEqual(uuidRange(100, 200));
    const first = flowsOf(await getFlows({ number: '5', first: true }));
    expect(first.map((f) => f.uuid)).toEqual(uuidRange(0, 5));
  });

  it('refuses an invalid filter and first with follow as INVALID_ARGUMENT', async () => {
    const bad = getFlows({ whitelist: [{ experimental: { cel_expression: ['true'] } }] });
    await expect(bad).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/cel/i) });
    await expect(getFlows({ first: true, follow: true })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT, details: 'first cannot be specified with follow',
    });
  });

  it('answers ServerStatus, GetNodes and GetNamespaces', async () => {
    const status = await unary(client, 'ServerStatus');
    expect(status).toMatchObject({
      num_flows: '300', max_flows: String(4095 * 3), seen_flows: '300', uptime_ns: '3000000000',
      num_connected_nodes: { value: 3 }, version: '1.17.0-demo',
    });
    // The buffers have not wrapped, so the rate is over a whole minute, as the agent computes it.
    expect(status.flows_rate).toBeCloseTo(300 / 60, 5);
    const { nodes } = (await unary(client, 'GetNodes')) as { nodes: PbObject[] };
    expect(nodes.map((n) => [n.name, n.state, n.address, n.num_flows])).toEqual([
      ['demo/node-a', 'NODE_CONNECTED', '10.0.0.1:4244', '100'],
      ['demo/node-b', 'NODE_CONNECTED', '10.0.0.2:4244', '100'],
      ['demo/node-c', 'NODE_CONNECTED', '10.0.0.3:4244', '100'],
    ]);
    const { namespaces } = await unary(client, 'GetNamespaces');
    expect(namespaces).toEqual(['bank', 'db', 'shop'].map((namespace) => ({ cluster: 'demo', namespace })));
  });

  it('does not serve agent events', async () => {
    const call = client.GetAgentEvents({}) as grpc.ClientReadableStream<PbObject>;
    call.on('data', () => undefined);
    await expect(new Promise((_, reject) => call.on('error', reject))).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('answers the health check hubble status makes', async () => {
    expect(await unary(health, 'Check', { service: 'hubble.server.Observer' })).toEqual({ status: 'SERVING' });
    expect(await unary(health, 'Check', { service: '' })).toEqual({ status: 'SERVING' });
    await expect(unary(health, 'Check', { service: 'nope' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    const watch = health.Watch({ service: 'hubble.server.Observer' }) as grpc.ClientReadableStream<PbObject>;
    watch.on('error', () => undefined);
    const first = await new Promise((resolve) => watch.once('data', resolve));
    expect(first).toEqual({ status: 'SERVING' });
    watch.cancel();
  });

  it('follow delivers the backlog, then new flows as they arrive', async () => {
    const stream = follow({ number: '2' });
    expect((await stream.next()).node_status).toBeDefined();
    expect([(await stream.next()).flow?.uuid, (await stream.next()).flow?.uuid]).toEqual(uuidRange(298, 300));
    advance(50);
    const live = [];
    for (let i = 0; i < 5; i++) live.push((await stream.next()).flow?.uuid);
    expect(live).toEqual(uuidRange(300, 305));
    stream.call.cancel();
  });

  it('tells a slow follower how many flows it lost instead of buffering without bound', async () => {
    const stream = follow({});
    expect((await stream.next()).node_status).toBeDefined();
    stream.call.pause();
    const ticks = 300;
    const perTick = 10; // below the queue limit: a reader that keeps up loses nothing
    for (let i = 0; i < ticks; i++) {
      advance(perTick * STEP_MS);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    stream.call.resume();
    let flows = 0;
    let lost = 0;
    const sources = new Set<unknown>();
    while (flows + lost < ticks * perTick) {
      const r = await stream.next();
      if (r.flow) flows++;
      if (r.lost_events) {
        lost += Number(r.lost_events.num_events_lost);
        sources.add(r.lost_events.source);
      }
    }
    expect(flows + lost).toBe(ticks * perTick);
    expect(lost).toBeGreaterThan(0);
    expect([...sources]).toEqual(['HUBBLE_RING_BUFFER']);
    stream.call.cancel();
  });
});
