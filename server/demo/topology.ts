/**
 * The simulated cluster's inventory, built once from cluster-spec.ts: nodes with pod CIDRs, pods
 * with names, IPs, endpoint IDs and security identities, services with ClusterIPs, and the
 * Endpoint objects Hubble would print for each of them as seen from each node.
 *
 * Everything here is immutable and shared by every flow that mentions it (label arrays, workload
 * arrays, whole Endpoint objects): consumers must not mutate flows they receive.
 */
import type { Endpoint, Policy, Service, Workload } from '../../lib/flow/flow';
import { APP_NAMESPACES, SERVICE_SPECS, WORKLOAD_SPECS, type NodeSpec, type WorkloadKind, type WorkloadSpec } from './cluster-spec';
import { buildPolicies } from './demo-policies';
import { SINGLE_CLUSTER, meshIdentity, type ClusterPlacement } from './mesh-spec';
import { podNames } from './pod-names';
import { hashString } from './prng';

export type { WorkloadKind } from './cluster-spec';

/** What an address is to Cilium: a pod (or health) endpoint, a node, the API server, or the internet. */
export type EntityKind = 'pod' | 'health' | 'host' | 'apiserver' | 'world';

export interface Entity {
  readonly kind: EntityKind;
  readonly ip: string;
  /** Index of the node it lives on; -1 outside the cluster. */
  readonly node: number;
  /** How Hubble describes it, by observing node index: local pods carry their endpoint ID, remote ones do not. */
  readonly ep: readonly Endpoint[];
}

export interface TopoPod extends Entity {
  readonly name: string;
  readonly namespace: string;
  readonly workload: TopoWorkload;
  /** Cilium endpoint ID (0 for hostNetwork pods, which are not endpoints). */
  readonly endpointId: number;
  readonly cgroupId: string;
}

export interface TopoWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly kind: WorkloadKind;
  /** Security identity shared by all pods of the workload (1 = host for hostNetwork workloads). */
  readonly identity: number;
  /** Cilium labels, sorted: `k8s:app=api`, `k8s:io.kubernetes.pod.namespace=shop`, ... */
  readonly labels: readonly string[];
  readonly spec: WorkloadSpec;
  readonly pods: readonly TopoPod[];
}

export interface TopoNode {
  readonly index: number;
  /** Short name, e.g. `worker-1`. */
  readonly name: string;
  /** `cluster/node`, as Hubble Relay names nodes. */
  readonly fullName: string;
  readonly ip: string;
  readonly podCidr: string;
  readonly labels: readonly string[];
  readonly host: Entity;
  readonly health: Entity;
}

export interface TopoService {
  readonly namespace: string;
  readonly name: string;
  readonly clusterIp: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly backends: readonly Entity[];
  /** The shared `{name, namespace}` object flows carry as destination_service / source_service. */
  readonly ref: Service;
  /** `name.namespace.svc.cluster.local.` */
  readonly dnsName: string;
}

export interface Topology {
  readonly clusterName: string;
  readonly nodes: readonly TopoNode[];
  /** Every namespace with endpoints, sorted. */
  readonly namespaces: readonly string[];
  readonly appNamespaces: readonly string[];
  readonly workloads: readonly TopoWorkload[];
  readonly services: readonly TopoService[];
  /** The kube-apiserver (host network on the control-plane node). */
  readonly apiserver: Entity;
  workload(namespace: string, name: string): TopoWorkload;
  service(namespace: string, name: string): TopoService;
  /** A CiliumNetworkPolicy by namespace and name; namespace '' for the cluster-wide DNS policy. */
  policy(namespace: string, name: string): Policy;
  /** An internet address (identity 2, `reserved:world`). */
  world(ip: string): Entity;
}

export { POLICY_REVISION } from './demo-policies';

const WORLD_EP: Endpoint = { identity: 2, labels: ['reserved:world'] };
const HOST_EP: Endpoint = { identity: 1, labels: ['reserved:host'] };
const REMOTE_NODE_EP: Endpoint = { identity: 6, labels: ['reserved:remote-node'] };
const APISERVER_LOCAL_EP: Endpoint = { identity: 1, labels: ['reserved:host', 'reserved:kube-apiserver'] };
const APISERVER_REMOTE_EP: Endpoint = { identity: 7, labels: ['reserved:kube-apiserver', 'reserved:remote-node'] };

