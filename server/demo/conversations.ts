/**
 * Per-protocol conversations: the sequence of events Hubble emits for a TCP connection (SYN,
 * SYN-ACK, ACK, PSH, FIN), a UDP exchange, an ICMP echo, an HTTP or Kafka exchange through the
 * ingress proxy, a DNS lookup through the DNS proxy, and connections that get dropped.
 *
 * Each packet is observed where Cilium's datapath would see it: leaving its source endpoint
 * (from-endpoint, then to-overlay across nodes or to-stack off the cluster network) and arriving
 * at its destination endpoint (to-proxy when redirected, to-endpoint), each on its own node.
 */
import type { DNS, Layer4, Policy, TCPFlags } from '../../lib/flow/flow';
import type { Prng } from './prng';
import {
  FROM_ENDPOINT, FROM_HOST, POLICY_DENIED, TO_ENDPOINT, TO_HOST, TO_OVERLAY, TO_PROXY, TO_STACK, drop, l7, policyVerdict, trace,
  type Conv, type DropSpec, type SecondSink, type TraceReasonName,
} from './observations';

const SYN: TCPFlags = { SYN: true };
const SYN_ACK: TCPFlags = { SYN: true, ACK: true };
const ACK: TCPFlags = { ACK: true };
const PSH_ACK: TCPFlags = { PSH: true, ACK: true };
const FIN_ACK: TCPFlags = { FIN: true, ACK: true };
const ECHO_REQUEST: Layer4 = { ICMPv4: { type: 8 } };
const ECHO_REPLY: Layer4 = { ICMPv4: {} };
const RCODE_TEXT = ['No Error', 'Format Error', 'Server Failure', 'Non-Existent Domain', 'Not Implemented', 'Query Refused'];
/** TTL the DNS proxy reports when a response carries no answer records. */
const NO_ANSWER_TTL = 4294967295;
const QTYPES: Record<string, string[]> = { A: ['A'], AAAA: ['AAAA'] };
const RRTYPES_A = [[], ['A'], ['A', 'A'], ['A', 'A', 'A']];

function isEndpoint(kind: string): boolean {
  return kind === 'pod' || kind === 'health';
}

function tcp(c: Conv, reply: boolean, flags: TCPFlags): Layer4 {
  return reply
    ? { TCP: { source_port: c.dport, destination_port: c.sport, flags } }
    : { TCP: { source_port: c.sport, destination_port: c.dport, flags } };
}

/** Delay between two events of one packet on the same node, ns. */
function local(rng: Prng): number {
  return 2_000 + rng.int(0, 28_000);
}

/** Transit time between the packet's source and destination, ns. */
function hop(rng: Prng, c: Conv): number {
  const cross = c.a.node !== c.b.node;
  return cross ? 90_000 + rng.int(0, 310_000) : 8_000 + rng.int(0, 50_000);
}

/** Every trace (and, for a connection's first packet, policy verdict) one packet produces. */
export function deliver(s: SecondSink, rng: Prng, c: Conv, reply: boolean, l4: Layer4, summary: string, reason: TraceReasonName, first = false): void {
  const src = reply ? c.b : c.a;
  const dst = reply ? c.a : c.b;
  const srcIsEndpoint = isEndpoint(src.kind);
  const dstIsEndpoint = isEndpoint(dst.kind);
  if (srcIsEndpoint) {
    if (first && c.egressVerdict) {
      policyVerdict(s, c, false, c.egressVerdict, l4, summary, c.egressAllowedBy);
      s.t += local(rng);
    }
    trace(s, c, reply, FROM_ENDPOINT, true, l4, summary, reason);
    s.t += local(rng);
    if (dst.node >= 0 && dst.node !== src.node) trace(s, c, reply, TO_OVERLAY, true, l4, summary, reason);
    else if (!dstIsEndpoint) trace(s, c, reply, TO_STACK, true, l4, summary, reason);
  } else if ((src.kind === 'host' || src.kind === 'apiserver') && !dstIsEndpoint) {
    trace(s, c, reply, FROM_HOST, true, l4, summary, reason);
  }
  s.t += hop(rng, c);
  if (dstIsEndpoint) {
    if (first && c.ingressVerdict) {
      policyVerdict(s, c, true, c.ingressVerdict, l4, summary, c.ingressAllowedBy);
      s.t += local(rng);
    }
    if (!reply && c.ingressProxy) {
      trace(s, c, reply, TO_PROXY, false, l4, summary, reason);
      s.t += 20_000 + rng.int(0, 80_000);
    }
    trace(s, c, reply, TO_ENDPOINT, false, l4, summary, reason);
  } else if ((dst.kind === 'host' || dst.kind === 'apiserver') && !srcIsEndpoint && src.kind !== 'world') {
    trace(s, c, reply, TO_HOST, false, l4, summary, reason);
  }
  s.t += local(rng);
}

