/**
 * readServiceMap on PostgreSQL and PGlite against an oracle: the stored demo flows (incidents
 * included), selected in memory (window minutes, the hubble matcher, namespace and cluster scope,
 * lib/service-map/node-kind.ts's noise rules), keyed with edgeKeyOf (the collector's own rollup key)
 * and built with buildServiceMapGraph. Rollup and raw paths alike must give exactly that graph and
 * timeline: windows per minute and per hour with ragged ends, scope, noise, filters of both kinds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServiceMapQuery, type ServiceMapQuery, type ServiceMapTimelinePoint } from '../../lib/api/service-map';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { compileFilters } from '../../lib/filter/match';
import { buildServiceMapGraphFromRows, type ServiceMapRollupRow } from '../../lib/service-map/build-graph';
import { isNoise } from '../../lib/service-map/node-kind';
import { createDemoTraffic } from '../demo/traffic';
import { edgeKeyOf } from './edge-counts';
import { flowToRow } from './flow-row';
import { createFlowWriter } from './flow-writer';
import { SqlParams } from './filter-sql-params';
import { readServiceMap, ServiceMapRefusal } from './service-map';
import { forgetRawAggregations } from './service-map-raw';
import { noiseSideSql } from './service-map-sql';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const T0 = Date.UTC(2026, 2, 1, 9, 0);
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const LATER_MS = T0 + 48 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Four seconds of demo traffic in each incident phase of every 20-minute cycle for 8 hours, and across hour ends. */
function loadFlows(): FlowsResponse[] {
  const traffic = createDemoTraffic({ seed: 9, rateFlowsPerS: 40 });
  const starts: number[] = [];
  for (let cycle = 0; cycle < 24; cycle++) for (const minute of [0, 3, 11, 16]) starts.push(T0 + cycle * 20 * MINUTE_MS + minute * MINUTE_MS + 20_000);
  for (let h = 1; h <= 8; h++) starts.push(T0 + h * HOUR_MS - 2_000);
  const demo = starts.flatMap((s) => traffic.flowsBetween(s, s + 4_000));
  return [...demo, ...longBreakdowns(demo)].map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
}

/**
 * One edge to world with more ports, and one world node with more names, than the graph keeps, with
 * ties at every count: the database's cut must keep what the graph's own cut keeps.
 */
function longBreakdowns(demo: Flow[]): Flow[] {
  const world = demo.find((f) => f.destination?.labels?.includes('reserved:world') && !f.is_reply && f.l4?.TCP);
  if (!world) throw new Error('the demo traffic has no request to world');
  const out: Flow[] = [];
  for (let i = 0; i < 260; i++) {
    const port = 20_000 + (i % 37);
    const time = new Date(T0 + 5 * MINUTE_MS + i * 100).toISOString();
    out.push({
      ...world, uuid: `long-${i}`, time, destination_names: [`host-${i % 130}.example.com`],
      l4: { TCP: { ...world.l4!.TCP, destination_port: port } },
    });
  }
  return out;
}

const flows = loadFlows();
const keyed = flows.map((r) => {
  const k = JSON.parse(edgeKeyOf(flowToRow(r)!)) as [string, string, string, string, string, string, string, string, number, string, number, number, string, string];
  const row: ServiceMapRollupRow = {
    srcCluster: k[0], srcNamespace: k[1], srcEntity: k[2], dstCluster: k[3], dstNamespace: k[4], dstEntity: k[5], dstName: k[6],
    dstService: k[7], dstPort: k[8], protocol: k[9], verdict: k[10], dropReason: k[11], l7: k[12], policies: k[13], flows: 1,
  };
  return { flow: r.flow!, timeMs: Date.parse(r.flow!.time!), row };
});

function parse(search: string, nowMs = LATER_MS): ServiceMapQuery {
  const r = parseServiceMapQuery(new URLSearchParams(search), nowMs);
  if (!r.ok) throw new Error(r.error);
  return r.query;
}

