/**
 * Maps over several clusters (Cluster Mesh): one box per cluster and namespace, labelled and laid
 * out cluster by cluster; edges between clusters known to the index and labelled with clusters.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { indexGraph, searchNodes } from './map-index';
import { layoutServiceMap } from './map-layout';

const n = (cluster: string, namespace: string, name: string): ServiceMapNode => ({
  id: `${cluster}/${namespace}/${name}`, kind: namespace ? 'workload' : 'world', name, namespace, cluster, services: [], worldNames: [],
});
const e = (a: ServiceMapNode, b: ServiceMapNode): ServiceMapEdge => ({
  id: `${a.id}->${b.id}`, source: a.id, target: b.id, flows: 1, flowsPerS: 1, verdicts: [], ports: [], l7: [], dropReasons: [], policies: [],
});

const world = n('', '', 'world');
const westFrontend = n('west', 'shop', 'frontend');
const westApi = n('west', 'shop', 'api');
const eastApi = n('east', 'shop', 'api');
const eastDb = n('east', 'data', 'postgres');
const eastHost = { ...n('east', '', 'host'), kind: 'host' as const };
const nodes = [world, westFrontend, westApi, eastApi, eastDb, eastHost];
const edges = [e(world, westFrontend), e(westFrontend, westApi), e(westFrontend, eastApi), e(eastApi, eastDb), e(eastHost, eastApi)];

describe('layout over several clusters', () => {
  it('keeps same-named namespaces of different clusters apart, labelled cluster / namespace, cluster by cluster', () => {
    const layout = layoutServiceMap({ nodes, edges });
    expect(layout.shelves.flat()).toEqual(['/', 'east/', 'east/data', 'east/shop', 'west/shop']);
    expect(layout.boxes.get('east/shop')!.label).toBe('east / shop');
    expect(layout.boxes.get('west/shop')!.label).toBe('west / shop');
    expect(layout.boxes.get('east/')!.label).toBe('east / outside namespaces');
    expect(layout.boxes.get('/')!.label).toBe('outside namespaces');
    expect(layout.cells.get(eastApi.id)!.box).toBe('east/shop');
    expect(layout.cells.get(westApi.id)!.box).toBe('west/shop');
  });

  it('is deterministic whatever order the graph comes in', () => {
    const a = layoutServiceMap({ nodes, edges });
    const b = layoutServiceMap({ nodes: [...nodes].reverse(), edges: [...edges].reverse() });
    expect(Object.fromEntries(b.positions)).toEqual(Object.fromEntries(a.positions));
    expect(b.shelves).toEqual(a.shelves);
  });

  it('labels boxes by namespace alone while one cluster is shown', () => {
    const layout = layoutServiceMap({ nodes: [world, westFrontend, westApi], edges: [e(westFrontend, westApi)] });
    expect(layout.boxes.get('west/shop')!.label).toBe('shop');
  });
});

describe('index over several clusters', () => {
  it('marks the edges between clusters and names each end with its cluster', () => {
    const index = indexGraph({ nodes, edges });
    expect(index.clusters).toEqual(['east', 'west']);
    expect([...index.crossCluster]).toEqual([e(westFrontend, eastApi).id]);
    expect(index.edgeLabels.get(e(westFrontend, eastApi).id)).toBe('west: shop/frontend → east: shop/api');
    expect(index.edgeLabels.get(e(world, westFrontend).id)).toBe('world → west: shop/frontend');
  });

  it('keeps the short labels on a map of one cluster', () => {
    const index = indexGraph({ nodes: [westFrontend, westApi], edges: [e(westFrontend, westApi)] });
    expect(index.crossCluster.size).toBe(0);
    expect(index.edgeLabels.get(e(westFrontend, westApi).id)).toBe('shop/frontend → shop/api');
  });
});

describe('find over several clusters', () => {
  it('tells same-named workloads of different clusters apart by their cluster', () => {
    expect(searchNodes(nodes, 'api').map((x) => x.id)).toEqual([eastApi.id, westApi.id]);
    expect(searchNodes(nodes, 'west: shop/api').map((x) => x.id)).toEqual([westApi.id]);
    expect(searchNodes([westFrontend, westApi], 'shop/api').map((x) => x.id)).toEqual([westApi.id]);
  });
});
