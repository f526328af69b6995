/**
 * FlowsResponse → a row of the `flows` table: the typed columns filters and views need, plus the
 * jsonpb line itself. The columns are faithful to the flow the in-memory matcher sees, so the SQL
 * compiler (`filter-sql.ts`) can decide from them alone; where a value cannot be held (an unknown
 * enum name, an IPv6 zone, a number outside a column's range or not a number at all) the column
 * gets NULL or a documented stand-in instead of failing the batch, and the SQL reads `raw` for
 * those rows only when the matcher could still select them.
 */
import { createHash } from 'node:crypto';
import {
  FlowType, IPVersion, L7FlowType, TraceObservationPoint, TrafficDirection, Verdict, enumNumber,
  type EnumTable,
} from '../../lib/flow/enums';
import { DropReason } from '../../lib/flow/drop-reasons';
import type { Endpoint, Flow, FlowsResponse, Layer7, Policy, PortPair } from '../../lib/flow/flow';
import { TCP_FLAG_NAMES } from '../../lib/flow/flow';
import { endpointEntity } from '../../lib/flow/endpoint-entity';
import { flowsResponseToJson } from '../../lib/flow/jsonpb';
import { parseIPAddressCached } from '../../lib/filter/ip-address';
import { requestURIPath } from '../../lib/filter/request-uri';
import type { CopyColumns, CopyType, CopyValue } from './copy-binary';
import { inetText } from './filter-sql-params';

/** Column order of every row this module makes. */
export const FLOW_COLUMNS = [
  'time', 'flow_key', 'uuid', 'node_name', 'cluster', 'verdict', 'drop_reason', 'flow_type', 'event_type',
  'event_sub_type', 'traffic_direction', 'observation_point', 'is_reply', 'ip_version', 'src_ip', 'dst_ip',
  'src_ip_xlated', 'l4_protocol', 'src_port', 'dst_port', 'tcp_flags',
  'src_namespace', 'src_pod', 'src_workloads', 'src_entity', 'src_identity', 'src_labels', 'src_service',
  'src_service_ns', 'src_cluster', 'src_names',
  'dst_namespace', 'dst_pod', 'dst_workloads', 'dst_entity', 'dst_identity', 'dst_labels', 'dst_service',
  'dst_service_ns', 'dst_cluster', 'dst_names',
  'l7_type', 'l7_protocol', 'latency_ns', 'http_code', 'http_method', 'http_url', 'http_path', 'http_headers',
  'dns_query', 'dns_rcode', 'kafka_topic', 'kafka_api_key', 'kafka_error_code', 'trace_id', 'node_labels',
  'interface_name', 'interface_index', 'egress_allowed_by', 'ingress_allowed_by', 'egress_denied_by',
  'ingress_denied_by', 'raw',
] as const;

/** Each column's type, as the migrations make it (schema-match.int.test.ts compares them). */
const FLOW_COLUMN_TYPES: Record<(typeof FLOW_COLUMNS)[number], CopyType> = {
  time: 'timestamptz', flow_key: 'text', uuid: 'text', node_name: 'text', cluster: 'text', verdict: 'int2',
  drop_reason: 'int2', flow_type: 'int2', event_type: 'int4', event_sub_type: 'int4', traffic_direction: 'int2',
  observation_point: 'int2', is_reply: 'bool', ip_version: 'int2', src_ip: 'inet', dst_ip: 'inet', src_ip_xlated: 'inet',
  l4_protocol: 'text', src_port: 'int4', dst_port: 'int4', tcp_flags: 'int2',
  src_namespace: 'text', src_pod: 'text', src_workloads: 'text[]', src_entity: 'text', src_identity: 'int8',
  src_labels: 'text[]', src_service: 'text', src_service_ns: 'text', src_cluster: 'text', src_names: 'text[]',
  dst_namespace: 'text', dst_pod: 'text', dst_workloads: 'text[]', dst_entity: 'text', dst_identity: 'int8',
  dst_labels: 'text[]', dst_service: 'text', dst_service_ns: 'text', dst_cluster: 'text', dst_names: 'text[]',
  l7_type: 'int2', l7_protocol: 'text', latency_ns: 'int8', http_code: 'int8', http_method: 'text', http_url: 'text',
  http_path: 'text', http_headers: 'text[]', dns_query: 'text', dns_rcode: 'int8', kafka_topic: 'text',
  kafka_api_key: 'text', kafka_error_code: 'int4', trace_id: 'text', node_labels: 'text[]', interface_name: 'text',
  interface_index: 'int8', egress_allowed_by: 'text[]', ingress_allowed_by: 'text[]', egress_denied_by: 'text[]',
  ingress_denied_by: 'text[]', raw: 'text',
};

