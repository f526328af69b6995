/**
 * Field → flag tables for the printer: how one FlowFilter value is written as a `hubble observe`
 * flag (reserved identity names, `kind/name` workloads, `TYPE:SUBTYPE` event types, lower-case
 * TCP flags, ...). A formatter returns undefined for a value no flag can express.
 */
import { IPVersion, TrafficDirection, Verdict, enumName } from '../flow/enums';
import { DropReason } from '../flow/drop-reasons';
import { TCP_FLAG_NAMES, type TCPFlags } from '../flow/flow';
import type { EventTypeFilter, FlowFilter, HTTPHeader, NetworkInterface, Workload } from './flow-filter';
import { AGENT_SUBTYPES, MESSAGE_TYPES, RESERVED_IDENTITIES, TRACE_SUBTYPES } from './observe-values';

/** One flag occurrence: `['--pod', 'x']`, or `['--ipv4']` for flags without a value. */
export type FlagOccurrence = readonly string[];
/** Writes one field value as a flag occurrence; undefined when no flag can express it. */
export type Format = (v: unknown) => FlagOccurrence | undefined;

/** Type guard for strings. */
export const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A flag whose value is `fmt(v)` (the string itself by default). */
export const flag = (name: string, fmt: (v: unknown) => string | undefined = (v) => (isString(v) ? v : undefined)): Format =>
  (v) => {
    const text = fmt(v);
    return text === undefined ? undefined : [name, text];
  };

const IDENTITY_NAMES = new Map([...RESERVED_IDENTITIES].map(([name, id]) => [id, name]));
const TYPE_NAMES = new Map([...MESSAGE_TYPES].map(([name, n]) => [n, name]));

function identityText(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 32 - 1) return undefined;
  return IDENTITY_NAMES.get(v) ?? String(v);
}

function workloadText(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const { kind = '', name = '' } = v as Workload;
  if (kind !== '') return `${kind}/${name}`;
  return name.includes('/') ? `/${name}` : name;
}

function eventTypeText(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const e = v as EventTypeFilter;
  const type = (e.type ?? 0) >>> 0;
  const typeName = TYPE_NAMES.get(type) ?? String(type);
  if (e.match_sub_type !== true) return (e.sub_type ?? 0) === 0 ? typeName : undefined;
  const sub = (e.sub_type ?? 0) >>> 0;
  const names = type === 4 ? TRACE_SUBTYPES : type === 130 ? AGENT_SUBTYPES : [];
  return `${typeName}:${names[sub] ?? sub}`;
}

function enumFlag(name: string, table: Parameters<typeof enumName>[0], text: (n: string) => string | undefined = (n) => n): Format {
  return flag(name, (v) => {
    const n = typeof v === 'number' || typeof v === 'string' ? enumName(table, v) : undefined;
    return typeof n === 'string' ? text(n) : undefined;
  });
}

function ipVersion(v: unknown): FlagOccurrence | undefined {
  const n = typeof v === 'number' || typeof v === 'string' ? enumName(IPVersion, v) : undefined;
  return n === 'IPv4' ? ['--ipv4'] : n === 'IPv6' ? ['--ipv6'] : n === 'IP_NOT_USED' ? ['--ip-version', 'none'] : undefined;
}

/** Flags that write the same value into both filters, by field. */
export const BOTH: Partial<Record<keyof FlowFilter, Format>> = {
  uuid: flag('--uuid'), trace_id: flag('--trace-id'), source_ip_xlated: flag('--snat-ip'),
  verdict: enumFlag('--verdict', Verdict), drop_reason_desc: enumFlag('--drop-reason-desc', DropReason),
  traffic_direction: enumFlag('--traffic-direction', TrafficDirection, (n) => (n === 'TRAFFIC_DIRECTION_UNKNOWN' ? undefined : n.toLowerCase())),
  ip_version: ipVersion,
  http_status_code: flag('--http-status'), http_method: flag('--http-method'), http_path: flag('--http-path'),
  http_url: flag('--http-url'),
  http_header: flag('--http-header', (v) => (isObject(v) ? `${(v as HTTPHeader).key ?? ''}:${(v as HTTPHeader).value ?? ''}` : undefined)),
  protocol: flag('--protocol'), event_type: flag('--type', eventTypeText),
  node_name: flag('--node-name'), node_labels: flag('--node-label'),
  tcp_flags: flag('--tcp-flags', (v) => (isObject(v) ? TCP_FLAG_NAMES.filter((n) => (v as TCPFlags)[n] === true).map((n) => n.toLowerCase()).join(',') || undefined : undefined)),
  interface: flag('--interface', (v) => (!isObject(v) || (v as NetworkInterface).index ? undefined : ((v as NetworkInterface).name ?? ''))),
};

/** A two-sided field pair and its flags: `--<flag>`, `--from-<flag>`, `--to-<flag>`. */
export interface SplitField { source: keyof FlowFilter; destination: keyof FlowFilter; flag: string; text?: (v: unknown) => string | undefined }

/** Two-sided fields: the plain flag and its `--from-`/`--to-` forms. */
export const SPLIT: readonly SplitField[] = [
  { source: 'source_pod', destination: 'destination_pod', flag: 'pod' },
  { source: 'source_service', destination: 'destination_service', flag: 'service' },
  { source: 'source_ip', destination: 'destination_ip', flag: 'ip' },
  { source: 'source_fqdn', destination: 'destination_fqdn', flag: 'fqdn' },
  { source: 'source_label', destination: 'destination_label', flag: 'label' },
  { source: 'source_port', destination: 'destination_port', flag: 'port' },
  { source: 'source_identity', destination: 'destination_identity', flag: 'identity', text: identityText },
  { source: 'source_workload', destination: 'destination_workload', flag: 'workload', text: workloadText },
  { source: 'source_cluster_name', destination: 'destination_cluster_name', flag: 'cluster' },
];
