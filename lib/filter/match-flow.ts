/**
 * Predicate builders for the FlowFilter fields about the flow as a whole: verdict, drop reason,
 * traffic direction, IP version, event type, uuid and trace id, reply, encryption, TCP flags, node
 * name and labels, interface, and IP trace id. Each validates its fields and pushes its checks.
 */
import { TCP_FLAG_NAMES, type Flow } from '../flow/flow';
import { IPVersion, TrafficDirection, Verdict, type EnumTable } from '../flow/enums';
import { DropReason } from '../flow/drop-reasons';
import { FilterError } from './filter-error';
import type { FlowFilter } from './flow-filter';
import {
  compileStringSet, fieldValues, inField, integer, isBoolean, isEnumValue, isObject, isString, uint, type Check,
} from './field-values';
import { compileNodeNameMatcher } from './fqdn-pattern';
import { compileLabelSelectors } from './label-selector';

const int32 = (v: unknown) => integer(v ?? 0, -(2 ** 31), 2 ** 31 - 1, 'event_type');

/** Accepted enum values as both numbers and names, so a flow's value is one Set lookup either way. */
function enumSet<N extends string>(table: EnumTable<N>, list: (string | number)[], field: string): Set<string | number> {
  const set = new Set<string | number>();
  for (const v of list) {
    const n = typeof v === 'number' ? v : table.byName.get(v);
    if (n === undefined) throw new FilterError(`unknown value ${JSON.stringify(v)}`, field);
    set.add(n);
    const name = table.byNumber.get(n);
    if (name !== undefined) set.add(name);
  }
  return set;
}

const isDropped = (flow: Flow) => flow.verdict === 'DROPPED' || flow.verdict === 2;

/** `verdict`, `drop_reason_desc`, `traffic_direction`, `ip_version`: enum names or numbers. */
export function compileEnums(filter: FlowFilter, checks: Check[]): void {
  const enumField = <N extends string>(field: keyof FlowFilter, table: EnumTable<N>) => {
    const list = fieldValues(filter, field, isEnumValue, 'enum names or numbers');
    return list && enumSet(table, list, field);
  };
  const verdicts = enumField('verdict', Verdict);
  if (verdicts) checks.push((f) => verdicts.has(f.verdict ?? 0));
  const drops = enumField('drop_reason_desc', DropReason);
  if (drops) checks.push((f) => isDropped(f) && drops.has(f.drop_reason_desc ?? 0));
  const directions = enumField('traffic_direction', TrafficDirection);
  if (directions) checks.push((f) => directions.has(f.traffic_direction ?? 0));
  const versions = enumField('ip_version', IPVersion);
  if (versions) checks.push((f) => versions.has(f.IP?.ipVersion ?? 0));
}

/** `event_type`: type, and sub-type when `match_sub_type` is set; type 0 matches any. */
export function compileEventTypes(filter: FlowFilter, checks: Check[]): void {
  const list = fieldValues(filter, 'event_type', isObject, 'EventTypeFilter objects');
  if (!list) return;
  const types = list.map((e) => ({ type: int32(e.type), matchSub: e.match_sub_type === true, sub: int32(e.sub_type) }));
  checks.push((flow) => {
    const et = flow.event_type;
    if (et === undefined) return false;
    const type = et.type ?? 0;
    const sub = et.sub_type ?? 0;
    for (const t of types) if ((t.type === 0 || t.type === type) && (!t.matchSub || t.sub === sub)) return true;
    return false;
  });
}

/** `uuid` and `trace_id`: exact matches. */
export function compileExactStrings(filter: FlowFilter, checks: Check[]): void {
  compileStringSet(filter, checks, 'uuid', (f) => f.uuid);
  compileStringSet(filter, checks, 'trace_id', (f) => f.trace_context?.parent?.trace_id);
}

/** `reply`, `encrypted`, `tcp_flags`, `node_name`, `node_labels`. */
export function compileFlowMisc(filter: FlowFilter, checks: Check[]): void {
  const replies = fieldValues(filter, 'reply', isBoolean, 'booleans');
  if (replies) {
    const set = new Set(replies);
    // Hubble reads is_reply only; an unknown is_reply counts as false for DROPPED flows.
    checks.push((f) => (f.is_reply != null || isDropped(f)) && set.has(f.is_reply ?? false));
  }
  const encrypted = fieldValues(filter, 'encrypted', isBoolean, 'booleans');
  if (encrypted) {
    const set = new Set(encrypted);
    checks.push((f) => set.has(f.IP?.encrypted ?? false));
  }
  const flags = fieldValues(filter, 'tcp_flags', isObject, 'TCPFlags objects');
  if (flags) {
    const sets = flags.map((entry) => TCP_FLAG_NAMES.filter((name) => entry[name] === true));
    checks.push((f) => {
      const have = f.l4?.TCP?.flags;
      return have !== undefined && sets.some((want) => want.every((name) => have[name] === true));
    });
  }
  const nodeNames = fieldValues(filter, 'node_name', isString, 'strings');
  if (nodeNames) {
    const match = inField('node_name', () => compileNodeNameMatcher(nodeNames));
    checks.push((f) => match(f.node_name));
  }
  const nodeLabels = fieldValues(filter, 'node_labels', isString, 'strings');
  if (nodeLabels) {
    const match = inField('node_labels', () => compileLabelSelectors(nodeLabels));
    checks.push((f) => match(f.node_labels));
  }
}

/** `interface`: index and name, 0 and empty matching any. */
export function compileInterfaces(filter: FlowFilter, checks: Check[]): void {
  const list = fieldValues(filter, 'interface', isObject, 'NetworkInterface objects');
  if (!list) return;
  const wanted = list.map((i) => ({ index: uint(i.index ?? 0, 2 ** 32 - 1, 'interface'), name: String(i.name ?? '') }));
  checks.push((f) => {
    const i = f.interface;
    return i !== undefined && wanted.some((w) => (w.index === 0 || w.index === (i.index ?? 0)) && (w.name === '' || w.name === (i.name ?? '')));
  });
}

/** uint64 as a canonical decimal string; undefined when not a valid uint64. */
function uint64Text(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) return undefined;
  const n = BigInt(v);
  return n < 2n ** 64n ? n.toString() : undefined;
}

/** `ip_trace_id`: uint64 ids. */
export function compileIPTraceIDs(filter: FlowFilter, checks: Check[]): void {
  const list = fieldValues(filter, 'ip_trace_id', (v): v is string | number => typeof v === 'string' || typeof v === 'number', 'uint64 values');
  if (!list) return;
  const set = new Set(list.map((v) => {
    const text = uint64Text(v);
    if (text === undefined) throw new FilterError(`invalid value ${JSON.stringify(v)}`, 'ip_trace_id');
    return text;
  }));
  checks.push((f) => {
    // The proto field is a message {trace_id, ip_option_type}; tolerate a bare id as well.
    const raw: unknown = (f as { ip_trace_id?: unknown }).ip_trace_id;
    const id = isObject(raw) ? raw.trace_id : raw;
    return set.has(uint64Text(id ?? 0) ?? '');
  });
}