/** Picks a free small number near a hash: pod IP last octets, endpoint IDs, identities. */
function allocate(used: Set<number>, hash: number, min: number, span: number): number {
  let n = min + (hash % span);
  while (used.has(n)) n = n + 1 >= min + span ? min : n + 1;
  used.add(n);
  return n;
}


function buildNodes(clusterName: string, specs: readonly NodeSpec[], usedIps: Set<number>[], usedIds: Set<number>[]): TopoNode[] {
  return specs.map((spec, index) => {
    const labels = [
      'beta.kubernetes.io/arch=amd64', 'beta.kubernetes.io/os=linux', 'kubernetes.io/arch=amd64',
      `kubernetes.io/hostname=${spec.name}`, 'kubernetes.io/os=linux',
      ...(spec.controlPlane ? ['node-role.kubernetes.io/control-plane='] : []),
      `topology.kubernetes.io/zone=${spec.zone}`,
    ].sort();
    const ep = specs.map((_, observer) =>
      spec.controlPlane ? (observer === index ? APISERVER_LOCAL_EP : APISERVER_REMOTE_EP) : observer === index ? HOST_EP : REMOTE_NODE_EP);
    const host: Entity = { kind: spec.controlPlane ? 'apiserver' : 'host', ip: spec.ip, node: index, ep };
    const h = hashString(`${clusterName}/${spec.name}/cilium-health`);
    const healthIp = `${spec.podCidrPrefix}${allocate(usedIps[index], h, 2, 252)}`;
    const healthLocal: Endpoint = { ID: allocate(usedIds[index], h, 1, 4000), identity: 4, labels: ['reserved:health'] };
    const healthRemote: Endpoint = { identity: 4, labels: ['reserved:health'] };
    const health: Entity = { kind: 'health', ip: healthIp, node: index, ep: specs.map((_, o) => (o === index ? healthLocal : healthRemote)) };
    return {
      index, name: spec.name, fullName: `${clusterName}/${spec.name}`, ip: spec.ip, podCidr: `${spec.podCidrPrefix}0/24`,
      labels, host, health,
    };
  });
}

function buildWorkload(clusterName: string, spec: WorkloadSpec, nodes: TopoNode[], ctx: BuildContext): TopoWorkload {
  const labels = [
    ...spec.labels.map((l) => `k8s:${l}`),
    `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${spec.namespace}`,
    `k8s:io.cilium.k8s.policy.cluster=${clusterName}`,
    `k8s:io.cilium.k8s.policy.serviceaccount=${spec.serviceAccount}`,
    `k8s:io.kubernetes.pod.namespace=${spec.namespace}`,
  ].sort();
  const identity = spec.hostNetwork ? 1 : meshIdentity(ctx.placement, allocate(ctx.usedIdentities, hashString(labels.join(',')), 256, 65536 - 256));
  const workers = nodes.filter((n) => !ctx.placement.nodes[n.index].controlPlane);
  const placement = spec.kind === 'DaemonSet'
    ? nodes
    : Array.from({ length: spec.replicas }, (_, i) => workers[(hashString(spec.name) + i) % workers.length]);
  const names = podNames(spec, placement.length);
  const workloadRef: readonly Workload[] = [{ name: spec.name, kind: spec.kind }];
  const pods: TopoPod[] = [];
  const workload: TopoWorkload = { namespace: spec.namespace, name: spec.name, kind: spec.kind, identity, labels, spec, pods };
  placement.forEach((node, i) => {
    const name = names[i];
    const h = hashString(`${clusterName}/${spec.namespace}/${name}`);
    const cgroupId = String(4000 + (h % 90000));
    if (spec.hostNetwork) {
      pods.push({ ...node.host, name, namespace: spec.namespace, workload, endpointId: 0, cgroupId });
      return;
    }
    const ip = `${ctx.placement.nodes[node.index].podCidrPrefix}${allocate(ctx.usedIps[node.index], h, 2, 252)}`;
    const endpointId = allocate(ctx.usedIds[node.index], h >>> 4, 1, 4000);
    const remote: Endpoint = {
      identity, cluster_name: clusterName, namespace: spec.namespace, labels, pod_name: name, workloads: workloadRef as Workload[],
    };
    const local: Endpoint = { ID: endpointId, ...remote };
    const ep = nodes.map((n) => (n.index === node.index ? local : remote));
    pods.push({ kind: 'pod', ip, node: node.index, ep, name, namespace: spec.namespace, workload, endpointId, cgroupId });
  });
  return workload;
}

