/**
 * `--allowlist` / `--denylist`: FlowFilter JSON read the way the CLI reads it (a `json.Decoder`
 * stream whose values go through protojson: proto or lowerCamel field names, enums by name or
 * number, `null` for "not set", unknown fields rejected), into the canonical model this package
 * uses everywhere: proto field names, known enums as names, defaults and empty lists left out.
 */
import { TCP_FLAG_NAMES, type TCPFlags } from '../flow/flow';
import { IPVersion, TrafficDirection, Verdict, enumName, type EnumTable } from '../flow/enums';
import { DropReason } from '../flow/drop-reasons';
import { FLOW_FILTER_FIELDS, type EventTypeFilter, type FlowFilter, type FlowFilterField } from './flow-filter';
import { JsonSyntaxError, parseJsonStream, type JsonObject, type JsonValue } from './observe-json';

/** A `--allowlist` / `--denylist` value that is not FlowFilter JSON. */
export class RawFilterError extends Error {}

type Kind = 'string' | 'uint32' | 'bool' | 'uint64' | 'event' | 'tcp' | 'workload' | 'header' | 'iface' | 'experimental' | EnumTable<string>;

const ENUMS: Partial<Record<FlowFilterField, EnumTable<string>>> = {
  verdict: Verdict, drop_reason_desc: DropReason, traffic_direction: TrafficDirection, ip_version: IPVersion,
};
const OTHER_KINDS: Partial<Record<FlowFilterField, Kind>> = {
  source_identity: 'uint32', destination_identity: 'uint32', reply: 'bool', encrypted: 'bool', ip_trace_id: 'uint64',
  event_type: 'event', tcp_flags: 'tcp', source_workload: 'workload', destination_workload: 'workload',
  http_header: 'header', interface: 'iface', experimental: 'experimental',
};
const kindOf = (f: FlowFilterField): Kind => ENUMS[f] ?? OTHER_KINDS[f] ?? 'string';

/** proto name → lowerCamelCase JSON name, as protoc derives `json_name`. */
const jsonName = (proto: string) => proto.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const BY_JSON_NAME = new Map<string, FlowFilterField>();
for (const f of FLOW_FILTER_FIELDS) {
  BY_JSON_NAME.set(f, f);
  BY_JSON_NAME.set(jsonName(f), f);
}

const show = (v: JsonValue) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? 'object' : JSON.stringify(v));
const bad = (type: string, field: string, v: JsonValue) => new RawFilterError(`proto: invalid value for ${type} field ${field}: ${show(v)}`);

function integer(v: JsonValue, min: number, max: number, type: string, field: string): number {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/.test(v)) n = Number(v);
  if (n === undefined || !Number.isInteger(n) || n < min || n > max) throw bad(type, field, v);
  return n;
}

/** Reads a message's fields by proto or JSON name; rejects unknown and duplicate fields. */
function fields(v: JsonValue, names: readonly string[], where: string): Map<string, JsonValue> {
  if (!(v instanceof Map)) throw new RawFilterError(`proto: invalid value for message ${where}: ${show(v)}`);
  const out = new Map<string, JsonValue>();
  for (const [key, value] of v) {
    const name = names.find((n) => n === key || jsonName(n) === key);
    if (name === undefined) throw new RawFilterError(`proto: unknown field ${JSON.stringify(key)}`);
    if (out.has(name)) throw new RawFilterError(`proto: duplicate field ${JSON.stringify(key)}`);
    if (value !== null) out.set(name, value);
  }
  return out;
}

function str(v: JsonValue | undefined, field: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw bad('string', field, v);
  return v;
}

/** Sets `key` on `out` only when `value` is not the proto default. */
function put<T extends object>(out: T, key: keyof T, value: string | number | boolean): void {
  if (value !== '' && value !== 0 && value !== false) (out as Record<keyof T, unknown>)[key] = value;
}

function eventType(v: JsonValue): EventTypeFilter {
  const m = fields(v, ['type', 'match_sub_type', 'sub_type'], 'event_type');
  const type = m.has('type') ? integer(m.get('type')!, -(2 ** 31), 2 ** 31 - 1, 'int32', 'type') : 0;
  const match = m.get('match_sub_type') ?? false;
  if (typeof match !== 'boolean') throw bad('bool', 'match_sub_type', match);
  const sub = m.has('sub_type') ? integer(m.get('sub_type')!, -(2 ** 31), 2 ** 31 - 1, 'int32', 'sub_type') : 0;
  return canonicalEventType({ type, match_sub_type: match, sub_type: sub });
}

/** The one shape an EventTypeFilter has in the model: `type` always, the sub-type when it matters. */
export function canonicalEventType(e: EventTypeFilter): EventTypeFilter {
  const out: EventTypeFilter = { type: e.type ?? 0 };
  if (e.match_sub_type === true) out.match_sub_type = true;
  if (e.match_sub_type === true || (e.sub_type ?? 0) !== 0) out.sub_type = e.sub_type ?? 0;
  return out;
}

