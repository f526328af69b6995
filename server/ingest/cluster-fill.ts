/**
 * Names the cluster where a relay's flows leave it out. A current Cilium sets `cluster_name` on
 * pod endpoints and prefixes node names with `cluster/`; older agents, captures and other tools do
 * not, and with several relays followed at once a flow without them cannot be told apart from
 * another cluster's. The node that observed a flow is in the local cluster: its `cluster/` prefix
 * names it, or else the relay the flow came from does. So:
 *
 * - an endpoint without `cluster_name` that belongs to the observing cluster (a pod or endpoint:
 *   it has a namespace or a pod name; or the reserved host, health, init or ingress identities,
 *   which are always the observing node's own) gets the local cluster's name, unless its labels
 *   name the cluster (`k8s:io.cilium.k8s.policy.cluster=...`, what Hubble itself reads it from);
 * - world, remote-node, kube-apiserver and unknown endpoints stay as they are (they are in no
 *   cluster, or in one we cannot tell), and so does every endpoint that already names a cluster:
 *   a flow naming another cluster is a cross-cluster flow;
 * - a node name without `cluster/` gets the prefix (flows, lost events and node status events).
 *
 * Pure: a response that needs nothing is returned as it is; otherwise a copy with the changed
 * parts copied, fields in the order Hubble prints them, so the stored jsonpb reads naturally.
 */
import type { Endpoint, Flow, FlowsResponse } from '../../lib/flow/flow';

const CLUSTER_LABEL = 'k8s:io.cilium.k8s.policy.cluster=';

/** Reserved identities that only ever describe the observing node itself, by number and label. */
const LOCAL_RESERVED_IDENTITIES = new Set([1, 4, 5, 8]);
const LOCAL_RESERVED_LABELS = new Set(['reserved:host', 'reserved:health', 'reserved:init', 'reserved:ingress']);

/** Endpoint fields that come after cluster_name in flow.proto (ID and identity come before it). */
const AFTER_CLUSTER_NAME = new Set(['namespace', 'labels', 'pod_name', 'workloads']);

/** The cluster an endpoint without `cluster_name` is in, or undefined when it cannot be told. */
function clusterOf(ep: Endpoint, local: string): string | undefined {
  const labelled = ep.labels?.find((l) => l.startsWith(CLUSTER_LABEL));
  if (labelled) return labelled.slice(CLUSTER_LABEL.length) || undefined;
  if (ep.namespace || ep.pod_name) return local;
  if (ep.identity !== undefined && LOCAL_RESERVED_IDENTITIES.has(ep.identity)) return local;
  return ep.labels?.some((l) => LOCAL_RESERVED_LABELS.has(l)) ? local : undefined;
}

/** The endpoint with `cluster_name` set where it should be, or the same object. */
export function fillEndpointCluster(ep: Endpoint | undefined, cluster: string): Endpoint | undefined {
  if (!ep || ep.cluster_name) return ep;
  const name = clusterOf(ep, cluster);
  if (!name) return ep;
  const filled: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(ep)) {
    if (!placed && AFTER_CLUSTER_NAME.has(key)) {
      filled.cluster_name = name;
      placed = true;
    }
    if (key !== 'cluster_name') filled[key] = value;
  }
  if (!placed) filled.cluster_name = name;
  return filled as Endpoint;
}

/** `cluster/node` for a node name without a cluster; the same string otherwise (or when empty). */
export function fillNodeCluster(node: string | undefined, cluster: string): string | undefined {
  return node && !node.includes('/') ? `${cluster}/${node}` : node;
}

function fillFlow(flow: Flow, cluster: string): Flow {
  // The observing node's cluster is the local one; the relay's name stands in when the node does not say.
  const local = clusterOfNodeName(flow.node_name) ?? cluster;
  const source = fillEndpointCluster(flow.source, local);
  const destination = fillEndpointCluster(flow.destination, local);
  const nodeName = fillNodeCluster(flow.node_name, cluster);
  if (source === flow.source && destination === flow.destination && nodeName === flow.node_name) return flow;
  const filled: Flow = { ...flow };
  if (source !== flow.source) filled.source = source;
  if (destination !== flow.destination) filled.destination = destination;
  if (nodeName !== flow.node_name) filled.node_name = nodeName;
  return filled;
}

/** The response with its flow's endpoints and its node names naming `cluster` where they name none. */
export function fillResponseCluster(response: FlowsResponse, cluster: string): FlowsResponse {
  const flow = response.flow && fillFlow(response.flow, cluster);
  const nodeName = fillNodeCluster(response.node_name, cluster);
  const names = response.node_status?.node_names;
  const filledNames = names?.some((n) => n && !n.includes('/')) ? names.map((n) => fillNodeCluster(n, cluster) as string) : names;
  if (flow === response.flow && nodeName === response.node_name && filledNames === names) return response;
  const filled: FlowsResponse = { ...response };
  if (flow !== response.flow) filled.flow = flow;
  if (nodeName !== response.node_name) filled.node_name = nodeName;
  if (filledNames !== names) filled.node_status = { ...response.node_status, node_names: filledNames };
  return filled;
}

/** The cluster a node name says it is in (`cluster/node`), or undefined without a prefix. */
export function clusterOfNodeName(node: string | undefined): string | undefined {
  const slash = node?.indexOf('/') ?? -1;
  return node && slash > 0 ? node.slice(0, slash) : undefined;
}