/** The three-way handshake. */
export function tcpOpen(s: SecondSink, rng: Prng, c: Conv): void {
  deliver(s, rng, c, false, tcp(c, false, SYN), 'TCP Flags: SYN', 'NEW', true);
  deliver(s, rng, c, true, tcp(c, true, SYN_ACK), 'TCP Flags: SYN, ACK', 'REPLY');
  deliver(s, rng, c, false, tcp(c, false, ACK), 'TCP Flags: ACK', 'ESTABLISHED');
}

/** One request and its response on an established connection, at L3/L4. */
export function tcpExchange(s: SecondSink, rng: Prng, c: Conv, serverNs: number): void {
  deliver(s, rng, c, false, tcp(c, false, PSH_ACK), 'TCP Flags: ACK, PSH', 'ESTABLISHED');
  s.t += serverNs;
  deliver(s, rng, c, true, tcp(c, true, PSH_ACK), 'TCP Flags: ACK, PSH', 'REPLY');
}

/** Client-initiated close: FIN from each side. */
export function tcpClose(s: SecondSink, rng: Prng, c: Conv): void {
  deliver(s, rng, c, false, tcp(c, false, FIN_ACK), 'TCP Flags: ACK, FIN', 'ESTABLISHED');
  deliver(s, rng, c, true, tcp(c, true, FIN_ACK), 'TCP Flags: ACK, FIN', 'REPLY');
}

/** A UDP request and (optionally) its answer, at L3/L4. */
export function udpExchange(s: SecondSink, rng: Prng, c: Conv, answered: boolean, serverNs: number): void {
  deliver(s, rng, c, false, c.l4Fwd, 'UDP', 'NEW', true);
  if (!answered) return;
  s.t += serverNs;
  deliver(s, rng, c, true, c.l4Rev, 'UDP', 'REPLY');
}

export function icmpEcho(s: SecondSink, rng: Prng, c: Conv): void {
  deliver(s, rng, c, false, ECHO_REQUEST, 'ICMPv4 EchoRequest', 'NEW', true);
  deliver(s, rng, c, true, ECHO_REPLY, 'ICMPv4 EchoReply', 'REPLY');
}

/** An HTTP request and response as the ingress proxy on `b`'s node logs them. */
export function httpExchange(s: SecondSink, c: Conv, method: string, url: string, code: number, latencyNs: number): void {
  l7(s, c, false, true, { type: 'REQUEST', http: { method, url, protocol: 'HTTP/1.1' } }, `HTTP/1.1 ${method} ${url}`);
  s.t += latencyNs;
  l7(s, c, true, true, { type: 'RESPONSE', latency_ns: String(latencyNs), http: { code, method, url, protocol: 'HTTP/1.1' } },
    `HTTP/1.1 ${code} ${Math.floor(latencyNs / 1e6)}ms (${method} ${url})`);
}

/** A Kafka request and response as the ingress proxy on the broker's node logs them. */
export function kafkaExchange(s: SecondSink, c: Conv, apiKey: string, apiVersion: number, correlationId: number, topic: string, brokerNs: number): void {
  l7(s, c, false, true, { type: 'REQUEST', kafka: { api_version: apiVersion, api_key: apiKey, correlation_id: correlationId, topic } },
    `Kafka request ${apiKey} correlation id ${correlationId} topic '${topic}'`);
  s.t += brokerNs;
  l7(s, c, true, true, { type: 'RESPONSE', kafka: { api_version: apiVersion, api_key: apiKey, correlation_id: correlationId, topic } },
    `Kafka response ${apiKey} correlation id ${correlationId} topic '${topic}' return code 0`);
}

export interface DnsQuestion {
  /** Fully qualified, with the trailing dot. */
  query: string;
  qtype: 'A' | 'AAAA';
  /** 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN. */
  rcode: number;
  ips: string[];
  ttl: number;
}

function dnsResponse(q: DnsQuestion): DNS {
  const qtypes = QTYPES[q.qtype];
  if (q.rcode !== 0) return { query: q.query, ttl: NO_ANSWER_TTL, observation_source: 'proxy', rcode: q.rcode, qtypes };
  if (!q.ips.length) return { query: q.query, ttl: NO_ANSWER_TTL, observation_source: 'proxy', qtypes };
  const rrtypes = q.qtype === 'A' ? RRTYPES_A[Math.min(3, q.ips.length)] : QTYPES.AAAA;
  return { query: q.query, ips: q.ips, ttl: q.ttl, observation_source: 'proxy', qtypes, rrtypes };
}

