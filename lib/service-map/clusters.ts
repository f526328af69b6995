/**
 * Clusters on the service map (Cluster Mesh): which clusters a graph spans, and which edges cross
 * from one to another. Endpoints outside any cluster (cluster '': world, an address a relay did not
 * name) belong to none, so they neither make a map multi-cluster nor an edge cross-cluster.
 */
import type { ServiceMapNode } from '../api/service-map';

/** The named clusters of the nodes, sorted by code units (the same order on every machine). */
export function graphClusters(nodes: Iterable<Pick<ServiceMapNode, 'cluster'>>): string[] {
  const names = new Set<string>();
  for (const n of nodes) if (n.cluster) names.add(n.cluster);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** True when both ends are in named clusters and those differ. */
export function isCrossCluster(source: Pick<ServiceMapNode, 'cluster'>, target: Pick<ServiceMapNode, 'cluster'>): boolean {
  return source.cluster !== '' && target.cluster !== '' && source.cluster !== target.cluster;
}
