/**
 * The parts of a suggested CiliumNetworkPolicy rule that name the peer (the other side of the
 * selected endpoint) and the port: fromEndpoints / toEndpoints, fromEntities / toEntities,
 * fromCIDR / toCIDR, toFQDNs, and toPorts or icmps.
 */
import type { EdgeEndpoint } from '../filter/edge-filter';
import { parseIPAddress } from '../filter/ip-address';
import { CLUSTER_LABEL, NAMESPACE_LABEL, workloadSelector } from './cilium-labels';
import type { PeerFacts } from './drop-group-facts';

/** A YAML-ready value (what `yaml`'s stringify is given). */
export type PolicyValue = string | number | boolean | PolicyValue[] | { [key: string]: PolicyValue };
export type PolicyObject = { [key: string]: PolicyValue };

/** A rule fragment with what a reviewer must know about it. */
export interface RulePart {
  fields: PolicyObject;
  warnings: string[];
  notes: string[];
}

/** Identities Cilium names as entities in policies (the rollups' reserved entity names). */
const ENTITIES = new Set(['host', 'remote-node', 'kube-apiserver', 'ingress', 'health', 'init', 'unmanaged', 'world', 'world-ipv4', 'world-ipv6']);
const WORLD = new Set(['world', 'world-ipv4', 'world-ipv6']);

/** The endpoint a policy selects: where it lives and how its pods are labelled. */
export interface PolicySubject {
  endpoint: EdgeEndpoint;
  facts: PeerFacts;
}

// A zone (`fe80::1%eth0`) has no place in a CIDR.
const hostCidr = (ip: string) => `${ip.split('%')[0]}/${parseIPAddress(ip)?.bytes.length === 16 ? 128 : 32}`;

function endpointsPart(dir: 'from' | 'to', peer: EdgeEndpoint, facts: PeerFacts, subject: PolicySubject): RulePart {
  const selector = workloadSelector(facts.labels);
  const matchLabels: Record<string, string> = { ...selector.matchLabels };
  const otherNamespace = peer.namespace !== subject.endpoint.namespace;
  if (otherNamespace) matchLabels[NAMESPACE_LABEL] = peer.namespace;
  if (peer.cluster && subject.endpoint.cluster && peer.cluster !== subject.endpoint.cluster) matchLabels[CLUSTER_LABEL] = peer.cluster;
  const warnings: string[] = [];
  const where = `namespace ${peer.namespace}`;
  if (Object.keys(selector.matchLabels).length === 0) {
    warnings.push(`The ${dir === 'from' ? 'source' : 'destination'} pods carry no labels of their own, so this rule allows every pod in ${where}.`);
  } else if (!selector.identifying) {
    warnings.push(`The ${dir === 'from' ? 'source' : 'destination'} has no app label (app, app.kubernetes.io/name, k8s-app, ...): the rule selects pods in ${where} by ${Object.keys(selector.matchLabels).join(', ')}, which other workloads may share.`);
  }
  return { fields: { [`${dir}Endpoints`]: [{ matchLabels }] }, warnings, notes: [] };
}

function cidrPart(dir: 'from' | 'to', facts: PeerFacts, network: string): RulePart | undefined {
  if (facts.ips.length > 0 && !facts.moreIps) {
    const notes = network ? [`The group covers the network ${network}; the rule allows only the addresses seen in its sample flows.`] : [];
    return { fields: { [`${dir}CIDR`]: facts.ips.map(hostCidr) }, warnings: [], notes };
  }
  if (network) {
    return {
      fields: { [`${dir}CIDR`]: [network] },
      warnings: [`More than ${facts.ips.length} addresses were seen, so the rule allows the whole network ${network}.`],
      notes: [],
    };
  }
  return undefined;
}

const worldPart = (dir: 'from' | 'to'): RulePart => ({
  fields: { [`${dir}Entities`]: ['world'] },
  warnings: [`The only selector available is the world entity: this rule allows ${dir === 'from' ? 'every address outside the cluster to connect' : 'connections to every address outside the cluster'}. Narrow it to ${dir}CIDR or ${dir === 'to' ? 'toFQDNs' : 'fromCIDR'} before applying it.`],
  notes: [],
});

/** The kube-dns rule toFQDNs needs: without DNS visibility Cilium never learns the name's addresses. */
export function dnsVisibilityRule(name: string): PolicyObject {
  return {
    toEndpoints: [{ matchLabels: { [NAMESPACE_LABEL]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
    toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchName: name }] } }],
  };
}

/**
 * The peer part of the rule: the peer's workload labels when it is a pod, the FQDN or addresses of a
 * world destination, the entity of another reserved identity, or its address.
 */
export function peerPart(dir: 'from' | 'to', peer: EdgeEndpoint, facts: PeerFacts, subject: PolicySubject, destinationName: string): RulePart {
  if (peer.namespace) return endpointsPart(dir, peer, facts, subject);
  if (WORLD.has(peer.entity)) {
    if (dir === 'to' && destinationName && !destinationName.includes('/')) {
      return {
        fields: { toFQDNs: [{ matchName: destinationName }] },
        warnings: [],
        notes: [`toFQDNs only works when Cilium sees the pod's DNS lookups: the second egress rule sends lookups of ${destinationName} through its DNS proxy (adjust its kube-dns selector if your DNS pods are labelled differently).`],
      };
    }
    return cidrPart(dir, facts, dir === 'to' ? destinationName : '') ?? worldPart(dir);
  }
  if (ENTITIES.has(peer.entity)) return { fields: { [`${dir}Entities`]: [peer.entity] }, warnings: [], notes: [] };
  if (parseIPAddress(peer.entity)) return { fields: { [`${dir}CIDR`]: [hostCidr(peer.entity)] }, warnings: [], notes: [] };
  return cidrPart(dir, facts, '') ?? worldPart(dir);
}

/**
 * The L4 part: toPorts for TCP, UDP and SCTP, icmps for ICMP (the types seen), nothing (with a
 * warning) when the group has no L4 protocol a policy can name.
 */
export function portPart(protocol: string, port: number, icmpTypes: readonly number[]): RulePart {
  const upper = protocol.toUpperCase();
  if (upper === 'TCP' || upper === 'UDP' || upper === 'SCTP') {
    const warnings = port === 0 ? [`No destination port was recorded, so the rule allows every ${upper} port.`] : [];
    return { fields: { toPorts: [{ ports: [{ port: String(port), protocol: upper }] }] }, warnings, notes: [] };
  }
  if (upper === 'ICMPV4' || upper === 'ICMPV6') {
    const family = upper === 'ICMPV4' ? 'IPv4' : 'IPv6';
    if (icmpTypes.length === 0) return { fields: {}, warnings: [`No ICMP type was seen, so the rule allows every protocol and port.`], notes: [] };
    return { fields: { icmps: [{ fields: icmpTypes.map((type) => ({ type, family })) }] }, warnings: [], notes: [] };
  }
  const what = protocol ? `the protocol ${protocol}` : 'no L4 protocol';
  return { fields: {}, warnings: [`The group has ${what}, which a port rule cannot name: the rule allows every protocol and port.`], notes: [] };
}
