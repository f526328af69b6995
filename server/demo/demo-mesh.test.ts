import { describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/flow/flow';
import { compareTimestamps, parseTimestamp } from '../../lib/time/timestamp';
import { createMeshSources, mergeByTime } from './demo-mesh';
import { buildTopology } from './topology';
import { meshPlacement } from './mesh-spec';

const START_MS = Date.parse('2026-11-26T10:00:00Z');
const WINDOW_MS = 10_000;
const opts = { clusters: ['east', 'west'], seed: 7, rateFlowsPerS: 200 };

const cross = (flows: Flow[]) => flows.filter((f) => f.source?.cluster_name && f.destination?.cluster_name && f.source.cluster_name !== f.destination.cluster_name);
const ts = (f: Flow) => parseTimestamp(f.time ?? '')!;

describe('the multi-cluster demo', () => {
  const [east, west] = createMeshSources(opts);
  const eastFlows = east.flowsBetween(START_MS, START_MS + WINDOW_MS);
  const westFlows = west.flowsBetween(START_MS, START_MS + WINDOW_MS);

  it('gives each cluster its own nodes, pod CIDRs, cluster ID and identities (no overlap, as Cluster Mesh requires)', () => {
    expect(east.nodes.map((n) => n.name)).toContain('east/worker-1');
    expect(west.nodes.map((n) => n.name)).toContain('west/worker-1');
    expect(new Set([...east.nodes, ...west.nodes].map((n) => n.address)).size).toBe(east.nodes.length + west.nodes.length);
    const e = buildTopology('east', meshPlacement(0));
    const w = buildTopology('west', meshPlacement(1));
    const pods = (t: typeof e) => t.workloads.flatMap((wl) => wl.pods).filter((p) => p.kind === 'pod');
    expect(pods(e).every((p) => p.ip.startsWith('10.244.'))).toBe(true);
    expect(pods(w).every((p) => p.ip.startsWith('10.245.'))).toBe(true);
    expect(new Set(pods(e).map((p) => p.workload.identity >>> 16))).toEqual(new Set([1]));
    expect(new Set(pods(w).map((p) => p.workload.identity >>> 16))).toEqual(new Set([2]));
  });

  it('serves only flows its own nodes observed, sorted by time', () => {
    expect(eastFlows.length).toBeGreaterThan(WINDOW_MS / 1000 * 150);
    expect(eastFlows.every((f) => f.node_name?.startsWith('east/'))).toBe(true);
    expect(westFlows.every((f) => f.node_name?.startsWith('west/'))).toBe(true);
    for (const flows of [eastFlows, westFlows]) {
      for (let i = 1; i < flows.length; i++) expect(compareTimestamps(ts(flows[i - 1]), ts(flows[i]))).toBeLessThanOrEqual(0);
    }
  });

  it("observes west's frontend calling east's api on both sides, each endpoint naming its cluster", () => {
    const egress = cross(westFlows);
    const ingress = cross(eastFlows);
    expect(egress.length).toBeGreaterThan(0);
    expect(ingress.length).toBeGreaterThan(0);
    for (const f of [...egress, ...ingress]) {
      const [client, server] = f.is_reply ? [f.destination, f.source] : [f.source, f.destination];
      expect([client?.cluster_name, client?.namespace, client?.workloads?.[0]?.name]).toEqual(['west', 'shop', 'frontend']);
      expect([server?.cluster_name, server?.namespace, server?.workloads?.[0]?.name]).toEqual(['east', 'shop', 'api']);
    }
    expect(egress.some((f) => f.traffic_direction === 'EGRESS' && !f.is_reply)).toBe(true);
    expect(ingress.some((f) => f.l7?.http && f.traffic_direction === 'INGRESS')).toBe(true);
    // Roughly MESH_SHARE (5%) of a cluster's rate, split between the two sides.
    const perS = (egress.length + ingress.length) / (WINDOW_MS / 1000);
    expect(perS).toBeGreaterThan(5);
    expect(perS).toBeLessThan(40);
  });

  it("denies west's calls at east's api too while east's policy-change incident runs", () => {
    const from = START_MS + 60_000;
    const [eastInIncident] = createMeshSources({ ...opts, incidents: [{ name: 'policy-change', fromMs: from, toMs: from + WINDOW_MS }], defaultTimeline: false });
    const drops = cross(eastInIncident.flowsBetween(from, from + WINDOW_MS)).filter((f) => f.verdict === 'DROPPED');
    expect(drops.length).toBeGreaterThan(0);
    for (const f of drops) {
      expect([f.source?.cluster_name, f.destination?.cluster_name, f.drop_reason_desc]).toEqual(['west', 'east', 'POLICY_DENIED']);
      expect(f.ingress_denied_by?.[0]).toMatchObject({ name: 'api-ingress', revision: '18' });
    }
    expect(cross(eastFlows).some((f) => f.verdict === 'DROPPED')).toBe(false);
  });

  it('is deterministic for a seed, however the window is cut', () => {
    const [again] = createMeshSources(opts);
    const halves = [...again.flowsBetween(START_MS, START_MS + 4_321), ...again.flowsBetween(START_MS + 4_321, START_MS + WINDOW_MS)];
    expect(halves.map((f) => f.uuid)).toEqual(eastFlows.map((f) => f.uuid));
    expect(new Set(eastFlows.map((f) => f.uuid)).size).toBe(eastFlows.length);
  });

  it('merges two time-sorted lists by time', () => {
    const f = (time: string): Flow => ({ time });
    const merged = mergeByTime([f('2026-01-01T00:00:00.1Z'), f('2026-01-01T00:00:00.3Z')], [f('2026-01-01T00:00:00.2Z'), f('2026-01-01T00:00:00.35Z')]);
    expect(merged.map((x) => x.time)).toEqual(['2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.2Z', '2026-01-01T00:00:00.3Z', '2026-01-01T00:00:00.35Z']);
  });
});
