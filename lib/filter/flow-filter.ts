/**
 * The filter model: Hubble's `flow.FlowFilter` in jsonpb shape (proto field names, enums as names or
 * numbers, uint64 as decimal strings). Within one FlowFilter every set field must match (AND); the
 * values listed in one field are alternatives (OR); an empty or absent list means "not set".
 */
import type { EnumValue, IPVersionName, TrafficDirectionName, VerdictName } from '../flow/enums';
import type { DropReasonName } from '../flow/drop-reasons';
import type { HTTPHeader, NetworkInterface, TCPFlags, Workload } from '../flow/flow';

export type { HTTPHeader, NetworkInterface, TCPFlags, Workload };

/** `flow.EventTypeFilter`: matches `event_type.type` (0 = any) and, if `match_sub_type`, `sub_type`. */
export interface EventTypeFilter {
  type?: number;
  match_sub_type?: boolean;
  sub_type?: number;
}

/** `flow.FlowFilter.Experimental`. */
export interface FlowFilterExperimental {
  /** CEL expressions over `_flow`; not supported by this matcher (compiling one is an error). */
  cel_expression?: string[];
}

/** `flow.FlowFilter` (fields 1–40 and `experimental` 999), as Hubble's API defines it. */
export interface FlowFilter {
  /** 29: flow uuid, exact. */
  uuid?: string[];
  /** 1: source IP, exact address string or CIDR (`10.0.0.0/8`). */
  source_ip?: string[];
  /** 34: `IP.source_xlated` (the `--snat-ip` flag), exact address or CIDR. */
  source_ip_xlated?: string[];
  /** 2: `[namespace/][pod-name-prefix]`; a value without `/` means namespace `default`. */
  source_pod?: string[];
  /** 7: wildcard pattern (`*.cilium.io`) on `source_names`. */
  source_fqdn?: string[];
  /** 10: Kubernetes label selector with Cilium source prefixes (`k8s:app=foo`). */
  source_label?: string[];
  /** 16: `[namespace/][service-name-prefix]` on `source_service`. */
  source_service?: string[];
  /** 26: workload name and/or kind. */
  source_workload?: Workload[];
  /** 37: source cluster name, exact. */
  source_cluster_name?: string[];

  /** 3: destination IP, exact address string or CIDR. */
  destination_ip?: string[];
  /** 4: as `source_pod`, for the destination. */
  destination_pod?: string[];
  /** 8: wildcard pattern on `destination_names`. */
  destination_fqdn?: string[];
  /** 11: label selector on the destination's labels. */
  destination_label?: string[];
  /** 17: as `source_service`, on `destination_service`. */
  destination_service?: string[];
  /** 27: workload name and/or kind. */
  destination_workload?: Workload[];
  /** 38: destination cluster name, exact. */
  destination_cluster_name?: string[];

  /** 30: INGRESS / EGRESS (TRAFFIC_DIRECTION_UNKNOWN matches flows without one). */
  traffic_direction?: EnumValue<TrafficDirectionName>[];
  /** 5: verdict equality. */
  verdict?: EnumValue<VerdictName>[];
  /** 33: drop reason; only DROPPED flows can match. */
  drop_reason_desc?: EnumValue<DropReasonName>[];
  /** 35: network interface: index (if > 0) and name (if set) must both match. */
  interface?: NetworkInterface[];
  /** 6: event type (monitor message type, 129 = l7) and optional sub-type. */
  event_type?: EventTypeFilter[];
  /** 9: `NNN` exact or `N+` / `NN+` prefix. */
  http_status_code?: string[];

  /** 12: `tcp`, `udp`, `sctp`, `icmp`, `icmpv4`, `icmpv6`, `vrrp`, `igmp`, `http`, `dns`, `kafka`. */
  protocol?: string[];

  /** 13: decimal port 0–65535; only TCP, UDP and SCTP flows carry ports. */
  source_port?: string[];
  /** 14: as `source_port`. */
  destination_port?: string[];
  /** 15: on `is_reply`; `false` also matches DROPPED flows whose `is_reply` is unknown. */
  reply?: boolean[];
  /** 18: RE2 regexp (unanchored) on `l7.dns.query`. */
  dns_query?: string[];
  /** 19: source security identity. */
  source_identity?: number[];
  /** 20: destination security identity. */
  destination_identity?: number[];

  /** 21: HTTP method, case-insensitive. */
  http_method?: string[];
  /** 22: RE2 regexp (unanchored) on the path of `l7.http.url`. */
  http_path?: string[];
  /** 31: RE2 regexp (unanchored) on the whole `l7.http.url`. */
  http_url?: string[];
  /** 32: exact header key and value. */
  http_header?: HTTPHeader[];

  /** 23: a flow matches an entry when it has all the entry's flags set. */
  tcp_flags?: TCPFlags[];

  /** 24: `[cluster/]node` wildcard pattern (`k8s*`, `prod/*.example.com`, `prod/`). */
  node_name?: string[];
  /** 36: label selector on `node_labels`. */
  node_labels?: string[];

  /** 25: IPv4 / IPv6 (IP_NOT_USED matches flows without an IP layer). */
  ip_version?: EnumValue<IPVersionName>[];

  /** 28: `trace_context.parent.trace_id`, exact. */
  trace_id?: string[];
  /** 39: `ip_trace_id.trace_id` (uint64, decimal string or number). */
  ip_trace_id?: (string | number)[];
  /** 40: `IP.encrypted`. */
  encrypted?: boolean[];

  /** 999: filters that are not stable yet. */
  experimental?: FlowFilterExperimental;
}

/** A GetFlowsRequest's filters: flows matching any whitelist entry (or all, if none) and no blacklist entry. */
export interface FlowFilterSet {
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
}

/** Every FlowFilter key this model knows, for validation of untyped input. */
export const FLOW_FILTER_FIELDS = [
  'uuid', 'source_ip', 'source_ip_xlated', 'source_pod', 'source_fqdn', 'source_label', 'source_service',
  'source_workload', 'source_cluster_name', 'destination_ip', 'destination_pod', 'destination_fqdn',
  'destination_label', 'destination_service', 'destination_workload', 'destination_cluster_name',
  'traffic_direction', 'verdict', 'drop_reason_desc', 'interface', 'event_type', 'http_status_code',
  'protocol', 'source_port', 'destination_port', 'reply', 'dns_query', 'source_identity',
  'destination_identity', 'http_method', 'http_path', 'http_url', 'http_header', 'tcp_flags', 'node_name',
  'node_labels', 'ip_version', 'trace_id', 'ip_trace_id', 'encrypted', 'experimental',
] as const satisfies readonly (keyof FlowFilter)[];

/** A key of FlowFilter. */
export type FlowFilterField = (typeof FLOW_FILTER_FIELDS)[number];
