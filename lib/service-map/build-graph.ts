/**
 * Rollup counts → the service map graph: nodes for the edges' endpoints, edges aggregated per
 * (client node, server node) with their breakdowns, caps, and a fixed order. The result depends on
 * the counts only, never on the order or the split of the rows they come in, so the same data
 * always draws the same picture and a shared link shows what its author saw.
 */
import type { ServiceMapCount, ServiceMapEdge, ServiceMapNode } from '../api/service-map';
import { dropReasonKey, isDropped, l7Keys, policyKeys, portKey, verdictKey } from './edge-summary';
import {
  MAX_EDGE_PORTS, MAX_WORLD_NAMES, serviceMapPartsOfRows, type ServiceMapEndpointKey, type ServiceMapPart, type ServiceMapRollupRow,
} from './map-parts';
import { serviceMapNodeKind } from './node-kind';

export type { ServiceMapRollupRow };

/** Caps that keep a map drawable; the largest edges are kept. */
export interface ServiceMapCaps {
  maxNodes: number;
  maxEdges: number;
}

export const DEFAULT_SERVICE_MAP_CAPS: ServiceMapCaps = { maxNodes: 1_500, maxEdges: 6_000 };

export interface ServiceMapGraph {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
  truncated: boolean;
}

/** Stable across windows and reloads: `<cluster>/<namespace>/<name>`. */
export const serviceMapNodeId = (cluster: string, namespace: string, entity: string): string => `${cluster}/${namespace}/${entity}`;

/** `<source id>-><target id>`. */
export const serviceMapEdgeId = (source: string, target: string): string => `${source}->${target}`;

type Counts = Map<string, number>;

const bump = (m: Counts, key: string | undefined, flows: number) => {
  if (key !== undefined) m.set(key, (m.get(key) ?? 0) + flows);
};

const byFlowsThenKey = (a: ServiceMapCount, b: ServiceMapCount) => b.flows - a.flows || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function countList(m: Counts, limit = Infinity): ServiceMapCount[] {
  return [...m].map(([key, flows]) => ({ key, flows })).sort(byFlowsThenKey).slice(0, limit);
}

interface EdgeAcc {
  id: string;
  source: string;
  target: string;
  flows: number;
  verdicts: Counts;
  ports: Counts;
  l7: Counts;
  dropReasons: Counts;
  policies: Counts;
}

interface NodeAcc {
  node: Omit<ServiceMapNode, 'services' | 'worldNames'>;
  services: Counts;
  worldNames: Counts;
}

function nodeAcc(nodes: Map<string, NodeAcc>, { cluster, namespace, entity }: ServiceMapEndpointKey): NodeAcc {
  const id = serviceMapNodeId(cluster, namespace, entity);
  let acc = nodes.get(id);
  if (!acc) {
    acc = { node: { id, kind: serviceMapNodeKind(namespace, entity), name: entity, namespace, cluster }, services: new Map(), worldNames: new Map() };
    nodes.set(id, acc);
  }
  return acc;
}

function edgeAcc(edges: Map<string, EdgeAcc>, nodes: Map<string, NodeAcc>, source: ServiceMapEndpointKey, target: ServiceMapEndpointKey): EdgeAcc {
  const from = nodeAcc(nodes, source).node.id;
  const to = nodeAcc(nodes, target).node.id;
  const id = serviceMapEdgeId(from, to);
  let e = edges.get(id);
  if (!e) {
    e = { id, source: from, target: to, flows: 0, verdicts: new Map(), ports: new Map(), l7: new Map(), dropReasons: new Map(), policies: new Map() };
    edges.set(id, e);
  }
  return e;
}

function addPart(edges: Map<string, EdgeAcc>, nodes: Map<string, NodeAcc>, p: ServiceMapPart): void {
  switch (p.part) {
    case 'summary': {
      const e = edgeAcc(edges, nodes, p.source, p.target);
      e.flows += p.flows;
      bump(e.verdicts, verdictKey(p.verdict), p.flows);
      if (isDropped(p.verdict)) bump(e.dropReasons, dropReasonKey(p.dropReason), p.flows);
      for (const k of l7Keys(p.l7)) bump(e.l7, k, p.flows);
      for (const k of policyKeys(p.policies)) bump(e.policies, k, p.flows);
      if (p.service) bump(nodeAcc(nodes, p.target).services, p.service, p.flows);
      return;
    }
    case 'port':
      return bump(edgeAcc(edges, nodes, p.source, p.target).ports, portKey(p.port, p.protocol), p.flows);
    case 'name':
      if (p.name) bump(nodeAcc(nodes, p.target).worldNames, p.name, p.flows);
  }
}

/**
 * The largest edges (flows, then id) that fit both caps; an edge whose new endpoints would pass the
 * node cap is left out, and so is every edge past the edge cap.
 */
function keepLargest(all: EdgeAcc[], caps: ServiceMapCaps): { kept: EdgeAcc[]; nodeIds: Set<string>; truncated: boolean } {
  const sorted = [...all].sort((a, b) => b.flows - a.flows || (a.id < b.id ? -1 : 1));
  const kept: EdgeAcc[] = [];
  const nodeIds = new Set<string>();
  for (const e of sorted) {
    if (kept.length >= caps.maxEdges) break;
    const added = (nodeIds.has(e.source) ? 0 : 1) + (e.source !== e.target && !nodeIds.has(e.target) ? 1 : 0);
    if (nodeIds.size + added > caps.maxNodes) continue;
    kept.push(e);
    nodeIds.add(e.source);
    nodeIds.add(e.target);
  }
  return { kept, nodeIds, truncated: kept.length < all.length };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The graph of breakdown rows summed over a window of `windowSeconds` (map-parts.ts): nodes sorted by
 * id, edges sorted by id, every breakdown most flows first (then by key), ports cut to MAX_EDGE_PORTS
 * and world names to MAX_WORLD_NAMES. An edge's flows are its summary rows' sum. `truncated` when a
 * cap left edges out; nodes only reached by edges left out are left out too.
 */
export function buildServiceMapGraph(parts: Iterable<ServiceMapPart>, windowSeconds: number, caps = DEFAULT_SERVICE_MAP_CAPS): ServiceMapGraph {
  const edges = new Map<string, EdgeAcc>();
  const nodes = new Map<string, NodeAcc>();
  for (const p of parts) if (p.flows > 0) addPart(edges, nodes, p);
  const { kept, nodeIds, truncated } = keepLargest([...edges.values()].filter((e) => e.flows > 0), caps);
  const seconds = windowSeconds > 0 ? windowSeconds : 1;
  return {
    nodes: [...nodeIds].map((id) => {
      const acc = nodes.get(id)!;
      return { ...acc.node, services: countList(acc.services).map((c) => c.key), worldNames: countList(acc.worldNames, MAX_WORLD_NAMES).map((c) => c.key) };
    }).sort(byId),
    edges: kept.map((e) => ({
      id: e.id, source: e.source, target: e.target, flows: e.flows, flowsPerS: e.flows / seconds,
      verdicts: countList(e.verdicts), ports: countList(e.ports, MAX_EDGE_PORTS), l7: countList(e.l7),
      dropReasons: countList(e.dropReasons), policies: countList(e.policies),
    })).sort(byId),
    truncated,
  };
}

/** The same graph from whole rollup rows summed over the window. */
export function buildServiceMapGraphFromRows(rows: Iterable<ServiceMapRollupRow>, windowSeconds: number, caps = DEFAULT_SERVICE_MAP_CAPS): ServiceMapGraph {
  return buildServiceMapGraph(serviceMapPartsOfRows(rows), windowSeconds, caps);
}
