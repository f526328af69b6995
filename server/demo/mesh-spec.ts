/**
 * Where each cluster of a multi-cluster demo lives. Cluster Mesh requires every cluster to have
 * its own cluster ID (1-255, carried in bits 16-23 of its security identities) and pod CIDRs that
 * do not overlap, so cluster i gets ID i + 1, pod CIDRs 10.(244 + i).n.0/24 and node IPs
 * 172.(18 + i).0.x. The single default demo cluster keeps cluster ID 0 (no mesh) and exactly the
 * addresses of NODE_SPECS.
 */
import { NODE_SPECS, type NodeSpec } from './cluster-spec';

export interface ClusterPlacement {
  /** 0 outside a mesh; otherwise 1-255, the high byte of every allocated identity. */
  readonly clusterId: number;
  readonly nodes: readonly NodeSpec[];
}

export const SINGLE_CLUSTER: ClusterPlacement = { clusterId: 0, nodes: NODE_SPECS };

/** The placement of the `index`th cluster (0-based) of a mesh. */
export function meshPlacement(index: number): ClusterPlacement {
  if (!Number.isInteger(index) || index < 0 || index > 7) throw new RangeError(`demo mesh: cluster index ${index} is not 0-7`);
  return {
    clusterId: index + 1,
    nodes: NODE_SPECS.map((spec) => ({
      ...spec,
      ip: spec.ip.replace(/^172\.18\./, `172.${18 + index}.`),
      podCidrPrefix: spec.podCidrPrefix.replace(/^10\.244\./, `10.${244 + index}.`),
    })),
  };
}

/** The identity a workload gets in its cluster: the cluster ID in bits 16-23, as Cilium allocates them. */
export function meshIdentity(placement: ClusterPlacement, local: number): number {
  return placement.clusterId * 65536 + local;
}
