/** How nodes and edges are named in the map's text: the tooltip, the side panel, the edge table. */
import type { ServiceMapEdge, ServiceMapNode, ServiceMapNodeKind } from '../../lib/api/service-map';

/** `namespace/name`, or the bare name outside namespaces (world, host, an address). */
export const nodeLabel = (n: Pick<ServiceMapNode, 'namespace' | 'name'>) => (n.namespace ? `${n.namespace}/${n.name}` : n.name);

export const KIND_TEXT: Readonly<Record<ServiceMapNodeKind, string>> = {
  workload: 'workload',
  world: 'outside the cluster (world)',
  host: 'node host',
  'remote-node': 'another node',
  'kube-apiserver': 'Kubernetes API server',
  'kube-dns': 'cluster DNS',
  other: 'pod, identity or address',
};

/** The node's tooltip: its name, what it is, and where it was reached. */
export function nodeTitle(n: ServiceMapNode): string {
  const lines = [nodeLabel(n), KIND_TEXT[n.kind]];
  if (n.cluster) lines.push(`cluster ${n.cluster}`);
  if (n.services.length) lines.push(`services: ${n.services.join(', ')}`);
  if (n.worldNames.length) lines.push(`reached: ${n.worldNames.slice(0, 8).join(', ')}${n.worldNames.length > 8 ? ', …' : ''}`);
  return lines.join('\n');
}

/** `east: shop/api`: the label with its cluster in front, for maps of several clusters. */
export const clusterNodeLabel = (n: Pick<ServiceMapNode, 'cluster' | 'namespace' | 'name'>) => (n.cluster ? `${n.cluster}: ${nodeLabel(n)}` : nodeLabel(n));

/**
 * `shop/frontend → shop/api`, by the nodes' labels (`west: shop/frontend → east: shop/api` when the
 * map spans several clusters); the raw ids when a node is missing.
 */
export function edgeLabel(e: Pick<ServiceMapEdge, 'source' | 'target'>, nodes: ReadonlyMap<string, ServiceMapNode>, withClusters = false): string {
  const side = (id: string) => {
    const n = nodes.get(id);
    return n ? (withClusters ? clusterNodeLabel(n) : nodeLabel(n)) : id;
  };
  return `${side(e.source)} → ${side(e.target)}`;
}

/** What follows `<workload>-` in its pods' names: a ReplicaSet hash and suffix, a DaemonSet suffix, or a StatefulSet ordinal. */
const POD_SUFFIX = /^(?:[a-z0-9]{5,10}-)?[a-z0-9]{1,5}$/;

/**
 * The pods of a workload node among `namespace/pod` values: those named like its pods. Names are
 * all the rollups and value lists carry, so a workload whose name extends this one's (`api` and
 * `api-v2`) can contribute look-alikes; the panel says the list is by name.
 */
export function workloadPods(values: readonly string[], node: Pick<ServiceMapNode, 'namespace' | 'name'>): string[] {
  const prefix = `${node.namespace}/${node.name}-`;
  return values.filter((v) => v.startsWith(prefix) && POD_SUFFIX.test(v.slice(prefix.length))).map((v) => v.slice(node.namespace.length + 1)).sort();
}
