/**
 * The simulated cluster end to end: its real traffic served over gRPC on loopback and read back
 * with the same relay client the collector uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../hubble/relay-client';
import type { FlowsQuery } from '../../lib/flow/observer';
import type { FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp, timestampToMs } from '../../lib/time/timestamp';
import { startDemoCluster, type DemoCluster } from './demo-cluster';

let cluster: DemoCluster;
let client: RelayClient;

async function collect(query: FlowsQuery, limit = Infinity, timeoutMs = 10_000): Promise<FlowsResponse[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const out: FlowsResponse[] = [];
  for await (const r of client.getFlows(query, abort.signal)) {
    out.push(r);
    if (out.filter((x) => x.flow).length >= limit) break;
  }
  clearTimeout(timer);
  abort.abort();
  return out;
}

const flowsOf = (rs: FlowsResponse[]) => rs.flatMap((r) => (r.flow ? [r.flow] : []));
const ms = (t: string | undefined) => timestampToMs(parseTimestamp(t ?? '')!);

beforeAll(async () => {
  cluster = await startDemoCluster({ listen: '127.0.0.1:0', seed: 7, rateFlowsPerS: 400, backfillMs: 20_000 });
  client = new RelayClient({ address: cluster.address });
});

afterAll(async () => {
  client?.close();
  await cluster?.stop();
});

describe('demo cluster over gRPC', () => {
  it('returns the last N flows in time order, after the relay node status', async () => {
    const responses = await collect({ number: 50 });
    expect(responses[0].node_status?.state_change).toBe('NODE_CONNECTED');
    expect(responses[0].node_status?.node_names?.length).toBeGreaterThanOrEqual(3);
    const flows = flowsOf(responses);
    expect(flows).toHaveLength(50);
    const times = flows.map((f) => ms(f.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const f of flows) expect(f.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('applies whitelist and blacklist like hubble observe', async () => {
    const drops = flowsOf(await collect({ number: 30, whitelist: [{ verdict: ['DROPPED'] }] }));
    expect(drops.length).toBeGreaterThan(0);
    for (const f of drops) expect(f.verdict).toBe('DROPPED');

    const shopNotForwarded = flowsOf(await collect({
      number: 200,
      whitelist: [{ source_pod: ['shop/'] }, { destination_pod: ['shop/'] }],
      blacklist: [{ verdict: ['FORWARDED'] }],
    }));
    expect(shopNotForwarded.length).toBeGreaterThan(0);
    for (const f of shopNotForwarded) {
      expect(f.verdict).not.toBe('FORWARDED');
      expect([f.source?.namespace, f.destination?.namespace]).toContain('shop');
    }
  });

  it('bounds by since and until, inclusive', async () => {
    const all = flowsOf(await collect({ number: 400 }));
    const since = all[100].time!;
    const until = all[300].time!;
    const window = flowsOf(await collect({ since, until }));
    expect(window.length).toBeGreaterThanOrEqual(201);
    for (const f of window) {
      expect(ms(f.time)).toBeGreaterThanOrEqual(ms(since));
      expect(ms(f.time)).toBeLessThanOrEqual(ms(until));
    }
  });

  it('follows: new flows keep arriving after the backlog', async () => {
    const started = Date.now();
    const flows = flowsOf(await collect({ follow: true, number: 1 }, 200, 10_000));
    expect(flows).toHaveLength(200);
    expect(ms(flows[flows.length - 1].time)).toBeGreaterThan(started - 1000);
  });

  it('rejects an invalid filter with INVALID_ARGUMENT and the reason', async () => {
    await expect(collect({ whitelist: [{ http_status_code: ['2xx'] }] })).rejects.toThrow(/2xx/);
  });

  it('reports server status, nodes and namespaces with real counts', async () => {
    const status = await client.serverStatus();
    expect(Number(status.num_flows)).toBeGreaterThan(1000);
    expect(Number(status.max_flows)).toBe(4095 * cluster.source.nodes.length);
    expect(status.num_connected_nodes).toBe(cluster.source.nodes.length);
    const nodes = await client.getNodes();
    expect(nodes.map((n) => n.name)).toEqual(cluster.source.nodes.map((n) => n.name));
    for (const n of nodes) expect(n.state).toBe('NODE_CONNECTED');
    const namespaces = (await client.getNamespaces()).map((n) => n.namespace);
    expect(namespaces).toEqual(expect.arrayContaining(['kube-system', 'monitoring', 'shop']));
  });
});
