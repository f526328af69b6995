/**
 * The individual events Hubble emits, built directly as jsonpb-shaped Flow objects: datapath
 * traces (event type 4), drops (1), policy verdicts (5), socket-LB traces (7) and proxy access
 * logs (129). Fields follow Hubble's parsers: a trace's traffic direction comes from whether the
 * observing endpoint is the packet's source, inverted for replies; drops and policy verdicts carry
 * the drop code as `drop_reason`, `drop_reason_desc` and event sub-type; defaults are left out.
 *
 * Flows are stamped with `time` and `uuid` later (server/demo/traffic.ts), once sorted.
 */
import type { Endpoint, Flow, IP, Layer4, Layer7, Policy, Service } from '../../lib/flow/flow';
import type { Entity } from './topology';

/** Trace observation points by monitor sub-type (Cilium's TRACE_TO_LXC = 0 ... TRACE_TO_NETWORK = 11). */
export const TO_ENDPOINT = 0;
export const TO_PROXY = 1;
export const TO_HOST = 2;
export const TO_STACK = 3;
export const TO_OVERLAY = 4;
export const FROM_ENDPOINT = 5;
export const FROM_HOST = 7;

const OBSERVATION_POINTS = [
  'TO_ENDPOINT', 'TO_PROXY', 'TO_HOST', 'TO_STACK', 'TO_OVERLAY', 'FROM_ENDPOINT', 'FROM_PROXY', 'FROM_HOST',
  'FROM_STACK', 'FROM_OVERLAY', 'FROM_NETWORK', 'TO_NETWORK',
] as const;
/** jsonpb omits a zero sub_type, so to-endpoint traces print as `{"type":4}`. */
const TRACE_EVENTS = OBSERVATION_POINTS.map((_, sub) => (sub === 0 ? { type: 4 } : { type: 4, sub_type: sub }));
const POLICY_VERDICT_EVENT = { type: 5 };
const L7_EVENT = { type: 129 };
const SOCK_PRE_EVENT = { type: 7, sub_type: 1 };
const SOCK_POST_EVENT = { type: 7, sub_type: 2 };
const EMPTY_ENDPOINT: Endpoint = {};

export type TraceReasonName = 'NEW' | 'ESTABLISHED' | 'REPLY';
export type PolicyVerdictName = 'FORWARDED' | 'REDIRECTED' | 'AUDIT';

/** A datapath drop reason: numeric code, DropReason enum name and the BPF source location. */
export interface DropSpec {
  readonly code: number;
  readonly name: 'POLICY_DENIED' | 'CT_MAP_INSERTION_FAILED' | 'STALE_OR_UNROUTABLE_IP' | 'SERVICE_BACKEND_NOT_FOUND';
  readonly event: { type: number; sub_type: number };
  readonly file: { name: string; line: number };
}

function dropSpec(code: number, name: DropSpec['name'], file: string, line: number): DropSpec {
  return { code, name, event: { type: 1, sub_type: code }, file: { name: file, line } };
}

export const POLICY_DENIED = dropSpec(133, 'POLICY_DENIED', 'bpf_lxc.c', 1372);
export const CT_MAP_INSERTION_FAILED = dropSpec(155, 'CT_MAP_INSERTION_FAILED', 'conntrack.h', 1081);
export const STALE_OR_UNROUTABLE_IP = dropSpec(151, 'STALE_OR_UNROUTABLE_IP', 'bpf_lxc.c', 1027);
export const SERVICE_BACKEND_NOT_FOUND = dropSpec(158, 'SERVICE_BACKEND_NOT_FOUND', 'lb.h', 1870);

/** Flows of one second, in generation order, with their offsets (ns) from the start of the second. */
export class SecondSink {
  readonly flows: Flow[] = [];
  readonly offsets: number[] = [];
  /** Time cursor of the conversation being generated, ns relative to its start. */
  t = 0;

  constructor(readonly nodeNames: readonly string[], readonly nodeLabels: readonly string[][]) {}

  push(flow: Flow): void {
    this.flows.push(flow);
    this.offsets.push(this.t);
  }
}

