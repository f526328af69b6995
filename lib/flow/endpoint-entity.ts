/**
 * The name an endpoint goes by on the service map and in drop groups: its workload, else its pod,
 * else the reserved identity it belongs to (world, host, remote-node, ...), else its IP.
 */
import type { Endpoint } from './flow';

/** Reserved security identities and the names Cilium gives them. */
export const RESERVED_IDENTITIES: Readonly<Record<number, string>> = {
  1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver',
  8: 'ingress', 9: 'world-ipv4', 10: 'world-ipv6',
};

/** The workload, pod, reserved identity or address that names an endpoint; '' when nothing does. */
export function endpointEntity(e: Endpoint | undefined, ip: string | undefined): string {
  const workload = e?.workloads?.[0]?.name;
  if (workload) return workload;
  if (e?.pod_name) return e.pod_name;
  const reserved = e?.labels?.find((l) => l.startsWith('reserved:'));
  if (reserved) return reserved.slice('reserved:'.length);
  if (e?.identity !== undefined && RESERVED_IDENTITIES[e.identity]) return RESERVED_IDENTITIES[e.identity];
  return ip ?? '';
}
