/**
 * Lookups over one service-map answer for the panels and the edge table: nodes by id, each node's
 * inbound and outbound edges, what was dropped around a node, the order edges are listed in, and
 * the search that finds a workload.
 */
import type { ServiceMapCount, ServiceMapEdge, ServiceMapNode, ServiceMapResponse } from '../../lib/api/service-map';
import { graphClusters, isCrossCluster } from '../../lib/service-map/clusters';
import { droppedFlows, edgeTrouble } from './edge-style';
import { compareText } from './map-layout-grid';
import { clusterNodeLabel, edgeLabel, nodeLabel } from './map-names';

export interface GraphIndex {
  nodes: ReadonlyMap<string, ServiceMapNode>;
  edges: ReadonlyMap<string, ServiceMapEdge>;
  inbound: ReadonlyMap<string, readonly ServiceMapEdge[]>;
  outbound: ReadonlyMap<string, readonly ServiceMapEdge[]>;
  /** `shop/frontend → shop/api` by edge id (`west: shop/frontend → east: shop/api` over several clusters). */
  edgeLabels: ReadonlyMap<string, string>;
  /** The named clusters of the graph, sorted. */
  clusters: readonly string[];
  /** Ids of the edges whose ends are in different clusters. */
  crossCluster: ReadonlySet<string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexGraph(graph: Pick<ServiceMapResponse, 'nodes' | 'edges'>): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const inbound = new Map<string, ServiceMapEdge[]>();
  const outbound = new Map<string, ServiceMapEdge[]>();
  for (const e of graph.edges) {
    push(outbound, e.source, e);
    push(inbound, e.target, e);
  }
  const clusters = graphClusters(graph.nodes);
  const edgeLabels = new Map(graph.edges.map((e) => [e.id, edgeLabel(e, nodes, clusters.length > 1)]));
  const crossCluster = new Set(graph.edges.filter((e) => {
    const [a, b] = [nodes.get(e.source), nodes.get(e.target)];
    return a !== undefined && b !== undefined && isCrossCluster(a, b);
  }).map((e) => e.id));
  return { nodes, edges: new Map(graph.edges.map((e) => [e.id, e])), inbound, outbound, edgeLabels, clusters, crossCluster };
}

/** Counts summed by key, largest first (ties by key). */
export function sumCounts(lists: readonly (readonly ServiceMapCount[])[]): ServiceMapCount[] {
  const sums = new Map<string, number>();
  for (const list of lists) for (const c of list) sums.set(c.key, (sums.get(c.key) ?? 0) + c.flows);
  return [...sums].map(([key, flows]) => ({ key, flows })).sort((a, b) => b.flows - a.flows || compareText(a.key, b.key));
}

/** Most drops first, then most application failures, then most flows: what an on-call reads first. */
export function compareEdgesByTrouble(a: ServiceMapEdge, b: ServiceMapEdge): number {
  const ta = edgeTrouble(a);
  const tb = edgeTrouble(b);
  return tb.dropped - ta.dropped || tb.failed - ta.failed || b.flows - a.flows || compareText(a.id, b.id);
}

/** What was dropped on a node's edges, both ways: reasons, denying policies, and the edges by drops. */
export function nodeDrops(index: GraphIndex, id: string) {
  const edges = [...(index.inbound.get(id) ?? []), ...(index.outbound.get(id) ?? [])].filter((e) => droppedFlows(e) > 0);
  return {
    reasons: sumCounts(edges.map((e) => e.dropReasons)),
    policies: sumCounts(edges.map((e) => e.policies)),
    edges: edges.sort(compareEdgesByTrouble),
  };
}

/** How the find box names a node: `namespace/name`, with its cluster in front over several clusters. */
export function findLabeler(nodes: readonly ServiceMapNode[]): (n: ServiceMapNode) => string {
  return graphClusters(nodes).length > 1 ? clusterNodeLabel : nodeLabel;
}

/**
 * Nodes whose label (findLabeler) contains `text` (any case): names that start with it first, then
 * labels that do, then the rest, each by label.
 */
export function searchNodes(nodes: readonly ServiceMapNode[], text: string, limit = 20): ServiceMapNode[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const labelOf = findLabeler(nodes);
  const score = (n: ServiceMapNode) => {
    const label = labelOf(n).toLowerCase();
    if (n.name.toLowerCase() === needle || label === needle) return 0;
    if (n.name.toLowerCase().startsWith(needle)) return 1;
    return label.startsWith(needle) ? 2 : label.includes(needle) ? 3 : -1;
  };
  return nodes
    .map((n) => ({ n, s: score(n) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || compareText(labelOf(a.n), labelOf(b.n)))
    .slice(0, limit)
    .map((x) => x.n);
}
