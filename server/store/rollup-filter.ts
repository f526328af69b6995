/**
 * FlowFilterSet → a parameterized SQL condition over the edge rollup tables (edge_minute, edge_hour),
 * when, and only when, the rollup columns answer the filter exactly: aggregating the flows the
 * in-memory matcher accepts with EDGE_KEY_FROM_FLOWS gives the very rows the condition selects
 * (rollup-filter.int.test.ts checks that for thousands of random filters).
 *
 * What the rollups keep decides what can be answered:
 * - flow-wide facts: `verdict` and `drop_reason_desc` (non-zero wire numbers that fit a smallint;
 *   0 and out-of-range values share the stored 0 with unknown names), `protocol` (the L4 key, and the
 *   L7 record behind the l7 summary);
 * - per side, only the namespace and the cluster: `--namespace x` (`[ns/]` pod values with an empty
 *   name prefix) and `--cluster` style cluster names. Entities are workloads, so pod name prefixes,
 *   labels, IPs, identities, services of the client, FQDNs, ports (only the server's is kept) and
 *   everything L7 beyond the protocol are not there.
 *
 * Sides: a rollup row is client → server, and a reply is counted on the edge of the request it answers,
 * sides swapped; hubble's `--from-*` / `--to-*` test the flow's own source and destination, which for a
 * reply are the server and the client. Which flows are replies is not kept, so a one-sided filter
 * cannot be answered exactly. A set is answered only when it reads the same with the sides swapped:
 * every whitelist (and blacklist) filter's mirror image is in the same list, as `--namespace x`
 * (`{source_pod: [x/]} OR {destination_pod: [x/]}`) and `--not --namespace x` build it. Any other use
 * of a side is `unsupported`, and the caller aggregates raw flows instead (compileFilterSql +
 * EDGE_KEY_FROM_FLOWS).
 *
 * Assumption: Layer7 is a oneof, so a flow holds at most one of http, dns and kafka (a relay never
 * sends more); the `dns` and `kafka` protocols are read from the l7 summary, which names the first.
 */
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict, type EnumTable } from '../../lib/flow/enums';
import { fieldValues, isEnumValue, isString } from '../../lib/filter/field-values';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters } from '../../lib/filter/match';
import type { SqlParams } from './filter-sql-params';

/** The SQL condition over unqualified rollup columns, or why the rollups cannot answer the set. */
export type RollupFilterResult = { sql: string } | { unsupported: string };

/** Conditions on the rollups' `protocol` (L4) and `l7` (summary) columns, per hubble protocol name. */
const PROTOCOL_SQL: Record<string, string> = {
  tcp: `protocol = 'TCP'`, udp: `protocol = 'UDP'`, sctp: `protocol = 'SCTP'`,
  icmp: `protocol IN ('ICMPv4', 'ICMPv6')`, icmpv4: `protocol = 'ICMPv4'`, icmpv6: `protocol = 'ICMPv6'`,
  vrrp: `protocol = 'VRRP'`, igmp: `protocol = 'IGMP'`,
  http: `starts_with(l7, 'http')`, dns: `starts_with(l7, 'dns')`, kafka: `starts_with(l7, 'kafka')`,
};

/** Why a field the rollups do not keep cannot be answered, by field (flags in parentheses). */
const NOT_KEPT: Partial<Record<keyof FlowFilter, string>> = {
  source_port: 'ports (--port, --from-port): the rollups keep only the server port',
  destination_port: 'ports (--port, --to-port): the rollups keep only the server port',
  reply: '--reply: the rollups count replies on their request\'s edge',
  source_service: 'services (--service, --from-service): the rollups keep only the server\'s service',
  destination_service: 'services (--service, --to-service): the rollups keep the server\'s service, which for a reply is the source',
};

const SIDED = ['source_pod', 'destination_pod', 'source_cluster_name', 'destination_cluster_name'] as const;
const FLOW_WIDE = ['verdict', 'drop_reason_desc', 'protocol'] as const;
const SUPPORTED = new Set<string>([...SIDED, ...FLOW_WIDE]);

/** One filter as the rollups read it: sorted, deduplicated values per supported field. */
interface RollupFilter {
  verdicts: number[];
  dropReasons: number[];
  protocols: string[];
  srcNamespaces: string[];
  dstNamespaces: string[];
  srcClusters: string[];
  dstClusters: string[];
}

class Unsupported extends Error {}

