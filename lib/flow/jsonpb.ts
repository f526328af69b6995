/**
 * `hubble observe -o jsonpb` lines ⇄ FlowsResponse. Parsing accepts what protojson accepts
 * (proto names or lowerCamel JSON names, enum names or numbers, 64-bit integers as numbers or
 * strings) and normalizes to the printed form, so printing a parsed line gives the line back.
 */
import {
  AuthType, FlowType, IPVersion, L7FlowType, LostEventSource, NodeState, TraceObservationPoint,
  TraceReason, TrafficDirection, Verdict, enumName, type EnumTable,
} from './enums';
import { DropReason } from './drop-reasons';
import type { FlowsResponse } from './flow';
import { formatTimestamp, parseTimestamp } from '../time/timestamp';

/** A line that is not a GetFlowsResponse; `message` says why. */
export class JsonpbError extends Error {
  override name = 'JsonpbError';
}

/** Proto field names that are not snake_case; every other camelCase key is a JSON name. */
const PROTO_NAMES_WITH_CAPITALS = new Set([
  'IP', 'ID', 'Type', 'Summary', 'TCP', 'UDP', 'SCTP', 'ICMPv4', 'ICMPv6', 'VRRP', 'IGMP', 'ipVersion',
  'FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS',
]);

const ENUM_FIELDS: Record<string, EnumTable<string>> = {
  verdict: Verdict, Type: FlowType, traffic_direction: TrafficDirection,
  trace_observation_point: TraceObservationPoint, trace_reason: TraceReason, drop_reason_desc: DropReason,
  auth_type: AuthType, ipVersion: IPVersion, state_change: NodeState,
};
/** Enum fields whose name is shared with non-enum fields elsewhere, keyed by parent field. */
const NESTED_ENUM_FIELDS: Record<string, Record<string, EnumTable<string>>> = {
  l7: { type: L7FlowType },
  lost_events: { source: LostEventSource },
};
const INT64_FIELDS = new Set(['latency_ns', 'revision', 'socket_cookie', 'cgroup_id', 'num_events_lost', 'trace_id']);
const TIMESTAMP_FIELDS = new Set(['time']);

function protoName(key: string): string {
  if (PROTO_NAMES_WITH_CAPITALS.has(key) || !/[A-Z]/.test(key)) return key;
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function normalize(value: unknown, parent: string, warnings: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, parent, warnings));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [rawKey, raw] of Object.entries(value as Record<string, unknown>)) {
    if (raw === null) continue; // protojson: null means "not set"
    const key = protoName(rawKey);
    out[key] = normalizeField(key, raw, parent, warnings);
  }
  return out;
}

function normalizeField(key: string, raw: unknown, parent: string, warnings: string[]): unknown {
  const table = NESTED_ENUM_FIELDS[parent]?.[key] ?? (key in ENUM_FIELDS ? ENUM_FIELDS[key] : undefined);
  if (table && (typeof raw === 'string' || typeof raw === 'number')) {
    const name = enumName(table, raw);
    if (name === undefined || (typeof raw === 'string' && typeof name === 'number' && !/^\d+$/.test(raw))) {
      warnings.push(`unknown ${key} value ${JSON.stringify(raw)}`);
      return raw;
    }
    return name;
  }
  if (INT64_FIELDS.has(key) && (typeof raw === 'number' || typeof raw === 'string')) return String(raw);
  if (TIMESTAMP_FIELDS.has(key)) {
    const ts = typeof raw === 'string' ? parseTimestamp(raw) : undefined;
    if (!ts) throw new JsonpbError(`${parent ? `${parent}.` : ''}${key}: not an RFC 3339 timestamp: ${JSON.stringify(raw)}`);
    return formatTimestamp(ts);
  }
  return normalize(raw, key, warnings);
}

/** The result of reading one jsonpb line: the response and any non-fatal oddities in it. */
export interface ParsedLine { response: FlowsResponse; warnings: string[] }

/**
 * Parses one `hubble observe -o jsonpb` line. Throws JsonpbError for a line that is not JSON or
 * not a GetFlowsResponse; unknown enum names are kept as they are and reported as warnings.
 */
export function flowsResponseFromJson(line: string): ParsedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new JsonpbError(`not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new JsonpbError('not a JSON object');
  }
  const warnings: string[] = [];
  const response = normalize(parsed, '', warnings) as FlowsResponse;
  const events = ['flow', 'node_status', 'lost_events'].filter((k) => k in response);
  if (events.length === 0) {
    // The legacy JSON output prints a bare Flow; accept it the way the CLI's compat mode writes it.
    if ('verdict' in response || 'IP' in response || 'source' in response || 'Type' in response) {
      return { response: { flow: response as FlowsResponse['flow'] }, warnings };
    }
    throw new JsonpbError('no flow, node_status or lost_events in line');
  }
  if (events.length > 1) throw new JsonpbError(`more than one event in line: ${events.join(', ')}`);
  for (const k of events) {
    const v = (response as Record<string, unknown>)[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new JsonpbError(`${k} is not an object`);
  }
  return { response, warnings };
}

/** Prints a response as one jsonpb line (without the newline). */
export function flowsResponseToJson(response: FlowsResponse): string {
  return JSON.stringify(response);
}
