/**
 * SQL for the FlowFilter fields about protocols and payloads (`lib/filter/match-l7.ts`): `protocol`,
 * the `*_port` fields, the `http_*` fields and `dns_query`.
 */
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { fieldValues, isObject, isString } from '../../lib/filter/field-values';
import { anySql, flowJson, param, type SqlOut } from './filter-sql-params';
import { goRegExpToPostgres } from './filter-sql-regexp';

/**
 * Ports exist on TCP, UDP and SCTP only. flowToRow fills the port columns from the pair the matcher
 * reads (0 for an absent port, NULL without a pair and for a value that is no valid port at all).
 */
export function portsSql(out: SqlOut, list: string[], column: string): string {
  const ports = [...new Set(list.map(Number))];
  return `${column} = ANY(${param(out, ports, 'int[]')})`;
}

/**
 * Protocol names (validated by the matcher). `l4_protocol` is the Layer4 oneof's key; the L7 record
 * is read from columns that are non-NULL exactly when it exists (`dns_rcode` and `kafka_error_code`,
 * which flowToRow fills with a stand-in for a value they cannot hold, and `l7_protocol = 'http'`,
 * which it writes whenever there is an http record).
 */
const PROTOCOL_SQL: Record<string, string> = {
  tcp: `l4_protocol = 'TCP'`, udp: `l4_protocol = 'UDP'`, sctp: `l4_protocol = 'SCTP'`,
  icmp: `l4_protocol IN ('ICMPv4', 'ICMPv6')`, icmpv4: `l4_protocol = 'ICMPv4'`, icmpv6: `l4_protocol = 'ICMPv6'`,
  vrrp: `l4_protocol = 'VRRP'`, igmp: `l4_protocol = 'IGMP'`,
  http: `l7_protocol = 'http'`, dns: 'dns_rcode IS NOT NULL', kafka: 'kafka_error_code IS NOT NULL',
};

export function protocolsSql(filter: FlowFilter, out: SqlOut): void {
  const list = fieldValues(filter, 'protocol', isString, 'strings');
  if (list) out.conds.push(anySql([...new Set(list.map((p) => PROTOCOL_SQL[p.toLowerCase()]))]));
}

function regexps(list: string[], field: string): string[] {
  return list.map((source) => {
    try {
      return goRegExpToPostgres(source);
    } catch (e) {
      if (e instanceof FilterError && e.field === undefined) throw new FilterError(e.message, field);
      throw e;
    }
  });
}

const regexAny = (out: SqlOut, subject: string, res: string[]) =>
  anySql(res.map((re) => `${subject} ~ ${param(out, re, 'text')}`));

/**
 * The text the matcher pads and compares for an http record whose code flowToRow could not store (a
 * fraction, a number beyond 2^53, a string): its JSON number text (JSON.stringify writes what String
 * does) or its string value. Other JSON types never read like a status code.
 */
const RAW_CODE_TEXT = `(SELECT CASE json_typeof(s.j) WHEN 'number' THEN s.j::text WHEN 'string' THEN s.j #>> '{}' END`
  + ` FROM (SELECT ${flowJson(['l7', 'http', 'code'])} AS j OFFSET 0) s)`;

/**
 * Status codes as the matcher reads them: `String(code).padStart(3, '0')`, compared whole or by
 * prefix. A padded text starts with 0, which no code or prefix does, so only texts of at least three
 * UTF-16 units can match (`long`); `code` is the text, `whole` its comparison with the full codes.
 */
function codeSql(out: SqlOut, whole: string | undefined, prefixes: string[], code: string, long: string): string {
  const parts = whole === undefined ? [] : [whole];
  for (const p of prefixes) parts.push(`(${long} AND starts_with(${code}, ${param(out, p, 'text')}))`);
  return anySql(parts);
}

/**
 * `http_code` holds the code when it is a safe integer (0 when absent), else NULL: those rows, when
 * they have an http record (`l7_protocol = 'http'`), are read from the stored line.
 */