/** One connection between initiator `a` and responder `b`, with what Cilium knows about it. */
export class Conv {
  readonly ipFwd: IP;
  readonly ipRev: IP;
  /** Layer4 without TCP flags, as access-log (L7) flows and UDP packets carry it. */
  readonly l4Fwd: Layer4;
  readonly l4Rev: Layer4;
  /** Egress policy verdict at `a` for new connections; undefined when `a` has no egress policy. */
  egressVerdict: PolicyVerdictName | undefined = undefined;
  egressAllowedBy: Policy[] | undefined = undefined;
  ingressVerdict: PolicyVerdictName | undefined = undefined;
  ingressAllowedBy: Policy[] | undefined = undefined;
  /** Cilium's match type: 1 L3-only, 2 L3-L4, 0 (omitted) when no rule matched, as in audit mode. */
  policyMatchType = 2;
  /** Requests to `b` are redirected to its node's L7 proxy (ingress HTTP/Kafka visibility). */
  ingressProxy = false;
  /** Packets from `a` are redirected to its node's DNS proxy. */
  egressProxy = false;

  constructor(
    readonly a: Entity,
    readonly b: Entity,
    readonly udp: boolean,
    readonly sport: number,
    readonly dport: number,
    /** destination_service of forward flows, source_service of replies. */
    readonly svc: Service | undefined,
    /** DNS names of `b` known to `a`'s DNS proxy cache. */
    readonly names: string[] | undefined,
  ) {
    this.ipFwd = { source: a.ip, destination: b.ip, ipVersion: 'IPv4' };
    this.ipRev = { source: b.ip, destination: a.ip, ipVersion: 'IPv4' };
    this.l4Fwd = udp ? { UDP: { source_port: sport, destination_port: dport } } : { TCP: { source_port: sport, destination_port: dport } };
    this.l4Rev = udp ? { UDP: { source_port: dport, destination_port: sport } } : { TCP: { source_port: dport, destination_port: sport } };
  }
}

function addContext(f: Flow, c: Conv, reply: boolean, node: number): void {
  if (reply) {
    f.reply = true;
    if (c.svc) f.source_service = c.svc;
    if (c.names && node === c.a.node) f.source_names = c.names;
  } else {
    if (c.svc) f.destination_service = c.svc;
    if (c.names && node === c.a.node) f.destination_names = c.names;
  }
}

/** A trace event for one packet, observed at the packet's source (`atSource`) or destination endpoint. */
export function trace(
  s: SecondSink, c: Conv, reply: boolean, sub: number, atSource: boolean, l4: Layer4, summary: string, reason: TraceReasonName,
): void {
  const src = reply ? c.b : c.a;
  const dst = reply ? c.a : c.b;
  const node = atSource ? src.node : dst.node;
  const f: Flow = {
    time: '', uuid: '', verdict: 'FORWARDED', IP: reply ? c.ipRev : c.ipFwd, l4, source: src.ep[node], destination: dst.ep[node],
    Type: 'L3_L4', node_name: s.nodeNames[node], node_labels: s.nodeLabels[node], event_type: TRACE_EVENTS[sub],
    trace_observation_point: OBSERVATION_POINTS[sub], trace_reason: reason, is_reply: reply, Summary: summary,
  };
  // The overlay program runs outside any endpoint, so Hubble cannot tell the direction there.
  if (sub !== TO_OVERLAY) f.traffic_direction = atSource !== reply ? 'EGRESS' : 'INGRESS';
  addContext(f, c, reply, node);
  s.push(f);
}

/** A policy-verdict event for the first packet of `c`, at `b` (ingress) or `a` (egress). */
export function policyVerdict(
  s: SecondSink, c: Conv, ingress: boolean, verdict: PolicyVerdictName | 'DROPPED', l4: Layer4, summary: string, policies: Policy[] | undefined,
): void {
  const node = ingress ? c.b.node : c.a.node;
  const f: Flow = {
    time: '', uuid: '', verdict, IP: c.ipFwd, l4, source: c.a.ep[node], destination: c.b.ep[node], Type: 'L3_L4',
    node_name: s.nodeNames[node], node_labels: s.nodeLabels[node], event_type: POLICY_VERDICT_EVENT,
    traffic_direction: ingress ? 'INGRESS' : 'EGRESS', Summary: summary,
  };
  if (verdict === 'DROPPED') {
    f.drop_reason = POLICY_DENIED.code;
    f.drop_reason_desc = POLICY_DENIED.name;
    if (policies) f[ingress ? 'ingress_denied_by' : 'egress_denied_by'] = policies;
  } else {
    if (c.policyMatchType) f.policy_match_type = c.policyMatchType;
    f.is_reply = false;
    if (policies && verdict !== 'AUDIT') f[ingress ? 'ingress_allowed_by' : 'egress_allowed_by'] = policies;
  }
  addContext(f, c, false, node);
  s.push(f);
}

