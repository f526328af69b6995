/**
 * SQL for the FlowFilter fields about one endpoint (`lib/filter/match-endpoint.ts`): `{source,
 * destination}_` ip, pod, service, fqdn, label, port, identity, workload, cluster name, and
 * `source_ip_xlated`. Values are already validated by the matcher.
 */
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { fieldValues, isObject, isString, uint, type Side } from '../../lib/filter/field-values';
import { compileFQDNPatterns } from '../../lib/filter/fqdn-pattern';
import { parseIPAddress, parseIPPrefix } from '../../lib/filter/ip-address';
import { labelSelectorsSql } from './filter-sql-labels';
import { portsSql } from './filter-sql-l7';
import { anySql, allSql, cidrText, flowJson, flowJsonText, inetText, param, type SqlOut } from './filter-sql-params';

const COLUMN_PREFIX: Record<Side, string> = { source: 'src', destination: 'dst' };

/**
 * Exact address strings or CIDRs. The column is inet, but Hubble compares the flow's text: IPv4 text
 * is unique per address, so inet equality is exact; IPv6 text is not (case, `::` placement), so an
 * inet-equal row is confirmed on the stored line's text. Zoned addresses (`fe80::1%eth0`) do not fit
 * inet at all (flowToRow stores NULL for them) and are compared on the stored line, for rows with a
 * NULL column only; flows with a zone never fall inside a CIDR, and never equal an address without one.
 */
function ipSql(out: SqlOut, list: string[], column: string, jsonPath: string[]): string {
  const v4: string[] = [];
  const v6: string[] = [];
  const v6Texts: string[] = [];
  const zoned: string[] = [];
  const prefixes: string[] = [];
  for (const ip of list) {
    if (ip.includes('/')) {
      const p = parseIPPrefix(ip)!;
      prefixes.push(cidrText(p.addr.bytes, p.bits));
      continue;
    }
    const addr = parseIPAddress(ip)!;
    if (addr.zone !== '') zoned.push(JSON.stringify(ip));
    else if (addr.bytes.length === 4) v4.push(inetText(addr.bytes));
    else {
      v6.push(inetText(addr.bytes));
      v6Texts.push(JSON.stringify(ip));
    }
  }
  const parts: string[] = [];
  if (v4.length) parts.push(`${column} = ANY(${param(out, v4, 'inet[]')})`);
  if (v6.length) {
    parts.push(`(${column} = ANY(${param(out, v6, 'inet[]')}) AND ${flowJsonText(jsonPath)} = ANY(${param(out, v6Texts, 'text[]')}))`);
  }
  if (zoned.length) parts.push(`(${column} IS NULL AND ${flowJsonText(jsonPath)} = ANY(${param(out, zoned, 'text[]')}))`);
  if (prefixes.length) parts.push(`${column} <<= ANY(${param(out, prefixes, 'cidr[]')})`);
  return anySql(parts);
}

/** `[ns/]prefix` (bare = namespace `default`, `/prefix` any namespace); endpoints with neither never match. */
function namespacedSql(out: SqlOut, list: string[], nsColumn: string, nameColumn: string): string {
  const alternatives = list.map((v) => {
    const parts = v.split('/');
    const [ns, prefix] = parts.length > 1 ? [parts[0], parts[1]] : ['default', parts[0]];
    const conds: string[] = [];
    if (ns !== '') conds.push(`${nsColumn} = ${param(out, ns, 'text')}`);
    if (prefix !== '') conds.push(`starts_with(${nameColumn}, ${param(out, prefix, 'text')})`);
    return allSql(conds);
  });
  return `(${nsColumn} IS NOT NULL OR ${nameColumn} IS NOT NULL) AND ${anySql(alternatives)}`;
}

/** FQDN wildcard patterns: the matcher's anchored regexp is plain enough to mean the same in an ARE. */
export function fqdnRegexSource(re: RegExp): string {
  if (!/^[-\\.[\]0-9a-z_*+?:()|^$/]*$/.test(re.source)) throw new Error(`unexpected FQDN pattern ${re.source}`);
  return re.source;
}