function dnsAnswer(q: DnsQuestion, ttl: number): string {
  const answer = q.rcode !== 0 ? `RCode: ${RCODE_TEXT[q.rcode] ?? q.rcode}` : q.ips.length ? `"${q.ips.join(',')}"` : '';
  return `DNS Answer ${answer} TTL: ${ttl} (Proxy ${q.query} ${q.qtype})`;
}

/**
 * One query through the DNS proxy on `a`'s node (`c.egressProxy`): redirected to the proxy,
 * logged, forwarded to CoreDNS (`b`), answered, logged, and delivered back to `a`.
 */
export function dnsQuery(s: SecondSink, rng: Prng, c: Conv, q: DnsQuestion, first: boolean): void {
  const reason: TraceReasonName = first ? 'NEW' : 'ESTABLISHED';
  if (first && c.egressVerdict) {
    policyVerdict(s, c, false, c.egressVerdict, c.l4Fwd, 'UDP', c.egressAllowedBy);
    s.t += local(rng);
  }
  trace(s, c, false, TO_PROXY, true, c.l4Fwd, 'UDP', reason);
  s.t += 15_000 + rng.int(0, 40_000);
  l7(s, c, false, false, { type: 'REQUEST', dns: { query: q.query, observation_source: 'proxy', qtypes: QTYPES[q.qtype] } }, `DNS Query ${q.query} ${q.qtype}`);
  s.t += local(rng);
  if (c.a.node !== c.b.node) trace(s, c, false, TO_OVERLAY, true, c.l4Fwd, 'UDP', reason);
  s.t += hop(rng, c);
  trace(s, c, false, TO_ENDPOINT, false, c.l4Fwd, 'UDP', reason);
  s.t += q.rcode === 2 ? rng.skewed(40_000_000, 200_000_000) : rng.skewed(250_000, 20_000_000);
  trace(s, c, true, FROM_ENDPOINT, true, c.l4Rev, 'UDP', 'REPLY');
  s.t += hop(rng, c);
  const dns = dnsResponse(q);
  l7(s, c, true, false, { type: 'RESPONSE', dns }, dnsAnswer(q, dns.ttl ?? 0));
  s.t += local(rng);
  trace(s, c, true, TO_ENDPOINT, false, c.l4Rev, 'UDP', 'REPLY');
  s.t += local(rng);
}

/** A SYN that `b`'s ingress policy drops: allowed out of `a`, denied at `b`. */
export function synDeniedAtIngress(s: SecondSink, rng: Prng, c: Conv, deniedBy: Policy[]): void {
  const l4 = tcp(c, false, SYN);
  if (c.egressVerdict) {
    policyVerdict(s, c, false, c.egressVerdict, l4, 'TCP Flags: SYN', c.egressAllowedBy);
    s.t += local(rng);
  }
  trace(s, c, false, FROM_ENDPOINT, true, l4, 'TCP Flags: SYN', 'NEW');
  s.t += local(rng);
  if (c.a.node !== c.b.node) trace(s, c, false, TO_OVERLAY, true, l4, 'TCP Flags: SYN', 'NEW');
  s.t += hop(rng, c);
  policyVerdict(s, c, true, 'DROPPED', l4, 'TCP Flags: SYN', deniedBy);
  s.t += local(rng);
  drop(s, c, false, POLICY_DENIED, l4, 'TCP Flags: SYN', deniedBy);
  s.t += local(rng);
}

/** A first packet dropped as it leaves `a`: by `a`'s egress policy (when `deniedBy`) or by the datapath. */
export function droppedAtSource(s: SecondSink, rng: Prng, c: Conv, reason: DropSpec, deniedBy?: Policy[]): void {
  const l4 = c.udp ? c.l4Fwd : tcp(c, false, SYN);
  const summary = c.udp ? 'UDP' : 'TCP Flags: SYN';
  trace(s, c, false, FROM_ENDPOINT, true, l4, summary, 'NEW');
  s.t += local(rng);
  if (deniedBy) {
    policyVerdict(s, c, false, 'DROPPED', l4, summary, deniedBy);
    s.t += local(rng);
  }
  drop(s, c, true, reason, l4, summary, deniedBy);
  s.t += local(rng);
}
