/**
 * Which relays to follow, and which cluster each one's flows are from: HUBBLE_RELAY_ADDR as a
 * comma-separated list of `[cluster=]address`. One plain address is exactly the single relay it
 * always was. Read by server/config.ts (the only reader of the environment); the addresses are
 * checked in full by the relay client, before anything starts.
 */
import { ConfigError } from '../config';

export interface RelayTarget {
  /** The cluster its flows are from: named in HUBBLE_RELAY_ADDR, or else HUBBLE_CLUSTER_NAME. */
  cluster: string;
  /** As written: `host:port`, `tls://host:port`, or a host (port 4245). */
  address: string;
  /** Whether HUBBLE_RELAY_ADDR named the cluster (`east=host:port`). */
  named: boolean;
}

/** Cilium's rule for cluster names: lower-case letters, digits and '-', at most 32, alphanumeric at both ends. */
const CLUSTER_NAME = /^[a-z0-9](?:[-a-z0-9]{0,30}[a-z0-9])?$/;

/** Cilium's own cluster name when none is configured. */
export const DEFAULT_CLUSTER_NAME = 'default';

/** Demo clusters get non-overlapping pod CIDRs (10.244.x.0/24 up to 10.251.x.0/24) and cluster IDs 1-8. */
export const MAX_DEMO_CLUSTERS = 8;

export function checkClusterName(name: string, value: string, cluster: string): string {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new ConfigError(`${name}=${value}: ${JSON.stringify(cluster)} is not a cluster name (lower-case letters, digits and '-', at most 32, as Cilium's cluster-name)`);
  }
  return cluster;
}

/** HUBBLE_CLUSTER_NAME: the cluster of a relay HUBBLE_RELAY_ADDR does not name. */
export function parseClusterName(name: string, text: string | undefined): string {
  return text === undefined ? DEFAULT_CLUSTER_NAME : checkClusterName(name, text, text);
}

/** `host:port` in lower case, for telling two spellings of one address apart from two addresses. */
function addressKey(address: string): string {
  const bare = address.trim().replace(/^tls:\/\//i, '').replace(/\/$/, '').toLowerCase();
  const hasPort = bare.startsWith('[') ? /\]:\d+$/.test(bare) : /:\d+$/.test(bare);
  return hasPort ? bare : `${bare}:4245`;
}

function splitList(name: string, text: string): string[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new ConfigError(`${name}=${text}: an empty entry in the comma-separated list`);
  return parts;
}

/**
 * `east=tls://relay.east:443,west=tls://relay.west:443`, or one plain address. A relay without a
 * name is in `defaultCluster`; two relays in one cluster or two entries for one address are errors.
 */
export function parseRelayTargets(name: string, text: string | undefined, defaultCluster: string): RelayTarget[] {
  if (text === undefined) return [];
  const targets = splitList(name, text).map((part): RelayTarget => {
    const eq = part.indexOf('=');
    if (eq < 0) return { cluster: defaultCluster, address: part, named: false };
    const address = part.slice(eq + 1).trim();
    if (!address) throw new ConfigError(`${name}=${text}: no address after ${part}; expected cluster=host:port`);
    return { cluster: checkClusterName(name, text, part.slice(0, eq).trim()), address, named: true };
  });
  const clusters = new Set<string>();
  const addresses = new Set<string>();
  for (const t of targets) {
    if (clusters.has(t.cluster)) {
      throw new ConfigError(`${name}=${text}: two relays for cluster ${t.cluster}; name each relay's cluster, as east=host:port,west=host:port (a relay without a name is in HUBBLE_CLUSTER_NAME's cluster)`);
    }
    const key = addressKey(t.address);
    if (addresses.has(key)) throw new ConfigError(`${name}=${text}: ${key} is listed twice`);
    clusters.add(t.cluster);
    addresses.add(key);
  }
  return targets;
}

/** HUBBLE_DEMO_CLUSTERS: distinct cluster names, at most MAX_DEMO_CLUSTERS. */
export function parseDemoClusters(name: string, text: string | undefined): string[] {
  if (text === undefined) return ['demo'];
  const names = splitList(name, text).map((c) => checkClusterName(name, text, c));
  const repeated = names.find((c, i) => names.indexOf(c) !== i);
  if (repeated) throw new ConfigError(`${name}=${text}: cluster ${repeated} is listed twice`);
  if (names.length > MAX_DEMO_CLUSTERS) throw new ConfigError(`${name}=${text}: at most ${MAX_DEMO_CLUSTERS} demo clusters`);
  return names;
}

/**
 * A relay's name in collector_state, gaps, relay status samples and node events: its cluster
 * wherever clusters are named (several relays, `name=address`, the demo clusters), and for a single
 * unnamed relay its address as before, so an upgraded dashboard resumes where it stopped.
 */
export function relayKey(target: Pick<RelayTarget, 'cluster' | 'named'>, relayCount: number, address: string): string {
  return target.named || relayCount > 1 ? target.cluster : address;
}
