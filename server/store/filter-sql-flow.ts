/**
 * SQL for the FlowFilter fields about the flow as a whole (`lib/filter/match-flow.ts`): verdict, drop
 * reason, traffic direction, IP version, event type, uuid and trace id, reply, encryption, TCP flags,
 * node name and labels, interface, IP trace id.
 *
 * Enum columns hold wire numbers, with 0 also standing for what a smallint cannot hold (an unknown
 * enum name, a number outside -32768..32767). A non-zero filter value that fits is a plain column
 * comparison; 0 and out-of-range values are confirmed on the stored line.
 */
import { TCP_FLAG_NAMES } from '../../lib/flow/flow';
import { IPVersion, TrafficDirection, Verdict, type EnumTable } from '../../lib/flow/enums';
import { DropReason } from '../../lib/flow/drop-reasons';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import {
  fieldValues, integer, isBoolean, isEnumValue, isObject, isString, uint,
} from '../../lib/filter/field-values';
import { compileNodeNamePatterns } from '../../lib/filter/fqdn-pattern';
import { fqdnRegexSource } from './filter-sql-endpoint';
import { labelSelectorsSql } from './filter-sql-labels';
import { allSql, anySql, flowJson, flowJsonText, param, type SqlOut } from './filter-sql-params';

const inColumnRange = (n: number) => n !== 0 && n >= -32768 && n <= 32767;

/** The JSON texts an enum value can have in the stored line: its number, and its name when known. */
function enumTexts(table: EnumTable<string>, numbers: number[]): string[] {
  return numbers.flatMap((n) => {
    const name = table.byNumber.get(n);
    return name === undefined ? [String(n)] : [String(n), JSON.stringify(name)];
  });
}

function enumNumbers(table: EnumTable<string>, list: (string | number)[]): number[] {
  return [...new Set(list.map((v) => (typeof v === 'number' ? v : table.byName.get(v)!)))];
}

/**
 * `column` (filled by flowToRow from the enum at `path`) holds one of `numbers`: a non-zero number is
 * exact on the column; 0 and numbers the column cannot hold share the column value 0, so those rows
 * are confirmed on the stored line.
 */
function enumSql(out: SqlOut, column: string, path: string[], table: EnumTable<string>, numbers: number[]): string {
  const inRange = numbers.filter(inColumnRange);
  const other = numbers.filter((n) => !inColumnRange(n));
  const parts: string[] = [];
  if (inRange.length) parts.push(`${column} = ANY(${param(out, inRange, 'int[]')})`);
  if (other.length) {
    parts.push(`(${column} = 0 AND COALESCE(${flowJsonText(path)}, '0') = ANY(${param(out, enumTexts(table, other), 'text[]')}))`);
  }
  return anySql(parts);
}

/** `verdict`, `drop_reason_desc` (DROPPED flows only), `traffic_direction`, `ip_version`. */
export function enumsSql(filter: FlowFilter, out: SqlOut): void {
  const values = (field: keyof FlowFilter) => fieldValues(filter, field, isEnumValue, 'enum names or numbers');
  const verdicts = values('verdict');
  if (verdicts) out.conds.push(enumSql(out, 'verdict', ['verdict'], Verdict, enumNumbers(Verdict, verdicts)));
  const drops = values('drop_reason_desc');
  if (drops) {
    const reasons = enumSql(out, 'drop_reason', ['drop_reason_desc'], DropReason, enumNumbers(DropReason, drops));
    out.conds.push(`verdict = 2 AND ${reasons}`);
  }
  const directions = values('traffic_direction');
  if (directions) {
    out.conds.push(enumSql(out, 'traffic_direction', ['traffic_direction'], TrafficDirection, enumNumbers(TrafficDirection, directions)));
  }
  const versions = values('ip_version');
  if (versions) out.conds.push(enumSql(out, 'ip_version', ['IP', 'ipVersion'], IPVersion, enumNumbers(IPVersion, versions)));
}

const int32 = (v: unknown) => integer(v ?? 0, -(2 ** 31), 2 ** 31 - 1, 'event_type');

/**
 * `event_type`: type (0 = any) and, with `match_sub_type`, sub-type. The columns hold every int32 and
 * are NULL without an event_type; a part that is not an int32 is NULL too (no filter value equals it),
 * so only "any type" reads the stored line, and only for rows where both columns are NULL.
 */
export function eventTypesSql(filter: FlowFilter, out: SqlOut): void {
  const list = fieldValues(filter, 'event_type', isObject, 'EventTypeFilter objects');
  if (!list) return;
  const present = `(event_type IS NOT NULL OR event_sub_type IS NOT NULL OR ${flowJson(['event_type'])} IS NOT NULL)`;
  out.conds.push(anySql(list.map((e) => {
    const type = int32(e.type);
    const parts = type === 0 ? [] : [`event_type = ${param(out, type, 'int')}`];
    if (e.match_sub_type === true) parts.push(`event_sub_type = ${param(out, int32(e.sub_type), 'int')}`);
    return parts.length ? allSql(parts) : present;
  })));
}

