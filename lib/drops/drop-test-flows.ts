/**
 * Sample flows shaped like the demo cluster's (and Cilium's) for the drop-group tests. Test code only.
 */
import type { Endpoint, Flow, FlowsResponse, Policy } from '../flow/flow';

/** A pod endpoint with the labels Cilium gives it. */
export function podEndpoint(namespace: string, workload: string, appLabels: string[], cluster = 'default'): Endpoint {
  return {
    identity: 12345,
    cluster_name: cluster,
    namespace,
    pod_name: `${workload}-7d9f8b6c5d-x2x9q`,
    workloads: [{ name: workload, kind: 'Deployment' }],
    labels: [
      ...appLabels.map((l) => `k8s:${l}`),
      `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${namespace}`,
      `k8s:io.cilium.k8s.policy.cluster=${cluster}`,
      `k8s:io.cilium.k8s.policy.serviceaccount=${workload}`,
      `k8s:io.kubernetes.pod.namespace=${namespace}`,
    ].sort(),
  };
}

export const WORLD: Endpoint = { identity: 2, labels: ['reserved:world'] };
export const HOST: Endpoint = { identity: 1, labels: ['reserved:host'] };

export function cnp(namespace: string, name: string): Policy {
  return { name, namespace, kind: 'CiliumNetworkPolicy', revision: '7', labels: [`k8s:io.cilium.k8s.policy.name=${name}`] };
}

export interface DropFlowInit {
  source: Endpoint;
  destination: Endpoint;
  srcIp?: string;
  dstIp?: string;
  l4?: Flow['l4'];
  /** INGRESS by default; UNKNOWN leaves the field out. */
  direction?: 'INGRESS' | 'EGRESS' | 'UNKNOWN';
  ingressDeniedBy?: Policy[];
  egressDeniedBy?: Policy[];
  destinationNames?: string[];
}

/** A DROPPED POLICY_DENIED request flow. */
export function dropFlow(init: DropFlowInit): FlowsResponse {
  const flow: Flow = {
    time: '2026-11-26T10:02:03.123456789Z',
    verdict: 'DROPPED',
    drop_reason: 133,
    drop_reason_desc: 'POLICY_DENIED',
    IP: { source: init.srcIp ?? '10.0.1.10', destination: init.dstIp ?? '10.0.2.20', ipVersion: 'IPv4' },
    l4: init.l4 ?? { TCP: { source_port: 40000, destination_port: 8080, flags: { SYN: true } } },
    source: init.source,
    destination: init.destination,
    Type: 'L3_L4',
    node_name: 'default/worker-1',
    is_reply: false,
    ...(init.direction === 'UNKNOWN' ? {} : { traffic_direction: init.direction ?? 'INGRESS' }),
    ...(init.destinationNames ? { destination_names: init.destinationNames } : {}),
    ...(init.ingressDeniedBy ? { ingress_denied_by: init.ingressDeniedBy } : {}),
    ...(init.egressDeniedBy ? { egress_denied_by: init.egressDeniedBy } : {}),
  };
  return { flow, node_name: 'default/worker-1', time: flow.time };
}
