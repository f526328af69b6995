/**
 * FlowsResponse → a row of the `flows` table: the typed columns filters and views need, plus the
 * jsonpb line itself. Enum columns hold wire numbers; values a column cannot hold (an unknown enum
 * name, an address that is not an IP) become NULL or 0 rather than failing the batch.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import {
  FlowType, IPVersion, L7FlowType, TraceObservationPoint, TrafficDirection, Verdict, enumNumber,
  type EnumTable,
} from '../../lib/flow/enums';
import { DropReason } from '../../lib/flow/drop-reasons';
import type { Endpoint, Flow, FlowsResponse, Policy } from '../../lib/flow/flow';
import { TCP_FLAG_NAMES } from '../../lib/flow/flow';
import { flowsResponseToJson } from '../../lib/flow/jsonpb';
import { endpointEntity } from '../../lib/flow/endpoint-entity';
import type { CopyValue } from './copy-text';

/** Column order of every row this module makes. */
export const FLOW_COLUMNS = [
  'time', 'flow_key', 'uuid', 'node_name', 'cluster', 'verdict', 'drop_reason', 'flow_type', 'event_type',
  'event_sub_type', 'traffic_direction', 'observation_point', 'is_reply', 'ip_version', 'src_ip', 'dst_ip',
  'src_ip_xlated', 'l4_protocol', 'src_port', 'dst_port', 'tcp_flags',
  'src_namespace', 'src_pod', 'src_workloads', 'src_entity', 'src_identity', 'src_labels', 'src_service',
  'src_service_ns', 'src_cluster', 'src_names',
  'dst_namespace', 'dst_pod', 'dst_workloads', 'dst_entity', 'dst_identity', 'dst_labels', 'dst_service',
  'dst_service_ns', 'dst_cluster', 'dst_names',
  'l7_type', 'l7_protocol', 'latency_ns', 'http_code', 'http_method', 'http_url', 'http_headers', 'dns_query',
  'dns_rcode', 'kafka_topic', 'kafka_api_key', 'kafka_error_code', 'trace_id', 'node_labels', 'interface_name',
  'interface_index', 'egress_allowed_by', 'ingress_allowed_by', 'egress_denied_by', 'ingress_denied_by', 'raw',
] as const;

const SMALLINT_MAX = 32767;

function enumColumn(table: EnumTable<string>, value: string | number | undefined): number {
  const n = enumNumber(table, value);
  return n !== undefined && n >= 0 && n <= SMALLINT_MAX ? n : 0;
}

function smallint(n: number | undefined): number | null {
  return n !== undefined && Number.isInteger(n) && Math.abs(n) <= SMALLINT_MAX ? n : null;
}

function ip(value: string | undefined): string | null {
  return value && isIP(value) ? value : null;
}

function policies(list: Policy[] | undefined): string[] | null {
  return list?.length ? list.map((p) => `${p.namespace ?? ''}/${p.name ?? ''}`) : null;
}

function nonEmpty(list: readonly string[] | undefined): readonly string[] | null {
  return list?.length ? list : null;
}

function tcpFlagBits(flow: Flow): number | null {
  const flags = flow.l4?.TCP?.flags;
  if (!flags) return null;
  let bits = 0;
  TCP_FLAG_NAMES.forEach((name, i) => {
    if (flags[name]) bits |= 1 << i;
  });
  return bits;
}

function l4(flow: Flow): { protocol: string | null; src: number | null; dst: number | null } {
  const layer = flow.l4;
  if (!layer) return { protocol: null, src: null, dst: null };
  const ports = layer.TCP ?? layer.UDP ?? layer.SCTP;
  const protocol = Object.keys(layer)[0] ?? null;
  return { protocol, src: ports?.source_port ?? null, dst: ports?.destination_port ?? null };
}

function endpointColumns(e: Endpoint | undefined, names: string[] | undefined, service: Flow['source_service'], ipAddr: string | undefined): CopyValue[] {
  return [
    e?.namespace || null, e?.pod_name || null,
    e?.workloads?.length ? e.workloads.map((w) => `${w.kind ?? ''}/${w.name ?? ''}`) : null,
    endpointEntity(e, ipAddr), e?.identity ?? null, nonEmpty(e?.labels), service?.name || null, service?.namespace || null,
    e?.cluster_name || null, nonEmpty(names),
  ];
}

/** The deduplication key: the uuid, or for flows without one a hash of the flow's content. */
export function flowKey(flow: Flow): string {
  if (flow.uuid) return flow.uuid;
  return `h:${createHash('sha1').update(JSON.stringify(flow)).digest('base64url')}`;
}

/** A row for the `flows` table in FLOW_COLUMNS order; undefined for a response without a flow or time. */
export function flowToRow(response: FlowsResponse): CopyValue[] | undefined {
  const flow = response.flow;
  if (!flow?.time) return undefined;
  const { protocol, src, dst } = l4(flow);
  const l7 = flow.l7;
  const nodeName = flow.node_name ?? response.node_name;
  const dropReason = enumColumn(DropReason, flow.drop_reason_desc) || smallint(flow.drop_reason) || 0;
  return [
    flow.time, flowKey(flow), flow.uuid || null, nodeName || null, nodeName?.includes('/') ? nodeName.split('/')[0] : null,
    enumColumn(Verdict, flow.verdict), dropReason, enumColumn(FlowType, flow.Type),
    smallint(flow.event_type?.type ?? 0), smallint(flow.event_type?.sub_type ?? 0),
    enumColumn(TrafficDirection, flow.traffic_direction), enumColumn(TraceObservationPoint, flow.trace_observation_point),
    flow.is_reply ?? null, enumColumn(IPVersion, flow.IP?.ipVersion), ip(flow.IP?.source), ip(flow.IP?.destination),
    ip(flow.IP?.source_xlated), protocol, src, dst, tcpFlagBits(flow),
    ...endpointColumns(flow.source, flow.source_names, flow.source_service, flow.IP?.source),
    ...endpointColumns(flow.destination, flow.destination_names, flow.destination_service, flow.IP?.destination),
    l7 ? enumColumn(L7FlowType, l7.type) : null, l7 ? (l7.http ? 'http' : l7.dns ? 'dns' : l7.kafka ? 'kafka' : null) : null,
    l7?.latency_ns ?? null, l7?.http?.code ?? null, l7?.http?.method || null, l7?.http?.url || null,
    l7?.http?.headers?.length ? l7.http.headers.map((h) => `${h.key ?? ''}:${h.value ?? ''}`) : null,
    l7?.dns?.query || null, l7?.dns ? (l7.dns.rcode ?? 0) : null, l7?.kafka?.topic || null, l7?.kafka?.api_key || null,
    l7?.kafka ? (l7.kafka.error_code ?? 0) : null, flow.trace_context?.parent?.trace_id || null, nonEmpty(flow.node_labels),
    flow.interface?.name || null, flow.interface?.index ?? null,
    policies(flow.egress_allowed_by), policies(flow.ingress_allowed_by), policies(flow.egress_denied_by),
    policies(flow.ingress_denied_by), flowsResponseToJson(response),
  ];
}