/** `uuid` and `trace_id`: exact; an absent value is ''. */
export function exactStringsSql(filter: FlowFilter, out: SqlOut): void {
  for (const field of ['uuid', 'trace_id'] as const) {
    const list = fieldValues(filter, field, isString, 'strings');
    if (list) out.conds.push(`COALESCE(${field}, '') = ANY(${param(out, list, 'text[]')})`);
  }
}

function replySql(set: Set<boolean>): string {
  if (set.has(true) && set.has(false)) return 'is_reply IS NOT NULL OR verdict = 2';
  // Hubble reads is_reply only; an unknown is_reply counts as false for DROPPED flows.
  return set.has(true) ? 'is_reply = TRUE' : '(is_reply = FALSE OR (is_reply IS NULL AND verdict = 2))';
}

/** `reply`, `encrypted` (no column: read from the stored line), `tcp_flags`, `node_name`, `node_labels`. */
export function flowMiscSql(filter: FlowFilter, out: SqlOut): void {
  const replies = fieldValues(filter, 'reply', isBoolean, 'booleans');
  if (replies) out.conds.push(replySql(new Set(replies)));
  const encrypted = fieldValues(filter, 'encrypted', isBoolean, 'booleans');
  if (encrypted) {
    const texts = [...new Set(encrypted.map(String))];
    out.conds.push(`COALESCE(${flowJsonText(['IP', 'encrypted'])}, 'false') = ANY(${param(out, texts, 'text[]')})`);
  }
  const flags = fieldValues(filter, 'tcp_flags', isObject, 'TCPFlags objects');
  if (flags) {
    const masks = [...new Set(flags.map((entry) => TCP_FLAG_NAMES.reduce((m, name, i) => (entry[name] === true ? m | (1 << i) : m), 0)))];
    out.conds.push(`tcp_flags IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(${param(out, masks, 'int[]')}) AS m WHERE tcp_flags & m = m)`);
  }
  const nodeNames = fieldValues(filter, 'node_name', isString, 'strings');
  if (nodeNames) {
    const re = param(out, fqdnRegexSource(compileNodeNamePatterns(nodeNames)), 'text');
    // node_name is the flow's own (NULL when empty), the very value the matcher reads.
    out.conds.push(`(CASE WHEN strpos(node_name, '/') > 0 THEN node_name ELSE 'default/' || node_name END) ~ ${re}`);
  }
  const nodeLabels = fieldValues(filter, 'node_labels', isString, 'strings');
  if (nodeLabels) out.conds.push(labelSelectorsSql(out, 'node_labels', nodeLabels));
}

/**
 * `interface`: index (0 = any) and name ('' = any); a flow without an interface never matches.
 * `interface_index` is non-NULL exactly when the flow has an interface (-1 for an index that is not a
 * uint32, which no filter index equals); `interface_name` is NULL for an empty or non-string name.
 */
export function interfacesSql(filter: FlowFilter, out: SqlOut): void {
  const list = fieldValues(filter, 'interface', isObject, 'NetworkInterface objects');
  if (!list) return;
  out.conds.push(anySql(list.map((i) => {
    const index = uint(i.index ?? 0, 2 ** 32 - 1, 'interface');
    const name = String(i.name ?? '');
    const parts = index === 0 ? [] : [`interface_index = ${param(out, index, 'bigint')}`];
    if (name !== '') parts.push(`interface_name = ${param(out, name, 'text')}`);
    return parts.length ? allSql(parts) : 'interface_index IS NOT NULL';
  })));
}

/**
 * `ip_trace_id`: no column, so the id is read from the stored line and brought to the matcher's
 * canonical decimal (a digit string below 2^64 without leading zeros, or a safe non-negative integer).
 */
export function ipTraceIdsSql(filter: FlowFilter, out: SqlOut): void {
  const list = fieldValues(filter, 'ip_trace_id', (v): v is string | number => typeof v === 'string' || typeof v === 'number', 'uint64 values');
  if (!list) return;
  const ids = [...new Set(list.map((v) => BigInt(v).toString()))];
  const id = `CASE WHEN json_typeof(s.v) = 'object' THEN s.v -> 'trace_id' ELSE s.v END`;
  // Nested CASEs: the casts must only see digit strings.
  const digits = (text: string, max: string, result: string) =>
    `CASE WHEN ${text} <> '' AND translate(${text}, '0123456789', '') = '' THEN CASE WHEN ${text}::numeric ${max} THEN ${result} END END`;
  const canonical = `CASE WHEN t.j IS NULL THEN '0'`
    + ` WHEN json_typeof(t.j) = 'string' THEN ${digits(`(t.j #>> '{}')`, '< 18446744073709551616', `((t.j #>> '{}')::numeric)::text`)}`
    + ` WHEN json_typeof(t.j) = 'number' THEN ${digits('t.j::text', '<= 9007199254740991', 't.j::text')} END`;
  const value = `(SELECT ${canonical} FROM (SELECT ${flowJson(['ip_trace_id'])} AS v OFFSET 0) s CROSS JOIN LATERAL (SELECT ${id} AS j OFFSET 0) t)`;
  out.conds.push(`${value} = ANY(${param(out, ids, 'text[]')})`);
}