function statusSql(out: SqlOut, codes: string[]): string {
  const full = codes.filter((c) => !c.endsWith('+'));
  const prefixes = codes.filter((c) => c.endsWith('+')).map((c) => c.slice(0, -1));
  const some = full.length > 0;
  const column = codeSql(out, some ? `http_code = ANY(${param(out, full.map(Number), 'bigint[]')})` : undefined,
    prefixes, 'http_code::text', 'http_code >= 100');
  // A string of two code points may be three UTF-16 units long (the second one astral).
  const long = `(length(t.c) >= 3 OR (length(t.c) = 2 AND ascii(right(t.c, 1)) > 65535))`;
  const text = codeSql(out, some ? `t.c = ANY(${param(out, full, 'text[]')})` : undefined, prefixes, 't.c', long);
  const raw = `EXISTS (SELECT 1 FROM (SELECT ${RAW_CODE_TEXT} AS c OFFSET 0) t WHERE ${text})`;
  return `CASE WHEN http_code IS NOT NULL THEN ${column} WHEN l7_protocol = 'http' THEN ${raw} ELSE FALSE END`;
}

/**
 * Methods compare like Go's EqualFold. For an ASCII method that is ASCII case folding (no non-ASCII
 * text folds onto ASCII both ways), which `translate` does whatever the database's locale; non-ASCII
 * methods are rejected, because JavaScript's and PostgreSQL's Unicode case mappings differ.
 */
function methodSql(out: SqlOut, methods: string[]): string {
  for (const m of methods) {
    if (/[^\x00-\x7f]/.test(m)) throw new FilterError(`non-ASCII method ${JSON.stringify(m)} cannot be matched on stored flows`, 'http_method');
  }
  const folded = [...new Set(methods.map((m) => m.toLowerCase()))];
  return `translate(http_method, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = ANY(${param(out, folded, 'text[]')})`;
}

/**
 * Headers are stored as `key:value`, which is ambiguous when the key or value holds a `:`; those are
 * confirmed on the stored line's headers.
 */
function headersSql(out: SqlOut, list: Record<string, unknown>[]): string {
  const wanted = list.map((h) => ({ key: String(h.key ?? ''), value: String(h.value ?? '') }));
  const plain = wanted.filter((w) => !w.key.includes(':') && !w.value.includes(':'));
  const colon = wanted.filter((w) => w.key.includes(':') || w.value.includes(':'));
  const parts: string[] = [];
  if (plain.length) parts.push(`http_headers && ${param(out, plain.map((w) => `${w.key}:${w.value}`), 'text[]')}`);
  if (colon.length) {
    const exact = anySql(colon.map((w) => `(COALESCE((e -> 'key')::text, '""') = ${param(out, JSON.stringify(w.key), 'text')}`
      + ` AND COALESCE((e -> 'value')::text, '""') = ${param(out, JSON.stringify(w.value), 'text')})`));
    parts.push(`(http_headers && ${param(out, colon.map((w) => `${w.key}:${w.value}`), 'text[]')}`
      + ` AND EXISTS (SELECT 1 FROM json_array_elements(${flowJson(['l7', 'http', 'headers'])}) AS e WHERE ${exact}))`);
  }
  return anySql(parts);
}

/** The `http_*` fields (the matcher has already rejected them next to a non-L7 event type filter). */
export function httpSql(filter: FlowFilter, out: SqlOut): void {
  const codes = fieldValues(filter, 'http_status_code', isString, 'strings');
  if (codes) out.conds.push(statusSql(out, codes));
  const methods = fieldValues(filter, 'http_method', isString, 'strings');
  if (methods) out.conds.push(methodSql(out, methods));
  const paths = fieldValues(filter, 'http_path', isString, 'strings');
  if (paths) {
    const res = regexps(paths, 'http_path');
    // http_path is requestURIPath(url), the matcher's own value, NULL where it has none.
    out.conds.push(regexAny(out, 'http_path', res));
  }
  const urls = fieldValues(filter, 'http_url', isString, 'strings');
  if (urls) out.conds.push(regexAny(out, 'http_url', regexps(urls, 'http_url')));
  const headers = fieldValues(filter, 'http_header', isObject, 'HTTPHeader objects');
  if (headers) out.conds.push(headersSql(out, headers));
}

/** `dns_query`: regexps over the query of a DNS record (`dns_rcode` is set exactly when there is one). */
export function dnsSql(filter: FlowFilter, out: SqlOut): void {
  const queries = fieldValues(filter, 'dns_query', isString, 'strings');
  if (queries) out.conds.push(`dns_rcode IS NOT NULL AND ${regexAny(out, `COALESCE(dns_query, '')`, regexps(queries, 'dns_query'))}`);
}