/** The columns and types of a `flows` COPY (copy-binary.ts). */
export const FLOW_COPY_COLUMNS: CopyColumns = { names: FLOW_COLUMNS, types: FLOW_COLUMNS.map((c) => FLOW_COLUMN_TYPES[c]) };

const SMALLINT = [-32768, 32767] as const;
const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
const UINT32 = [0, 2 ** 32 - 1] as const;
const SAFE = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] as const;
const INT8_MAX = 2n ** 63n - 1n;

/** `v` when it is an integer number within `range`, else `otherwise` (a jsonpb line can hold anything). */
function int(v: unknown, range: readonly [number, number], otherwise: number | null = null): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= range[0] && v <= range[1] ? v : otherwise;
}

/** An int32 squeezed into its column: out-of-range numbers clamped, fractions truncated, non-numbers 0. */
function clampInt32(v: unknown): number {
  return typeof v === 'number' && !Number.isNaN(v) ? Math.min(INT32[1], Math.max(INT32[0], Math.trunc(v))) : 0;
}

/** The wire number in a smallint column; 0 (the proto3 default) also for what it cannot hold. */
function enumColumn(table: EnumTable<string>, value: string | number | undefined): number {
  return int(enumNumber(table, value), SMALLINT) ?? 0;
}

/** int64 text (jsonpb writes 64-bit integers as strings) that fits a bigint column, else NULL. */
function int64(v: unknown): string | number | null {
  if (typeof v === 'number') return int(v, SAFE);
  if (typeof v !== 'string' || !/^-?[0-9]{1,19}$/.test(v)) return null;
  const n = BigInt(v);
  return n <= INT8_MAX && n >= -INT8_MAX - 1n ? v : null;
}

const ipColumnCache = new Map<string, string | null>();

/** An address as inet text, exactly when the matcher can parse it; zoned and unparsable ones are NULL. */
function ip(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  // Flows repeat the same few addresses: remember the column text, within a bound.
  let text = ipColumnCache.get(value);
  if (text === undefined) {
    const addr = parseIPAddressCached(value);
    text = addr && addr.zone === '' ? inetText(addr.bytes) : null;
    if (ipColumnCache.size >= 4096) ipColumnCache.clear();
    ipColumnCache.set(value, text);
  }
  return text;
}

function policies(list: Policy[] | undefined): string[] | null {
  return list?.length ? list.map((p) => `${p.namespace ?? ''}/${p.name ?? ''}`) : null;
}

function nonEmpty(list: readonly string[] | undefined): readonly string[] | null {
  return list?.length ? list : null;
}

/**
 * Arrays a row shares with other rows are frozen, so that the COPY encoder builds their field once
 * (copy-binary.ts): the workloads of a shared endpoint, and each node's labels, which every flow of
 * the node repeats but the decoder gives as a fresh array (only endpoints are shared).
 */
const workloadsOfShared = new WeakMap<object, readonly string[]>();
const labelsOfNode = new Map<string, readonly string[]>();

function workloadColumn(e: Endpoint): readonly string[] {
  const list = e.workloads as NonNullable<Endpoint['workloads']>;
  const texts = () => list.map((w) => `${w.kind ?? ''}/${w.name ?? ''}`);
  if (!Object.isFrozen(list)) return texts();
  let column = workloadsOfShared.get(list);
  if (column === undefined) {
    column = Object.freeze(texts());
    workloadsOfShared.set(list, column);
  }
  return column;
}