/** Workloads are stored as `kind/name`; an element with more than one `/` is ambiguous and read from `raw`. */
function workloadsSql(out: SqlOut, list: Record<string, unknown>[], column: string, side: Side): string {
  const wanted = list.map((w) => ({ name: String(w.name ?? ''), kind: String(w.kind ?? '') }));
  if (wanted.some((w) => w.name === '' && w.kind === '')) return `${column} IS NOT NULL`;
  const plain = anySql(wanted.map((w) => allSql([
    ...(w.kind === '' ? [] : [`split_part(w, '/', 1) = ${param(out, w.kind, 'text')}`]),
    ...(w.name === '' ? [] : [`substr(w, strpos(w, '/') + 1) = ${param(out, w.name, 'text')}`]),
  ])));
  const json = anySql(wanted.map((w) => allSql([
    ...(w.kind === '' ? [] : [`COALESCE((e -> 'kind')::text, '""') = ${param(out, JSON.stringify(w.kind), 'text')}`]),
    ...(w.name === '' ? [] : [`COALESCE((e -> 'name')::text, '""') = ${param(out, JSON.stringify(w.name), 'text')}`]),
  ])));
  const ambiguous = `EXISTS (SELECT 1 FROM unnest(${column}) AS w WHERE strpos(substr(w, strpos(w, '/') + 1), '/') > 0)`;
  return `${column} IS NOT NULL AND CASE WHEN ${ambiguous}`
    + ` THEN EXISTS (SELECT 1 FROM json_array_elements(${flowJson([side, 'workloads'])}) AS e WHERE ${json})`
    + ` ELSE EXISTS (SELECT 1 FROM unnest(${column}) AS w WHERE ${plain}) END`;
}

/**
 * Identity equality. flowToRow stores 0 for an endpoint without identity and -1 for one that is not a
 * uint32 (no filter value equals it), NULL only without the endpoint: the column alone decides.
 */
function identitySql(out: SqlOut, list: (number | string)[], column: string, field: string): string {
  const ids = [...new Set(list.map((v) => uint(v, 2 ** 32 - 1, field)))];
  return `${column} = ANY(${param(out, ids, 'bigint[]')})`;
}

/** All `<side>_*` fields of one side, in the matcher's order. */
export function endpointSql(filter: FlowFilter, side: Side, out: SqlOut): void {
  const c = COLUMN_PREFIX[side];
  const field = (suffix: string) => `${side}_${suffix}` as keyof FlowFilter;
  const strings = (suffix: string) => fieldValues(filter, field(suffix), isString, 'strings');
  const ips = strings('ip');
  if (ips) out.conds.push(ipSql(out, ips, `${c}_ip`, ['IP', side]));
  const xlated = side === 'source' ? strings('ip_xlated') : undefined;
  if (xlated) out.conds.push(ipSql(out, xlated, 'src_ip_xlated', ['IP', 'source_xlated']));
  const pods = strings('pod');
  if (pods) out.conds.push(namespacedSql(out, pods, `${c}_namespace`, `${c}_pod`));
  const services = strings('service');
  if (services) out.conds.push(namespacedSql(out, services, `${c}_service_ns`, `${c}_service`));
  const fqdns = strings('fqdn');
  if (fqdns) {
    const re = param(out, fqdnRegexSource(compileFQDNPatterns(fqdns)), 'text');
    out.conds.push(`EXISTS (SELECT 1 FROM unnest(${c}_names) AS n WHERE n ~ ${re})`);
  }
  const labels = strings('label');
  if (labels) out.conds.push(labelSelectorsSql(out, `${c}_labels`, labels));
  const ports = strings('port');
  if (ports) out.conds.push(portsSql(out, ports, `${c}_port`));
  const identities = fieldValues(filter, field('identity'), (v): v is number | string => typeof v === 'number' || typeof v === 'string', 'identities');
  if (identities) out.conds.push(identitySql(out, identities, `${c}_identity`, field('identity')));
  const workloads = fieldValues(filter, field('workload'), isObject, 'Workload objects');
  if (workloads) out.conds.push(workloadsSql(out, workloads, `${c}_workloads`, side));
}

/** `source_cluster_name`, `destination_cluster_name`: exact, non-empty names. */
export function clusterNamesSql(filter: FlowFilter, out: SqlOut): void {
  for (const [name, column] of [['source_cluster_name', 'src_cluster'], ['destination_cluster_name', 'dst_cluster']] as const) {
    const list = fieldValues(filter, name, isString, 'strings');
    if (list) out.conds.push(`${column} = ANY(${param(out, list, 'text[]')})`);
  }
}