function element(kind: Kind, v: JsonValue, field: string): unknown {
  if (typeof kind !== 'string') {
    if (typeof v === 'string') {
      if (!kind.byName.has(v)) throw new RawFilterError(`proto: invalid value for enum field ${field}: ${show(v)}`);
      return v;
    }
    return enumName(kind, integer(v, -(2 ** 31), 2 ** 31 - 1, 'enum', field));
  }
  switch (kind) {
    case 'string': return str(v, field);
    case 'uint32': return integer(v, 0, 2 ** 32 - 1, 'uint32', field);
    case 'bool':
      if (typeof v !== 'boolean') throw bad('bool', field, v);
      return v;
    case 'uint64': {
      const text = typeof v === 'bigint' ? v.toString() : typeof v === 'number' || typeof v === 'string' ? String(v) : '';
      if (!/^[0-9]+$/.test(text) || BigInt(text) >= 2n ** 64n) throw bad('uint64', field, v);
      return BigInt(text).toString();
    }
    case 'event': return eventType(v);
    case 'tcp': {
      const m = fields(v, TCP_FLAG_NAMES, field);
      const flags: TCPFlags = {};
      for (const [name, b] of m) {
        if (typeof b !== 'boolean') throw bad('bool', name, b);
        put(flags, name as keyof TCPFlags, b);
      }
      return flags;
    }
    case 'workload': case 'header': {
      const names = kind === 'workload' ? ['name', 'kind'] : ['key', 'value'];
      const m = fields(v, names, field);
      const out: Record<string, string> = {};
      for (const n of names) put(out, n, str(m.get(n), n));
      return out;
    }
    case 'iface': {
      const m = fields(v, ['index', 'name'], field);
      const out: { index?: number; name?: string } = {};
      put(out, 'index', m.has('index') ? integer(m.get('index')!, 0, 2 ** 32 - 1, 'uint32', 'index') : 0);
      put(out, 'name', str(m.get('name'), 'name'));
      return out;
    }
    case 'experimental': throw new Error('experimental is decoded on its own');
  }
}

function experimental(v: JsonValue): FlowFilter['experimental'] {
  const m = fields(v, ['cel_expression'], 'experimental');
  const list = m.get('cel_expression');
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw bad('list', 'cel_expression', list);
  const cel = list.map((x) => str(x, 'cel_expression'));
  return cel.length > 0 ? { cel_expression: cel } : undefined;
}

/** Decodes one FlowFilter JSON value into the canonical model. Throws a RawFilterError naming the problem. */
export function flowFilterFromJson(v: JsonValue): FlowFilter {
  if (!(v instanceof Map)) throw new RawFilterError(`proto: syntax error: expected a JSON object, got ${show(v)}`);
  const seen = new Map<FlowFilterField, JsonValue>();
  for (const [key, value] of v as JsonObject) {
    const field = BY_JSON_NAME.get(key);
    if (field === undefined) throw new RawFilterError(`proto: unknown field ${JSON.stringify(key)}`);
    if (seen.has(field)) throw new RawFilterError(`proto: duplicate field ${JSON.stringify(key)}`);
    seen.set(field, value);
  }
  const out: Record<string, unknown> = {};
  for (const field of FLOW_FILTER_FIELDS) {
    const value = seen.get(field);
    if (value === undefined || value === null) continue;
    const kind = kindOf(field);
    if (kind === 'experimental') {
      const exp = experimental(value);
      if (exp) out.experimental = exp;
      continue;
    }
    if (!Array.isArray(value)) throw new RawFilterError(`proto: invalid value for list field ${field}: ${show(value)}`);
    if (value.length > 0) out[field] = value.map((x) => element(kind, x, field));
  }
  return out as FlowFilter;
}

/** Parses one `--allowlist`/`--denylist` value: zero or more FlowFilter JSON objects. Throws RawFilterError. */
export function parseRawFilters(text: string): FlowFilter[] {
  let values: JsonValue[];
  try {
    values = parseJsonStream(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new RawFilterError(e.message);
    throw e;
  }
  return values.map(flowFilterFromJson);
}

/** The same filter with its fields in the model's field order (FLOW_FILTER_FIELDS), for stable JSON. */
export function orderedFilter(f: FlowFilter): FlowFilter {
  const out: Record<string, unknown> = {};
  for (const field of FLOW_FILTER_FIELDS) if (f[field] !== undefined) out[field] = f[field];
  return out as FlowFilter;
}

/** A key that is equal for two filters exactly when they are equal as protobuf messages (canonical model). */
export function filterKey(f: FlowFilter): string {
  return JSON.stringify(f, (_, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
