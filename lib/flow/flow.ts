/**
 * The Flow model: Hubble's `flow.Flow` in the exact shape `hubble observe -o jsonpb` prints it —
 * proto field names (`IP`, `l4`, `Type`, `is_reply`), enums as names (numbers when unknown),
 * 64-bit integers as decimal strings, timestamps as RFC 3339 strings, defaults omitted.
 *
 * Everything between the gRPC edge and the database speaks this type, so the JSON we store, serve
 * and export is the JSON the CLI prints, with nothing to translate on the way.
 */
import type {
  EnumValue, FlowTypeName, IPVersionName, L7FlowTypeName, LostEventSourceName, NodeStateName,
  TraceObservationPointName, TraceReasonName, TrafficDirectionName, VerdictName, AuthTypeName,
} from './enums';
import type { DropReasonName } from './drop-reasons';

export interface Workload { name?: string; kind?: string }
export interface Service { name?: string; namespace?: string }

export interface Endpoint {
  ID?: number;
  identity?: number;
  cluster_name?: string;
  namespace?: string;
  labels?: string[];
  pod_name?: string;
  workloads?: Workload[];
}

export interface TCPFlags {
  FIN?: boolean; SYN?: boolean; RST?: boolean; PSH?: boolean; ACK?: boolean;
  URG?: boolean; ECE?: boolean; CWR?: boolean; NS?: boolean;
}
export const TCP_FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'] as const;
export type TCPFlagName = (typeof TCP_FLAG_NAMES)[number];

export interface PortPair { source_port?: number; destination_port?: number }
export interface ICMP { type?: number; code?: number }

/** Layer4 is a oneof: exactly one key is present. */
export interface Layer4 {
  TCP?: PortPair & { flags?: TCPFlags };
  UDP?: PortPair;
  ICMPv4?: ICMP;
  ICMPv6?: ICMP;
  SCTP?: PortPair;
  VRRP?: Record<string, unknown>;
  IGMP?: Record<string, unknown>;
}

export interface IP {
  source?: string;
  destination?: string;
  ipVersion?: EnumValue<IPVersionName>;
  encrypted?: boolean;
  source_xlated?: string;
}

export interface HTTPHeader { key?: string; value?: string }
export interface HTTP { code?: number; method?: string; url?: string; protocol?: string; headers?: HTTPHeader[] }
export interface DNS {
  query?: string; ips?: string[]; ttl?: number; cnames?: string[]; observation_source?: string;
  rcode?: number; qtypes?: string[]; rrtypes?: string[];
}
export interface Kafka { error_code?: number; api_version?: number; api_key?: string; correlation_id?: number; topic?: string }

/** Layer7: `type`, `latency_ns` and one record of dns / http / kafka. */
export interface Layer7 {
  type?: EnumValue<L7FlowTypeName>;
  latency_ns?: string;
  dns?: DNS;
  http?: HTTP;
  kafka?: Kafka;
}

export interface Policy { name?: string; namespace?: string; labels?: string[]; revision?: string; kind?: string }
export interface CiliumEventType { type?: number; sub_type?: number }
export interface NetworkInterface { index?: number; name?: string }

export interface Flow {
  time?: string;
  uuid?: string;
  verdict?: EnumValue<VerdictName>;
  /** Deprecated numeric drop code; kept because older agents send only this. */
  drop_reason?: number;
  auth_type?: EnumValue<AuthTypeName>;
  ethernet?: { source?: string; destination?: string };
  IP?: IP;
  l4?: Layer4;
  tunnel?: Record<string, unknown>;
  source?: Endpoint;
  destination?: Endpoint;
  Type?: EnumValue<FlowTypeName>;
  node_name?: string;
  node_labels?: string[];
  source_names?: string[];
  destination_names?: string[];
  l7?: Layer7;
  /** Deprecated: older Hubble sends this instead of `is_reply`. */
  reply?: boolean;
  event_type?: CiliumEventType;
  source_service?: Service;
  destination_service?: Service;
  traffic_direction?: EnumValue<TrafficDirectionName>;
  policy_match_type?: number;
  trace_observation_point?: EnumValue<TraceObservationPointName>;
  trace_reason?: EnumValue<TraceReasonName>;
  file?: { name?: string; line?: number };
  drop_reason_desc?: EnumValue<DropReasonName>;
  /** A wrapper on the wire: absent means unknown, so `false` is meaningful. */
  is_reply?: boolean;
  debug_capture_point?: EnumValue<string>;
  interface?: NetworkInterface;
  proxy_port?: number;
  trace_context?: { parent?: { trace_id?: string } };
  sock_xlate_point?: EnumValue<string>;
  socket_cookie?: string;
  cgroup_id?: string;
  ip_trace_id?: { trace_id?: string; ip_option_type?: number };
  emitter?: { name?: string; version?: string };
  Summary?: string;
  egress_allowed_by?: Policy[];
  ingress_allowed_by?: Policy[];
  egress_denied_by?: Policy[];
  ingress_denied_by?: Policy[];
  policy_log?: string[];
}

export interface LostEvent {
  source?: EnumValue<LostEventSourceName>;
  num_events_lost?: string;
  cpu?: number;
}

export interface NodeStatusEvent {
  state_change?: EnumValue<NodeStateName>;
  node_names?: string[];
  message?: string;
}

/** One line of `hubble observe -o jsonpb`: a GetFlowsResponse with exactly one event. */
export interface FlowsResponse {
  flow?: Flow;
  node_status?: NodeStatusEvent;
  lost_events?: LostEvent;
  node_name?: string;
  time?: string;
}
