/**
 * Hubble's enums, both ways: name ⇄ number. Values a newer relay may send that this build does
 * not know stay numbers (the protojson convention), so nothing downstream has to fail on them.
 */

/** A closed enum table: names in proto order with their wire numbers. */
export interface EnumTable<N extends string> {
  readonly names: readonly N[];
  readonly byName: ReadonlyMap<string, number>;
  readonly byNumber: ReadonlyMap<number, N>;
}

export function enumTable<N extends string>(entries: Record<N, number>): EnumTable<N> {
  const names = Object.keys(entries) as N[];
  return {
    names,
    byName: new Map(names.map((n) => [n, entries[n]])),
    byNumber: new Map(names.map((n) => [entries[n], n])),
  };
}

/** An enum value as protojson prints it: the name when known, else the number. */
export type EnumValue<N extends string> = N | number;

/** Name for a wire number, or the number itself when this build does not know it. */
export function enumName<N extends string>(table: EnumTable<N>, value: number | string | undefined): EnumValue<N> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (table.byName.has(value)) return value as N;
    const n = Number(value);
    return Number.isInteger(n) ? (table.byNumber.get(n) ?? n) : undefined;
  }
  return table.byNumber.get(value) ?? value;
}

/** Wire number for a name or number; undefined for an unknown name. */
export function enumNumber<N extends string>(table: EnumTable<N>, value: EnumValue<N> | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  return table.byName.get(value);
}

export const Verdict = enumTable({
  VERDICT_UNKNOWN: 0, FORWARDED: 1, DROPPED: 2, ERROR: 3, AUDIT: 4, REDIRECTED: 5, TRACED: 6, TRANSLATED: 7,
});
export type VerdictName = (typeof Verdict.names)[number];

export const FlowType = enumTable({ UNKNOWN_TYPE: 0, L3_L4: 1, L7: 2, SOCK: 3 });
export type FlowTypeName = (typeof FlowType.names)[number];

export const TrafficDirection = enumTable({ TRAFFIC_DIRECTION_UNKNOWN: 0, INGRESS: 1, EGRESS: 2 });
export type TrafficDirectionName = (typeof TrafficDirection.names)[number];

export const IPVersion = enumTable({ IP_NOT_USED: 0, IPv4: 1, IPv6: 2 });
export type IPVersionName = (typeof IPVersion.names)[number];

export const L7FlowType = enumTable({ UNKNOWN_L7_TYPE: 0, REQUEST: 1, RESPONSE: 2, SAMPLE: 3 });
export type L7FlowTypeName = (typeof L7FlowType.names)[number];

export const TraceObservationPoint = enumTable({
  UNKNOWN_POINT: 0, TO_PROXY: 1, TO_HOST: 2, TO_STACK: 3, TO_OVERLAY: 4, FROM_ENDPOINT: 5, FROM_PROXY: 6,
  FROM_HOST: 7, FROM_STACK: 8, FROM_OVERLAY: 9, FROM_NETWORK: 10, TO_NETWORK: 11, FROM_CRYPTO: 12,
  TO_CRYPTO: 13, TO_ENDPOINT: 101,
});
export type TraceObservationPointName = (typeof TraceObservationPoint.names)[number];

export const TraceReason = enumTable({
  TRACE_REASON_UNKNOWN: 0, NEW: 1, ESTABLISHED: 2, REPLY: 3, RELATED: 4, SRV6_ENCAP: 6, SRV6_DECAP: 7,
  ENCRYPT_OVERLAY: 8,
});
export type TraceReasonName = (typeof TraceReason.names)[number];

export const AuthType = enumTable({ DISABLED: 0, SPIRE: 1, TEST_ALWAYS_FAIL: 2 });
export type AuthTypeName = (typeof AuthType.names)[number];

export const SocketTranslationPoint = enumTable({
  SOCK_XLATE_POINT_UNKNOWN: 0, SOCK_XLATE_POINT_PRE_DIRECTION_FWD: 1, SOCK_XLATE_POINT_POST_DIRECTION_FWD: 2,
  SOCK_XLATE_POINT_PRE_DIRECTION_REV: 3, SOCK_XLATE_POINT_POST_DIRECTION_REV: 4,
});

export const DebugCapturePoint = enumTable({
  DBG_CAPTURE_POINT_UNKNOWN: 0, DBG_CAPTURE_DELIVERY: 4, DBG_CAPTURE_FROM_LB: 5, DBG_CAPTURE_AFTER_V46: 6,
  DBG_CAPTURE_AFTER_V64: 7, DBG_CAPTURE_PROXY_PRE: 8, DBG_CAPTURE_PROXY_POST: 9, DBG_CAPTURE_SNAT_PRE: 10,
  DBG_CAPTURE_SNAT_POST: 11,
});

export const LostEventSource = enumTable({
  UNKNOWN_LOST_EVENT_SOURCE: 0, PERF_EVENT_RING_BUFFER: 1, OBSERVER_EVENTS_QUEUE: 2, HUBBLE_RING_BUFFER: 3,
});
export type LostEventSourceName = (typeof LostEventSource.names)[number];

export const NodeState = enumTable({
  UNKNOWN_NODE_STATE: 0, NODE_CONNECTED: 1, NODE_UNAVAILABLE: 2, NODE_GONE: 3, NODE_ERROR: 4,
});
export type NodeStateName = (typeof NodeState.names)[number];
