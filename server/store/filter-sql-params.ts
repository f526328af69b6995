/**
 * Shared pieces of the FlowFilter → SQL compiler (`filter-sql.ts`): the parameter collector, the
 * condition list each field builder appends to, and access to the stored jsonpb line (`raw`) for the
 * few facts the typed columns do not keep.
 *
 * Every value that comes from a filter goes through {@link SqlParams}; SQL text only ever holds column
 * names, operators and constants written in this code.
 */
import type { SqlParam } from './db';

/** Collects query parameters; `add` returns the placeholder (`$1`, `$2`, ...) to put in the SQL text. */
export class SqlParams {
  readonly values: SqlParam[] = [];

  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What a field builder appends its conditions to: each one a boolean SQL expression (NULL counts as false). */
export interface SqlOut {
  readonly params: SqlParams;
  readonly conds: string[];
}

/** A parameter cast to a type: `$3::text[]`. */
export function param(out: SqlOut, value: SqlParam, type: string): string {
  return `${out.params.add(value)}::${type}`;
}

/** `a OR b OR ...` in parentheses; `FALSE` for none. */
export function anySql(parts: readonly string[]): string {
  if (parts.length === 0) return 'FALSE';
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** `a AND b AND ...` in parentheses; `TRUE` for none. */
export function allSql(parts: readonly string[]): string {
  if (parts.length === 0) return 'TRUE';
  return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
}

/**
 * `raw` as json. A string holding U+0000 is stored as the escape `\u0000`, which PostgreSQL's json
 * operators refuse to de-escape (the whole query would fail); such escapes become `\u0041`, which
 * JSON.stringify never writes, so the value can still never equal a filter value (filter values with
 * U+0000 are rejected up front).
 */
const RAW_JSON = String.raw`(CASE WHEN strpos(raw, '\u0000') = 0 THEN raw ELSE regexp_replace(raw, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\u0041', 'g') END)::json`;

/**
 * The json value at `flow.<path>` of the stored line (NULL when absent); path parts are constants of
 * this code. Parsing the line is the expensive part, so it is skipped when the last key does not occur
 * as a key anywhere in the text (inside a JSON string every `"` is escaped, so `"key":` is always a key).
 */
export function flowJson(path: readonly string[]): string {
  return `(CASE WHEN strpos(raw, '"${path[path.length - 1]}":') > 0 THEN ${RAW_JSON} #> '{flow,${path.join(',')}}' END)`;
}

/**
 * The JSON text of `flow.<path>` (NULL when absent), to compare with `JSON.stringify(value)`: the stored
 * line is JSON.stringify output and the json type keeps a value's original text, so equal texts mean
 * equal values, with no de-escaping involved.
 */
export function flowJsonText(path: readonly string[]): string {
  return `${flowJson(path)}::text`;
}

/** U+0000 and lone UTF-16 surrogates: JS strings can hold them, PostgreSQL text cannot. */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a value (or anything inside it) is a string PostgreSQL text cannot hold as it is. */
export function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsUnstorable);
  return false;
}

/** An address as text PostgreSQL's inet reads unambiguously (dotted quad, or eight hex groups). */
export function inetText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

/** A prefix as cidr text: the address masked to `bits`, so PostgreSQL accepts it as cidr. */
export function cidrText(addr: Uint8Array, bits: number): string {
  const masked = addr.map((b, i) => {
    const keep = Math.min(8, Math.max(0, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return `${inetText(masked)}/${bits}`;
}
