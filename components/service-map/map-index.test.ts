import { describe, expect, it } from 'vitest';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { compareEdgesByTrouble, indexGraph, nodeDrops, searchNodes, sumCounts } from './map-index';
import { workloadPods } from './map-names';

const n = (namespace: string, name: string): ServiceMapNode => ({
  id: `c/${namespace}/${name}`, kind: namespace ? 'workload' : 'world', name, namespace, cluster: 'c', services: [], worldNames: [],
});
const counts = (o: Record<string, number>) => Object.entries(o).map(([key, flows]) => ({ key, flows }));
function e(a: ServiceMapNode, b: ServiceMapNode, flows: number, extra: Partial<ServiceMapEdge> = {}): ServiceMapEdge {
  return { id: `${a.id}->${b.id}`, source: a.id, target: b.id, flows, flowsPerS: flows / 300, verdicts: counts({ FORWARDED: flows }), ports: [], l7: [], dropReasons: [], policies: [], ...extra };
}

const frontend = n('shop', 'frontend');
const api = n('shop', 'api');
const redis = n('data', 'redis');
const world = n('', 'world');
const denied = e(frontend, api, 50, {
  verdicts: counts({ FORWARDED: 30, DROPPED: 20 }), dropReasons: counts({ POLICY_DENIED: 20 }), policies: counts({ 'shop/api-ingress': 20 }),
});
const probe = e(frontend, redis, 5, {
  verdicts: counts({ DROPPED: 5 }), dropReasons: counts({ POLICY_DENIED: 5 }), policies: counts({ 'data/redis-ingress': 5 }),
});
const failing = e(api, world, 40, { l7: counts({ 'HTTP GET': 40, 'HTTP 5xx': 3 }) });
const busy = e(api, redis, 900);
const graph = { nodes: [frontend, api, redis, world], edges: [busy, failing, probe, denied] };

describe('graph index', () => {
  it('lists each node’s inbound and outbound edges and labels edges by their nodes', () => {
    const index = indexGraph(graph);
    expect(index.outbound.get(api.id)).toEqual([busy, failing]);
    expect(index.inbound.get(redis.id)).toEqual([busy, probe]);
    expect(index.edgeLabels.get(denied.id)).toBe('shop/frontend → shop/api');
    expect(index.edgeLabels.get(failing.id)).toBe('shop/api → world');
  });

  it('sums what was dropped around a node', () => {
    const drops = nodeDrops(indexGraph(graph), frontend.id);
    expect(drops.reasons).toEqual(counts({ POLICY_DENIED: 25 }));
    expect(drops.policies).toEqual(counts({ 'shop/api-ingress': 20, 'data/redis-ingress': 5 }));
    expect(drops.edges).toEqual([denied, probe]);
    expect(sumCounts([counts({ a: 1, b: 2 }), counts({ a: 2 })])).toEqual(counts({ a: 3, b: 2 }));
  });

  it('lists edges with drops first, then failures, then by flows', () => {
    expect([...graph.edges].sort(compareEdgesByTrouble)).toEqual([denied, probe, failing, busy]);
  });

  it('finds workloads by name or namespace/name, best matches first', () => {
    const nodes = [...graph.nodes, n('shop', 'api-gateway'), n('apigee', 'proxy')];
    expect(searchNodes(nodes, 'API').map((x) => x.id)).toEqual(['c/shop/api', 'c/shop/api-gateway', 'c/apigee/proxy']);
    expect(searchNodes(nodes, 'shop/fr').map((x) => x.id)).toEqual(['c/shop/frontend']);
    expect(searchNodes(nodes, '  ')).toEqual([]);
  });
});

describe('workloadPods', () => {
  it('keeps the values named like the workload’s pods', () => {
    const values = ['shop/api-7d9f8c6b5-x2k4p', 'shop/api-0', 'shop/api-gateway-5b7c9-abcde', 'shop/apis-1', 'data/api-0', 'shop/api-ds8k2'];
    expect(workloadPods(values, { namespace: 'shop', name: 'api' })).toEqual(['api-0', 'api-7d9f8c6b5-x2k4p', 'api-ds8k2']);
  });
});
