/**
 * What a service-map node is, from the (namespace, entity) pair the edge rollups key an endpoint
 * by (entity: workload, else pod, else reserved identity name, else IP), and which noise toggles
 * hide it. server/store/service-map-noise.ts states the same rules in SQL; its tests hold the two
 * equal.
 *
 * The rules, exactly:
 * - `world`, `host`, `remote-node`, `kube-apiserver`: the reserved identity of that name outside
 *   any namespace (`world-ipv4` and `world-ipv6` are `world` too);
 * - `kube-dns`: in namespace `kube-system`, the workload `coredns` or `kube-dns`, or a pod whose name
 *   starts with `coredns-` or `kube-dns-` (a pod without workload information);
 * - `workload`: anything else inside a namespace;
 * - `other`: anything else outside namespaces (health, ingress, unmanaged, addresses, ...).
 *
 * Monitoring (a noise toggle, not a kind): a node inside a namespace that is one of
 * MONITORING_NAMESPACES, or whose name is one of MONITORING_NAMES or starts with one of them
 * followed by `-` (`prometheus-k8s`, `grafana-agent`, `alertmanager-main`), in any namespace.
 */
import type { ServiceMapNodeKind, ServiceMapNoise } from '../api/service-map';

/** Reserved identities outside namespaces that get a kind of their own. */
export const RESERVED_KINDS: ReadonlyMap<string, ServiceMapNodeKind> = new Map<string, ServiceMapNodeKind>([
  ['world', 'world'], ['world-ipv4', 'world'], ['world-ipv6', 'world'], ['host', 'host'], ['remote-node', 'remote-node'],
  ['kube-apiserver', 'kube-apiserver'],
]);

/** The namespace cluster DNS runs in. */
export const KUBE_DNS_NAMESPACE = 'kube-system';
/** Workload names of cluster DNS; as pod names they are prefixes followed by `-`. */
export const KUBE_DNS_NAMES: readonly string[] = ['coredns', 'kube-dns'];

/** Namespaces whose every node is monitoring. */
export const MONITORING_NAMESPACES: readonly string[] = ['monitoring', 'prometheus', 'grafana', 'observability'];
/** Names (and, followed by `-`, name prefixes) of monitoring workloads in any namespace. */
export const MONITORING_NAMES: readonly string[] = ['prometheus', 'grafana', 'alertmanager', 'node-exporter', 'kube-state-metrics'];

const namedOrPrefixed = (entity: string, names: readonly string[]) =>
  names.some((n) => entity === n || entity.startsWith(`${n}-`));

/** Whether a node is cluster DNS (see the module comment for the rule). */
export function isKubeDns(namespace: string, entity: string): boolean {
  return namespace === KUBE_DNS_NAMESPACE && namedOrPrefixed(entity, KUBE_DNS_NAMES);
}

/** Whether a node counts as monitoring (see the module comment for the rule). */
export function isMonitoring(namespace: string, entity: string): boolean {
  if (namespace === '') return false;
  return MONITORING_NAMESPACES.includes(namespace) || namedOrPrefixed(entity, MONITORING_NAMES);
}

/** The kind of the node an endpoint of the rollups stands for. */
export function serviceMapNodeKind(namespace: string, entity: string): ServiceMapNodeKind {
  if (namespace === '') return RESERVED_KINDS.get(entity) ?? 'other';
  return isKubeDns(namespace, entity) ? 'kube-dns' : 'workload';
}

/** Whether the toggle `noise` hides a node; an edge is hidden when either of its ends is. */
export function isNoise(noise: ServiceMapNoise, namespace: string, entity: string): boolean {
  switch (noise) {
    case 'host':
      return namespace === '' && entity === 'host';
    case 'remote-node':
      return namespace === '' && entity === 'remote-node';
    case 'kube-dns':
      return isKubeDns(namespace, entity);
    case 'monitoring':
      return isMonitoring(namespace, entity);
  }
}