const sorted = <T extends string | number>(values: T[]): T[] =>
  [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Wire numbers the rollup's smallint column holds as they are: non-zero and in range. */
function enumNumbers(filter: FlowFilter, field: 'verdict' | 'drop_reason_desc', table: EnumTable<string>, flag: string): number[] {
  const values = fieldValues(filter, field, isEnumValue, 'enum names or numbers') ?? [];
  const numbers = values.map((v) => (typeof v === 'number' ? v : table.byName.get(v)!));
  for (const [i, n] of numbers.entries()) {
    if (n === 0 || n < -32768 || n > 32767) {
      throw new Unsupported(`${flag} ${values[i]}: the rollups store 0 also for unknown values, so it needs the raw flows`);
    }
  }
  return sorted(numbers);
}

/** `ns/` values (a namespace, any pod); a pod name prefix or an empty namespace needs the raw flows. */
function namespaces(filter: FlowFilter, field: 'source_pod' | 'destination_pod'): string[] {
  const values = fieldValues(filter, field, isString, 'strings') ?? [];
  return sorted(values.map((v) => {
    const parts = v.split('/');
    if (parts.length < 2 || parts[0] === '' || parts[1] !== '') {
      throw new Unsupported(`pod ${JSON.stringify(v)}: the rollups keep namespaces and workloads, not pod names; filter by --namespace`);
    }
    return parts[0];
  }));
}

function readFilter(filter: FlowFilter): RollupFilter {
  for (const key of Object.keys(filter) as (keyof FlowFilter)[]) {
    if (SUPPORTED.has(key)) continue;
    const value = filter[key];
    const set = key === 'experimental' ? (filter.experimental?.cel_expression?.length ?? 0) > 0 : Array.isArray(value) && value.length > 0;
    if (set) throw new Unsupported(NOT_KEPT[key] ?? `${key} is not kept by the edge rollups`);
  }
  const strings = (field: keyof FlowFilter) => fieldValues(filter, field, isString, 'strings') ?? [];
  return {
    verdicts: enumNumbers(filter, 'verdict', Verdict, '--verdict'),
    dropReasons: enumNumbers(filter, 'drop_reason_desc', DropReason, '--drop-reason-desc'),
    protocols: sorted(strings('protocol').map((p) => p.toLowerCase())),
    srcNamespaces: namespaces(filter, 'source_pod'),
    dstNamespaces: namespaces(filter, 'destination_pod'),
    srcClusters: sorted(strings('source_cluster_name')),
    dstClusters: sorted(strings('destination_cluster_name')),
  };
}

const mirror = (f: RollupFilter): RollupFilter => ({
  ...f, srcNamespaces: f.dstNamespaces, dstNamespaces: f.srcNamespaces, srcClusters: f.dstClusters, dstClusters: f.srcClusters,
});

/** Throws Unsupported unless every filter's mirror image is in the list too. */
function requireSymmetric(list: RollupFilter[]): void {
  const keys = new Set(list.map((f) => JSON.stringify(f)));
  for (const f of list) {
    if (!keys.has(JSON.stringify(mirror(f)))) {
      throw new Unsupported('a --from-* / --to-* filter on one side: the rollups count a reply on its request\'s edge (client → server), '
        + 'so only filters that match either side alike (--namespace, --cluster with both sides) can be answered from them');
    }
  }
}

function filterSql(f: RollupFilter, params: SqlParams): string {
  const conds: string[] = [];
  const any = (column: string, values: string[] | number[], type: string) => {
    if (values.length) conds.push(`${column} = ANY(${params.add(values)}::${type}[])`);
  };
  any('verdict', f.verdicts, 'int');
  if (f.dropReasons.length) conds.push(`verdict = ${Verdict.byName.get('DROPPED')}`);
  any('drop_reason', f.dropReasons, 'int');
  if (f.protocols.length) {
    const parts = sorted(f.protocols.map((p) => PROTOCOL_SQL[p]));
    conds.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  any('src_cluster', f.srcClusters, 'text');
  any('dst_cluster', f.dstClusters, 'text');
  any('src_namespace', f.srcNamespaces, 'text');
  any('dst_namespace', f.dstNamespaces, 'text');
  return conds.length === 0 ? 'TRUE' : conds.map((c) => `(${c})`).join(' AND ');
}

const anyOf = (parts: string[]) => parts.map((p) => `(${p})`).join(' OR ');

/**
 * Compiles a FlowFilterSet into a boolean SQL expression over the edge rollup columns (unqualified
 * names: bucket-free, so it fits edge_minute and edge_hour alike), adding its values to `params`,
 * when the rollups answer the set exactly; else `{ unsupported }` says which flag or field prevents it
 * (and `params` is left as it was), so the caller can fall back to raw flows. Throws the matcher's
 * FilterError for an invalid filter, like compileFilterSql.
 */
export function compileRollupFilter(set: FlowFilterSet, params: SqlParams): RollupFilterResult {
  compileFilters(set);
  let allow: RollupFilter[];
  let deny: RollupFilter[];
  try {
    allow = (set.whitelist ?? []).map(readFilter);
    deny = (set.blacklist ?? []).map(readFilter);
    requireSymmetric(allow);
    requireSymmetric(deny);
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message };
    throw e;
  }
  const allowed = allow.length === 0 ? 'TRUE' : anyOf(allow.map((f) => filterSql(f, params)));
  if (deny.length === 0) return { sql: allowed };
  return { sql: `(${allowed}) AND (${anyOf(deny.map((f) => filterSql(f, params)))}) IS NOT TRUE` };
}
