/**
 * What the simulated cluster's Observer serves from: a deterministic source of flows over time.
 * Time is cut into whole seconds; the flows of second k depend only on the seed and k, so the same
 * seed gives the same flows however the caller slices time, and any past window can be rebuilt.
 */
import type { Flow } from '../../lib/flow/flow';

export interface DemoNode {
  /** `cluster/node`, as Hubble Relay names nodes. */
  name: string;
  address: string;
}

export interface TrafficSource {
  readonly clusterName: string;
  readonly nodes: readonly DemoNode[];
  /** Every namespace that has endpoints, sorted. */
  readonly namespaces: readonly string[];
  /**
   * Flows with times in [fromMs, toMs), sorted by time, each with `node_name` set to the node that
   * observed it (one of `nodes`). Deterministic for the same seed, rate and window.
   */
  flowsBetween(fromMs: number, toMs: number): Flow[];
}