/** What the map must show, computed from the flows in memory. */
function oracle(q: ServiceMapQuery) {
  const match = compileFilters(q.filters);
  const inScope = (r: ServiceMapRollupRow) =>
    (q.namespaces.length === 0 || q.namespaces.includes(r.srcNamespace) || q.namespaces.includes(r.dstNamespace))
    && (q.clusters.length === 0 || q.clusters.includes(r.srcCluster) || q.clusters.includes(r.dstCluster))
    && !q.hide.some((n) => isNoise(n, r.srcNamespace, r.srcEntity) || isNoise(n, r.dstNamespace, r.dstEntity));
  const selected = (fromMs: number, toMs: number) => keyed.filter((k) => k.timeMs >= fromMs && k.timeMs < toMs && inScope(k.row) && match(k.flow));
  const from = Math.floor(q.sinceMs / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil(q.untilMs / MINUTE_MS) * MINUTE_MS;
  const graph = buildServiceMapGraphFromRows(selected(from, to).map((k) => k.row), (to - from) / 1000);
  const tlFrom = Math.floor(q.timelineSinceMs / MINUTE_MS) * MINUTE_MS;
  const tlTo = Math.ceil(q.timelineUntilMs / MINUTE_MS) * MINUTE_MS;
  const step = q.timelineUntilMs - q.timelineSinceMs <= 6 * HOUR_MS ? MINUTE_MS : HOUR_MS;
  const first = Math.floor(tlFrom / step) * step;
  const timeline: ServiceMapTimelinePoint[] = [];
  for (let t = first; t < tlTo; t += step) timeline.push({ time: iso(t), flows: 0, drops: 0 });
  for (const k of selected(tlFrom, tlTo)) {
    const p = timeline[Math.floor((k.timeMs - first) / step)];
    p.flows++;
    if (k.row.verdict === 2) p.drops++;
  }
  return { ...graph, timeline };
}

const W = (fromMin: number, toMin: number) => `since=${iso(T0 + fromMin * MINUTE_MS)}&until=${iso(T0 + toMin * MINUTE_MS)}`;
const RAGGED_7H = `since=${iso(T0 + 17 * MINUTE_MS + 30_000)}&until=${iso(T0 + 7 * HOUR_MS + 12 * MINUTE_MS + 20_000)}`;

const CASES: [string, string, 'rollup' | 'raw'][] = [
  ['a 10 minute window with the policy-change incident', W(0, 10), 'rollup'],
  ['a window not on minute bounds', `since=${iso(T0 + 3 * MINUTE_MS + 25_000)}&until=${iso(T0 + 11 * MINUTE_MS + 21_000)}`, 'rollup'],
  ['namespaces, a cluster and every noise hidden', `${W(0, 60)}&namespace=shop&namespace=kube-system&cluster=demo&hide=host&hide=kube-dns&hide=remote-node&hide=monitoring`, 'rollup'],
  ['kube-dns and monitoring hidden', `${W(0, 60)}&hide=kube-dns&hide=monitoring`, 'rollup'],
  ['hours with ragged ends, and a wider timeline', `${RAGGED_7H}&timelineSince=${iso(T0 - HOUR_MS)}&timelineUntil=${iso(T0 + 8 * HOUR_MS + 5 * MINUTE_MS)}`, 'rollup'],
  ['--namespace shop --verdict DROPPED', `q=--namespace+shop+--verdict+DROPPED&${RAGGED_7H}`, 'rollup'],
  ['--protocol dns, not kube-system', `q=--protocol+dns&${W(0, 120)}&namespace=shop`, 'rollup'],
  ['--not --namespace kube-system', `q=--not+--namespace+kube-system&${W(0, 60)}&hide=host`, 'rollup'],
  ['--from-namespace shop (raw)', `q=--from-namespace+shop&${W(0, 60)}`, 'raw'],
  ['--port 8080, kube-dns hidden (raw)', `q=--port+8080&${W(0, 45)}&hide=kube-dns`, 'raw'],
  ['--to-pod shop/api --http-status 503 (raw)', `q=--to-pod+shop%2Fapi+--http-status+503&${W(0, 120)}&timelineSince=${iso(T0)}&timelineUntil=${iso(T0 + 5 * HOUR_MS)}`, 'raw'],
  ['--from-namespace shop in scope data (raw)', `q=--from-namespace+shop&${W(10, 70)}&namespace=data`, 'raw'],
  ['--from-namespace shop, hours with ragged ends and a wider timeline (raw)', `q=--from-namespace+shop&${RAGGED_7H}&timelineSince=${iso(T0 - HOUR_MS)}&timelineUntil=${iso(T0 + 8 * HOUR_MS + 5 * MINUTE_MS)}`, 'raw'],
];

describe.each([
  ['postgres', () => withTestSchema('service_map')],
  ['pglite', () => openTestPglite()],
] as const)('readServiceMap on %s', (kind, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await createFlowWriter(t.db).write(flows);
  }, 60_000);
  afterAll(() => t?.cleanup());

  it.each(CASES)('matches the oracle: %s', async (_name, search, path) => {
    const q = parse(search);
    forgetRawAggregations();
    const got = await readServiceMap(t.db, q, { nowMs: LATER_MS });
    const want = oracle(q);
    expect(got.source).toBe(path === 'raw' ? 'raw' : 'rollups');
    expect(got.edges.length, 'the case selects something').toBeGreaterThan(0);
    expect(got.timeline.some((p) => p.flows > 0)).toBe(true);
    expect({ nodes: got.nodes, edges: got.edges, truncated: got.truncated }).toEqual({ nodes: want.nodes, edges: want.edges, truncated: want.truncated });
    expect(got.timeline).toEqual(want.timeline);
    expect(got.resolution).toBe(q.untilMs - q.sinceMs > 6 * HOUR_MS ? 'hour' : 'minute');
  });

  it('cuts long breakdowns the way the graph does', async () => {
    const map = await readServiceMap(t.db, parse(W(0, 10)), { nowMs: LATER_MS });
    const world = map.nodes.find((n) => n.worldNames.includes('host-0.example.com'))!;
    expect(world.worldNames).toHaveLength(100);
    const edge = map.edges.find((e) => e.target === world.id && e.ports.some((p) => p.key === '20000/TCP'))!;
    expect(edge.ports).toHaveLength(20);
  });

  it('shows drops on the policy-change edge, and is deterministic', async () => {
    const q = parse(`${W(0, 10)}&namespace=shop`);
    const a = await readServiceMap(t.db, q, { nowMs: LATER_MS });
    expect(a.edges.some((e) => e.verdicts.some((v) => v.key === 'DROPPED') && e.dropReasons.length > 0 && e.policies.length > 0)).toBe(true);
    expect(JSON.stringify(await readServiceMap(t.db, q, { nowMs: LATER_MS }))).toBe(JSON.stringify(a));
  });

  it('counts the rate over the part of the window that has happened', async () => {
    const q = parse(`since=${iso(T0 + 2 * MINUTE_MS)}&until=${iso(T0 + 12 * MINUTE_MS)}`);
    const done = await readServiceMap(t.db, q, { nowMs: LATER_MS });
    const half = await readServiceMap(t.db, q, { nowMs: T0 + 7 * MINUTE_MS });
    const e = done.edges[0];
    expect(e.flowsPerS).toBeCloseTo(e.flows / 600, 9);
    expect(half.edges.find((x) => x.id === e.id)!.flowsPerS).toBeCloseTo(e.flows / 300, 9);
  });

  it('cuts the graph at the caps and says so', async () => {
    const q = parse(W(0, 480));
    const full = await readServiceMap(t.db, q, { nowMs: LATER_MS });
    const capped = await readServiceMap(t.db, q, { nowMs: LATER_MS, caps: { maxNodes: 1_000, maxEdges: 5 } });
    expect(full.truncated).toBe(false);
    expect(capped.truncated).toBe(true);
    expect(capped.edges.map((e) => e.flows).sort((a, b) => b - a)).toEqual(full.edges.map((e) => e.flows).sort((a, b) => b - a).slice(0, 5));
  });

  it('continues a raw aggregation that ran out of time from the hours it finished, and then answers exactly', async () => {
    forgetRawAggregations();
    const q = parse(`q=--from-namespace+shop&${W(0, 420)}`);
    await readServiceMap(t.db, parse(`q=--from-namespace+shop&${W(0, 180)}`), { nowMs: LATER_MS });
    const err = await readServiceMap(t.db, q, { nowMs: LATER_MS, rawBudgetMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceMapRefusal);
    expect((err as ServiceMapRefusal).status).toBe(503);
    expect((err as ServiceMapRefusal).progress).toEqual({ done: 3, total: 7 });
    expect((err as Error).message).toMatch(/^this filter needs the raw flows \(a --from-\* \/ --to-\* filter on one side.*aggregated 3 of 7 parts.*ask again to continue/);
    const got = await readServiceMap(t.db, q, { nowMs: LATER_MS });
    const want = oracle(q);
    expect({ nodes: got.nodes, edges: got.edges }).toEqual({ nodes: want.nodes, edges: want.edges });
    expect(got.timeline).toEqual(want.timeline);
  });

  it('re-reads hours that have not settled', async () => {
    forgetRawAggregations();
    const q = parse(`q=--from-namespace+shop&${W(0, 180)}`);
    await readServiceMap(t.db, q, { nowMs: T0 + 3 * HOUR_MS + MINUTE_MS });
    const err = await readServiceMap(t.db, q, { nowMs: T0 + 3 * HOUR_MS + MINUTE_MS, rawBudgetMs: 0 }).catch((e: unknown) => e);
    // Cut at 12:56 (five minutes before 'now', on a minute): 09-10, 10-11, 11-11:56 kept, 11:56-12:00 read again.
    expect((err as ServiceMapRefusal).progress).toEqual({ done: 3, total: 4 });
  });

  it('states the noise rules in SQL exactly as node-kind.ts does', async () => {
    const names = ['host', 'remote-node', 'world', 'coredns', 'kube-dns', 'coredns-5d7-abc', 'corednsx', 'kube-dns-1', 'prometheus',
      'prometheus-k8s-0', 'prometheusx', 'grafana-agent', 'my-grafana', 'node-exporter', 'alertmanager-main', 'kube-state-metrics', 'api', '', `it's`];
    const namespaces = ['', 'kube-system', 'monitoring', 'observability', 'shop', 'grafana', 'default'];
    const pairs = namespaces.flatMap((ns) => names.map((entity) => [ns, entity] as const));
    for (const noise of ['host', 'remote-node', 'kube-dns', 'monitoring'] as const) {
      const params = new SqlParams();
      const ns = params.add(pairs.map((p) => p[0]));
      const entity = params.add(pairs.map((p) => p[1]));
      const cond = noiseSideSql(noise, 'src', params);
      const rows = await t.db.query<{ hidden: boolean }>(
        `SELECT ${cond} AS hidden FROM unnest(${ns}::text[], ${entity}::text[]) WITH ORDINALITY AS v(src_namespace, src_entity, i) ORDER BY i`, params.values);
      expect(rows.map((r) => r.hidden), noise).toEqual(pairs.map(([n, e]) => isNoise(noise, n, e)));
    }
  });

  if (kind === 'postgres') {
    it('answers 503 when raw aggregation passes the statement timeout', async () => {
      const q = parse(`q=--from-namespace+shop+--http-path+%5E%2Fapi&${W(0, 360)}`);
      forgetRawAggregations();
      const err = await readServiceMap(t.db, q, { nowMs: LATER_MS, rawTimeoutMs: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceMapRefusal);
      expect((err as ServiceMapRefusal).status).toBe(503);
      expect((err as Error).message).toMatch(/one hour of raw flows took longer than 1 ms to aggregate: narrow the filter/);
    });
  }
});
