/**
 * What a drop group's sample flows tell beyond its key: which side's policy denied it, the denying
 * policies with their kinds, both sides' labels and addresses, and the ICMP types seen. The
 * suggested policy is built from these facts.
 */
import { enumNumber, TrafficDirection } from '../flow/enums';
import type { Flow, FlowsResponse, Policy } from '../flow/flow';
import { commonLabels } from './cilium-labels';

/** Which side's policy dropped the traffic. */
export type DropDirection = 'ingress' | 'egress' | 'unknown';

/** A policy that denied the group's flows, as the flows name it. */
export interface DenyingPolicy {
  name: string;
  /** '' for cluster-wide policies. */
  namespace: string;
  /** `CiliumNetworkPolicy`, `CiliumClusterwideNetworkPolicy`, `NetworkPolicy`, ...; '' when the agent did not say. */
  kind: string;
  direction: 'ingress' | 'egress';
  /** Sample flows that name it. */
  flows: number;
}

/** One side of the group as its sample flows show it. */
export interface PeerFacts {
  /** Labels every sample flow carries for this side. */
  labels: string[];
  /** Distinct addresses, most frequent first (at most MAX_ADDRESSES). */
  ips: string[];
  /** True when more distinct addresses were seen than `ips` holds. */
  moreIps: boolean;
}

export interface DropGroupFacts {
  samples: number;
  direction: DropDirection;
  policies: DenyingPolicy[];
  source: PeerFacts;
  destination: PeerFacts;
  /** ICMP types seen, ascending (ICMP groups only). */
  icmpTypes: number[];
}

/** Addresses kept per side: enough for a precise CIDR rule, few enough to read. */
export const MAX_ADDRESSES = 8;

const INGRESS = TrafficDirection.byName.get('INGRESS');
const EGRESS = TrafficDirection.byName.get('EGRESS');

/** The flow's request sides: a reply travels server → client, the group is keyed client → server. */
function sides(flow: Flow): { client: 'source' | 'destination'; server: 'source' | 'destination' } {
  return flow.is_reply === true || (flow.is_reply === undefined && flow.reply === true)
    ? { client: 'destination', server: 'source' }
    : { client: 'source', server: 'destination' };
}

function addressOf(flow: Flow, side: 'source' | 'destination'): string | undefined {
  return side === 'source' ? flow.IP?.source : flow.IP?.destination;
}

function peerFacts(flows: readonly Flow[], side: 'client' | 'server'): PeerFacts {
  const counts = new Map<string, number>();
  const labelLists: string[][] = [];
  for (const flow of flows) {
    const at = sides(flow)[side];
    labelLists.push(flow[at]?.labels ?? []);
    const ip = addressOf(flow, at);
    if (ip) counts.set(ip, (counts.get(ip) ?? 0) + 1);
  }
  const ordered = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ip]) => ip);
  return { labels: commonLabels(labelLists), ips: ordered.slice(0, MAX_ADDRESSES), moreIps: ordered.length > MAX_ADDRESSES };
}

function collectPolicies(flows: readonly Flow[]): DenyingPolicy[] {
  const byId = new Map<string, DenyingPolicy>();
  const add = (p: Policy, direction: 'ingress' | 'egress') => {
    const name = p.name ?? '';
    const namespace = p.namespace ?? '';
    const id = `${direction}\u0000${namespace}\u0000${name}`;
    const seen = byId.get(id);
    if (seen) {
      seen.flows++;
      if (!seen.kind && p.kind) seen.kind = p.kind;
    } else {
      byId.set(id, { name, namespace, kind: p.kind ?? '', direction, flows: 1 });
    }
  };
  for (const flow of flows) {
    for (const p of flow.ingress_denied_by ?? []) add(p, 'ingress');
    for (const p of flow.egress_denied_by ?? []) add(p, 'egress');
  }
  return [...byId.values()].sort((a, b) => b.flows - a.flows);
}

/** The denied_by lists decide; else the flows' traffic direction, when they agree. */
function directionOf(flows: readonly Flow[], policies: readonly DenyingPolicy[]): DropDirection {
  const ingress = policies.some((p) => p.direction === 'ingress');
  const egress = policies.some((p) => p.direction === 'egress');
  if (ingress !== egress) return ingress ? 'ingress' : 'egress';
  const seen = new Set(flows.map((f) => enumNumber(TrafficDirection, f.traffic_direction ?? 0)));
  if (seen.size === 1 && seen.has(INGRESS)) return 'ingress';
  if (seen.size === 1 && seen.has(EGRESS)) return 'egress';
  return 'unknown';
}

/** The facts of a group's sample flows (node-status and lost-events responses are skipped). */
export function dropGroupFacts(samples: readonly FlowsResponse[]): DropGroupFacts {
  const flows = samples.map((s) => s.flow).filter((f): f is Flow => f !== undefined);
  const policies = collectPolicies(flows);
  const icmp = new Set<number>();
  for (const f of flows) {
    // proto3 leaves type 0 (echo reply) out of the JSON.
    const message = f.l4?.ICMPv4 ?? f.l4?.ICMPv6;
    if (message) icmp.add(message.type ?? 0);
  }
  return {
    samples: flows.length,
    direction: directionOf(flows, policies),
    policies,
    source: peerFacts(flows, 'client'),
    destination: peerFacts(flows, 'server'),
    icmpTypes: [...icmp].sort((a, b) => a - b),
  };
}
