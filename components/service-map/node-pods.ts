/**
 * The pods of a workload node, keyed by its cluster as well as its namespace and name: two clusters
 * of a mesh often run the same namespace and workload (shop/api in east and in west), and a list
 * by `namespace/name` alone would show both clusters' pods under either node. The pods are read
 * from the window's newest flows with a side in the node's cluster and pod prefix.
 */
import type { ServiceMapNode } from '../../lib/api/service-map';
import type { FlowsResponse } from '../../lib/flow/flow';
import { shellQuote } from '../../lib/filter/print-observe-args';
import { workloadPods } from './map-names';

/** Flows read for the list: enough to meet each pod of a busy workload, one page of the flows API. */
export const NODE_POD_FLOWS = 500;

type PodNode = Pick<ServiceMapNode, 'cluster' | 'namespace' | 'name'>;

/**
 * `hubble observe` flags selecting flows with a side that could be one of the node's pods: pod
 * prefix `namespace/name-` in the node's cluster (paired on each side, as `--cluster` and `--pod`
 * combine). A node without a cluster (flows stored before relays named one) has no cluster flag.
 */
export function nodePodFlags(node: PodNode): string {
  const words = [...(node.cluster ? ['--cluster', node.cluster] : []), '--pod', `${node.namespace}/${node.name}-`];
  return words.map(shellQuote).join(' ');
}

/** The node's pods (names without the namespace, sorted) among the flows' sides in its own cluster. */
export function nodePods(flows: readonly FlowsResponse[], node: PodNode): string[] {
  const values = new Set<string>();
  for (const { flow } of flows) {
    for (const side of [flow?.source, flow?.destination]) {
      if (!side?.pod_name || (side.cluster_name ?? '') !== node.cluster || side.namespace !== node.namespace) continue;
      values.add(`${side.namespace}/${side.pod_name}`);
    }
  }
  return workloadPods([...values], node);
}