function nodeLabelsColumn(node: string | null, labels: readonly string[] | undefined): readonly string[] | null {
  if (!labels?.length) return null;
  const last = labelsOfNode.get(node ?? '');
  if (last && last.length === labels.length && last.every((l, i) => l === labels[i])) return last;
  const column = Object.freeze([...labels]);
  if (labelsOfNode.size >= 4096) labelsOfNode.clear();
  labelsOfNode.set(node ?? '', column);
  return column;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The flags the matcher tests (`=== true`) as bits in TCP_FLAG_NAMES order; NULL without a flags value. */
function tcpFlagBits(flow: Flow): number | null {
  const flags = flow.l4?.TCP?.flags;
  if (flags === undefined) return null;
  let bits = 0;
  TCP_FLAG_NAMES.forEach((name, i) => {
    if (flags?.[name] === true) bits |= 1 << i;
  });
  return bits;
}

/**
 * The Layer4 key and ports. Ports are read from the pair the matcher reads (`TCP ?? UDP ?? SCTP`): NULL
 * without one, 0 for an absent port (proto3), NULL for a value that is not an int4 (never a valid port).
 */
function l4(flow: Flow): { protocol: string | null; src: number | null; dst: number | null } {
  const layer = flow.l4;
  if (layer === undefined) return { protocol: null, src: null, dst: null };
  const pair = (layer && (layer.TCP ?? layer.UDP ?? layer.SCTP)) as PortPair | undefined;
  const port = (key: keyof PortPair) => (pair === undefined ? null : int(pair[key] ?? 0, INT32));
  return { protocol: (layer && Object.keys(layer)[0]) || null, src: port('source_port'), dst: port('destination_port') };
}

function endpointColumns(e: Endpoint | undefined, names: string[] | undefined, service: Flow['source_service'], ipAddr: string | undefined): CopyValue[] {
  return [
    e?.namespace || null, e?.pod_name || null,
    e?.workloads?.length ? workloadColumn(e) : null,
    // An endpoint without identity has identity 0 (proto3); -1 stands for a value that is not a uint32.
    endpointEntity(e, ipAddr), e === undefined ? null : int(e?.identity ?? 0, UINT32, -1), nonEmpty(e?.labels),
    service?.name || null, service?.namespace || null, e?.cluster_name || null, nonEmpty(names),
  ];
}

/**
 * The L7 columns. A record's presence is what the protocol filters need, so each record marks it in a
 * column that is never NULL when the record exists: `l7_protocol = 'http'` (http comes first),
 * `dns_rcode` (-1 for an rcode that is not a uint32) and `kafka_error_code` (clamped into int32).
 * `http_code` is NULL for a code that is not a safe integer; the SQL then reads the code from `raw`.
 */
function l7Columns(l7: Layer7 | undefined): CopyValue[] {
  if (l7 === undefined) return [null, null, null, null, null, null, null, null, null, null, null, null, null];
  const { http, dns, kafka } = l7;
  const protocol = http !== undefined ? 'http' : dns !== undefined ? 'dns' : kafka !== undefined ? 'kafka' : null;
  const url = http?.url;
  return [
    enumColumn(L7FlowType, l7.type), protocol, int64(l7.latency_ns),
    http === undefined ? null : int(http?.code ?? 0, SAFE), text(http?.method), url || null,
    // The matcher's path: NULL without a URL and where Go's ParseRequestURI would fail.
    typeof url === 'string' && url !== '' ? (requestURIPath(url) ?? null) : null,
    http?.headers?.length ? http.headers.map((h) => `${h.key ?? ''}:${h.value ?? ''}`) : null,
    dns?.query || null, dns === undefined ? null : int(dns?.rcode ?? 0, UINT32, -1), kafka?.topic || null, kafka?.api_key || null,
    kafka === undefined ? null : clampInt32(kafka?.error_code ?? 0),
  ];
}

/** The deduplication key: the uuid, or for flows without one a hash of the flow's content. */
export function flowKey(flow: Flow): string {
  if (flow.uuid) return flow.uuid;
  return `h:${createHash('sha1').update(JSON.stringify(flow)).digest('base64url')}`;
}

/**
 * A row for the `flows` table in FLOW_COLUMNS order; undefined for a response without a flow or time.
 * `node_name` is the flow's own (what node-name filters read), never the response's.
 */
export function flowToRow(response: FlowsResponse): CopyValue[] | undefined {
  const flow = response.flow;
  if (!flow?.time) return undefined;
  const { protocol, src, dst } = l4(flow);
  const nodeName = text(flow.node_name);
  const et = flow.event_type;
  const iface = flow.interface;
  return [
    flow.time, flowKey(flow), flow.uuid || null, nodeName, nodeName?.includes('/') ? nodeName.split('/')[0] : null,
    enumColumn(Verdict, flow.verdict), enumColumn(DropReason, flow.drop_reason_desc), enumColumn(FlowType, flow.Type),
    // NULL without an event_type, and for a part that is not an int32.
    et === undefined ? null : int(et?.type ?? 0, INT32), et === undefined ? null : int(et?.sub_type ?? 0, INT32),
    enumColumn(TrafficDirection, flow.traffic_direction), enumColumn(TraceObservationPoint, flow.trace_observation_point),
    typeof flow.is_reply === 'boolean' ? flow.is_reply : null, enumColumn(IPVersion, flow.IP?.ipVersion), ip(flow.IP?.source), ip(flow.IP?.destination),
    ip(flow.IP?.source_xlated), protocol, src, dst, tcpFlagBits(flow),
    ...endpointColumns(flow.source, flow.source_names, flow.source_service, flow.IP?.source),
    ...endpointColumns(flow.destination, flow.destination_names, flow.destination_service, flow.IP?.destination),
    ...l7Columns(flow.l7), flow.trace_context?.parent?.trace_id || null, nodeLabelsColumn(nodeName, flow.node_labels),
    // -1 stands for an index that is not a uint32: the interface exists, and no filter index equals it.
    text(iface?.name), iface === undefined ? null : int(iface?.index ?? 0, UINT32, -1),
    policies(flow.egress_allowed_by), policies(flow.ingress_allowed_by), policies(flow.egress_denied_by),
    policies(flow.ingress_denied_by), flowsResponseToJson(response),
  ];
}