/** A drop event for a forward packet of `c`, at `a` (egress) or at `b` (ingress). */
export function drop(
  s: SecondSink, c: Conv, atSource: boolean, reason: DropSpec, l4: Layer4, summary: string, deniedBy: Policy[] | undefined,
): void {
  const node = atSource ? c.a.node : c.b.node;
  const f: Flow = {
    time: '', uuid: '', verdict: 'DROPPED', drop_reason: reason.code, IP: c.ipFwd, l4, source: c.a.ep[node],
    destination: c.b.ep[node], Type: 'L3_L4', node_name: s.nodeNames[node], node_labels: s.nodeLabels[node],
    event_type: reason.event, traffic_direction: atSource ? 'EGRESS' : 'INGRESS', file: reason.file,
    drop_reason_desc: reason.name, Summary: summary,
  };
  if (deniedBy) f[atSource ? 'egress_denied_by' : 'ingress_denied_by'] = deniedBy;
  addContext(f, c, false, node);
  s.push(f);
}

/** An L7 access-log record from the proxy on `b`'s node (ingress) or `a`'s node (egress, DNS). */
export function l7(s: SecondSink, c: Conv, reply: boolean, atServer: boolean, record: Layer7, summary: string, verdict: 'FORWARDED' | 'DROPPED' = 'FORWARDED'): void {
  const node = atServer ? c.b.node : c.a.node;
  const src = reply ? c.b : c.a;
  const dst = reply ? c.a : c.b;
  const f: Flow = {
    time: '', uuid: '', verdict, IP: reply ? c.ipRev : c.ipFwd, l4: reply ? c.l4Rev : c.l4Fwd, source: src.ep[node],
    destination: dst.ep[node], Type: 'L7', node_name: s.nodeNames[node], node_labels: s.nodeLabels[node], l7: record,
    event_type: L7_EVENT, traffic_direction: atServer ? 'INGRESS' : 'EGRESS', is_reply: reply, Summary: summary,
  };
  addContext(f, c, reply, node);
  s.push(f);
}

/**
 * The socket load balancer translating `a`'s connect() to a ClusterIP: a TRACED event before
 * translation (destination = the service) and a TRANSLATED one after (destination = backend `b`).
 */
export function sockTranslation(s: SecondSink, c: Conv, clusterIp: string, port: number, names: string[] | undefined, cgroupId: string, cookie: string): void {
  const node = c.a.node;
  const summary = c.udp ? 'UDP' : 'TCP';
  const pre: Flow = {
    time: '', uuid: '', verdict: 'TRACED', IP: { source: c.a.ip, destination: clusterIp, ipVersion: 'IPv4' },
    l4: c.udp ? { UDP: { destination_port: port } } : { TCP: { destination_port: port } }, source: c.a.ep[node],
    destination: EMPTY_ENDPOINT, Type: 'SOCK', node_name: s.nodeNames[node], node_labels: s.nodeLabels[node],
    event_type: SOCK_PRE_EVENT, sock_xlate_point: 'SOCK_XLATE_POINT_PRE_DIRECTION_FWD', socket_cookie: cookie, cgroup_id: cgroupId,
    Summary: summary,
  };
  if (names) pre.destination_names = names;
  if (c.svc) pre.destination_service = c.svc;
  s.push(pre);
  s.t += 900;
  s.push({
    time: '', uuid: '', verdict: 'TRANSLATED', IP: c.ipFwd,
    l4: c.udp ? { UDP: { destination_port: c.dport } } : { TCP: { destination_port: c.dport } }, source: c.a.ep[node],
    destination: c.b.ep[node], Type: 'SOCK', node_name: s.nodeNames[node], node_labels: s.nodeLabels[node],
    event_type: SOCK_POST_EVENT, sock_xlate_point: 'SOCK_XLATE_POINT_POST_DIRECTION_FWD', socket_cookie: cookie, cgroup_id: cgroupId,
    Summary: summary,
  });
}
