/**
 * SQL for the FlowFilter fields about protocols and payloads (`lib/filter/match-l7.ts`): `protocol`,
 * the `*_port` fields, the `http_*` fields and `dns_query`.
 */
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { fieldValues, isObject, isString } from '../../lib/filter/field-values';
import { anySql, flowJson, param, type SqlOut } from './filter-sql-params';
import { goRegExpToPostgres } from './filter-sql-regexp';
import { requestPathFrom } from './filter-sql-request-uri';

/** Ports exist on TCP, UDP and SCTP only; a pair without the port has port 0. */
export function portsSql(out: SqlOut, list: string[], column: string): string {
  const ports = [...new Set(list.map(Number))];
  return `l4_protocol IN ('TCP', 'UDP', 'SCTP') AND COALESCE(${column}, 0) = ANY(${param(out, ports, 'int[]')})`;
}

/**
 * Protocol names (validated by the matcher). `l4_protocol` is the Layer4 oneof's key; the L7 record
 * is read from columns that are non-NULL exactly when it exists (`dns_rcode`, `kafka_error_code`, and
 * `l7_protocol = 'http'`, which flowToRow writes whenever there is an http record).
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

function statusSql(out: SqlOut, codes: string[]): string {
  const full = codes.filter((c) => !c.endsWith('+')).map(Number);
  const prefixes = codes.filter((c) => c.endsWith('+')).map((c) => c.slice(0, -1));
  const parts: string[] = [];
  if (full.length) parts.push(`http_code = ANY(${param(out, full, 'int[]')})`);
  // Codes are compared as 3-digit, zero-padded text: below 100 they start with 0 and never match `N+`.
  for (const p of prefixes) parts.push(`(http_code >= 100 AND starts_with(http_code::text, ${param(out, p, 'text')}))`);
  return `http_code <> 0 AND ${anySql(parts)}`;
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
    out.conds.push(`EXISTS (SELECT 1 FROM ${requestPathFrom('http_url')} WHERE ${regexAny(out, 'd.path', res)})`);
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