interface BuildContext {
  placement: ClusterPlacement;
  usedIps: Set<number>[];
  usedIds: Set<number>[];
  usedIdentities: Set<number>;
}

function buildServices(workloads: TopoWorkload[], apiserver: Entity): TopoService[] {
  // ClusterIPs 10.96.x.y as one number: x * 254 + (y - 1); 10.96.0.1 and 10.96.0.10 are taken.
  const usedIps = new Set<number>([0, 9]);
  return SERVICE_SPECS.map((spec) => {
    const n = spec.clusterIp ? -1 : allocate(usedIps, hashString(`${spec.namespace}/${spec.name}`), 0, 254 * 255);
    const clusterIp = spec.clusterIp ?? `10.96.${Math.floor(n / 254)}.${(n % 254) + 1}`;
    const backends: readonly Entity[] = spec.name === 'kubernetes'
      ? [apiserver]
      : (workloads.find((w) => w.namespace === spec.namespace && w.name === spec.workload)?.pods ?? []);
    return {
      namespace: spec.namespace, name: spec.name, clusterIp, port: spec.port, targetPort: spec.targetPort, protocol: spec.protocol,
      backends, ref: { name: spec.name, namespace: spec.namespace }, dnsName: `${spec.name}.${spec.namespace}.svc.cluster.local.`,
    };
  });
}

const cache = new Map<string, Topology>();

/**
 * The demo cluster's topology; built once per cluster name and placement, and shared (it is
 * immutable). `placement` gives a cluster of a mesh its own cluster ID, node IPs and pod CIDRs.
 */
export function buildTopology(clusterName = 'demo', placement: ClusterPlacement = SINGLE_CLUSTER): Topology {
  const key = `${clusterName}#${placement.clusterId}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const specs = placement.nodes;
  const ctx: BuildContext = { placement, usedIps: specs.map(() => new Set<number>()), usedIds: specs.map(() => new Set<number>()), usedIdentities: new Set() };
  const nodes = buildNodes(clusterName, specs, ctx.usedIps, ctx.usedIds);
  const workloads = WORKLOAD_SPECS.map((spec) => buildWorkload(clusterName, spec, nodes, ctx));
  const apiserver = nodes.find((n) => n.host.kind === 'apiserver')?.host ?? nodes[0].host;
  const services = buildServices(workloads, apiserver);
  const policies = buildPolicies(clusterName);
  const worlds = new Map<string, Entity>();
  const find = <T extends { namespace: string; name: string }>(list: readonly T[], what: string, ns: string, name: string): T => {
    const found = list.find((x) => x.namespace === ns && x.name === name);
    if (!found) throw new Error(`demo topology: no ${what} ${ns}/${name}`);
    return found;
  };
  const topology: Topology = {
    clusterName, nodes, workloads, services, apiserver,
    namespaces: [...new Set(workloads.map((w) => w.namespace))].sort(),
    appNamespaces: APP_NAMESPACES,
    workload: (ns, name) => find(workloads, 'workload', ns, name),
    service: (ns, name) => find(services, 'service', ns, name),
    policy: (ns, name) => {
      const p = policies.get(`${ns}/${name}`);
      if (!p) throw new Error(`demo topology: no policy ${ns}/${name}`);
      return p;
    },
    world: (ip) => {
      let e = worlds.get(ip);
      if (!e) worlds.set(ip, (e = { kind: 'world', ip, node: -1, ep: nodes.map(() => WORLD_EP) }));
      return e;
    },
  };
  cache.set(key, topology);
  return topology;
}
