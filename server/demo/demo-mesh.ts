/**
 * The built-in demo as one or several clusters (HUBBLE_DEMO_CLUSTERS), each served as its own
 * Hubble Relay on its own loopback port and followed by the collector as a separate relay, as in
 * production. One cluster is exactly the demo it always was. Several form a Cluster Mesh: each
 * with its own cluster ID, node IPs, pod CIDRs and identities (mesh-spec.ts) and its own traffic,
 * plus calls from every other cluster's frontend to the first cluster's api (mesh-traffic.ts).
 * Incidents play in the first cluster only, so the others show what a healthy cluster looks like.
 */
import type { Flow } from '../../lib/flow/flow';
import { compareTimestamps, parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import { startDemoCluster, type DemoClusterOptions } from './demo-cluster';
import type { IncidentWindow } from './incidents';
import { meshPlacement } from './mesh-spec';
import { createMeshTraffic, type MeshTraffic } from './mesh-traffic';
import { createDemoTraffic, type DemoTraffic } from './traffic';
import type { TrafficSource } from './traffic-source';

export interface DemoMeshOptions {
  /** Cluster names, distinct; the first serves the global service the others call. */
  clusters: readonly string[];
  seed: number;
  /** Flows per second of each cluster's own traffic (cross-cluster flows come on top). */
  rateFlowsPerS: number;
  /** Incidents of the first cluster. */
  incidents?: IncidentWindow[];
  /** Whether the first cluster also runs the 20-minute incident timeline (default true). */
  defaultTimeline?: boolean;
}

export interface DemoRelay {
  cluster: string;
  /** `host:port` of its relay. */
  address: string;
  stop(): Promise<void>;
}

/** Relay knobs passed through to each cluster's startDemoCluster (tests shrink buffers and grace). */
export type DemoRelayKnobs = Pick<DemoClusterOptions, 'bufferCapacity' | 'backfillMs' | 'maxPendingPerFollower' | 'shutdownGraceMs'>;

/** Two time-sorted lists as one, by flow time. */
export function mergeByTime(a: Flow[], b: Flow[]): Flow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const time = (f: Flow): Timestamp => parseTimestamp(f.time ?? '') ?? { seconds: 0, nanos: 0 };
  const out: Flow[] = [];
  let i = 0;
  let j = 0;
  let ta = time(a[0]);
  let tb = time(b[0]);
  while (i < a.length && j < b.length) {
    if (compareTimestamps(tb, ta) < 0) {
      out.push(b[j++]);
      if (j < b.length) tb = time(b[j]);
    } else {
      out.push(a[i++]);
      if (i < a.length) ta = time(a[i]);
    }
  }
  for (; i < a.length; i++) out.push(a[i]);
  for (; j < b.length; j++) out.push(b[j]);
  return out;
}

function withMesh(own: DemoTraffic, mesh: MeshTraffic): TrafficSource {
  return {
    clusterName: own.clusterName, nodes: own.nodes, namespaces: own.namespaces,
    flowsBetween: (fromMs, toMs) => mergeByTime(own.flowsBetween(fromMs, toMs), mesh.flowsBetween(own.clusterName, fromMs, toMs)),
  };
}

/** Each cluster's traffic, deterministic for the options; pure (nothing is started). */
export function createMeshSources(opts: DemoMeshOptions): TrafficSource[] {
  const own = opts.clusters.map((clusterName, i) => createDemoTraffic({
    // The first cluster keeps the seed, so its own traffic is the single demo's with other addresses.
    seed: opts.seed + i, rateFlowsPerS: opts.rateFlowsPerS, clusterName, placement: meshPlacement(i),
    incidents: i === 0 ? opts.incidents : undefined, defaultTimeline: i === 0 ? (opts.defaultTimeline ?? true) : false,
  }));
  const mesh = createMeshTraffic({ seed: opts.seed, rateFlowsPerS: opts.rateFlowsPerS, clusters: own.map((t) => t.topology), serverIncidents: own[0].incidents });
  return own.map((t) => withMesh(t, mesh));
}

/** Starts one relay per cluster on loopback; with one cluster, the single demo cluster under that name. */
export async function startDemoRelays(opts: DemoMeshOptions, knobs: DemoRelayKnobs = {}): Promise<DemoRelay[]> {
  const base = { listen: '127.0.0.1:0', seed: opts.seed, rateFlowsPerS: opts.rateFlowsPerS, incidents: opts.incidents, defaultTimeline: opts.defaultTimeline, ...knobs };
  if (opts.clusters.length === 1) {
    const [cluster] = opts.clusters;
    // The default `demo` is started exactly as before; another name only renames its cluster.
    const source = cluster === 'demo' ? undefined : createDemoTraffic({ ...base, clusterName: cluster, defaultTimeline: opts.defaultTimeline ?? true });
    const demo = await startDemoCluster({ ...base, source });
    return [{ cluster, address: demo.address, stop: demo.stop }];
  }
  const relays: DemoRelay[] = [];
  try {
    const sources = createMeshSources(opts);
    for (const [i, source] of sources.entries()) {
      const demo = await startDemoCluster({ ...base, source });
      relays.push({ cluster: opts.clusters[i], address: demo.address, stop: demo.stop });
    }
    return relays;
  } catch (err) {
    await Promise.allSettled(relays.map((r) => r.stop()));
    throw err;
  }
}
