/**
 * FlowFilterSet → a parameterized SQL condition over the `flows` table, meaning exactly what the
 * in-memory matcher (`lib/filter/match.ts`, Hubble's own rules) means: a row is selected when its flow
 * matches at least one whitelist filter (or the whitelist is empty) and no blacklist filter; within a
 * filter every set field must match; within a field any listed value may.
 *
 * Each field is compiled from the typed columns flowToRow fills, which hold the matcher's own values
 * (the flow's node_name, `drop_reason_desc`'s wire number, `requestURIPath(url)` as `http_path`, 0
 * for absent proto3 numbers, NULL without the message). Where a column loses a fact the matcher
 * looks at, the condition confirms on the stored jsonpb line (`raw`), only for the rows the columns
 * cannot decide:
 * - enum value 0 and values outside a smallint (`verdict`, `drop_reason_desc`, `traffic_direction`,
 *   `ip_version`): the column holds 0 also for unknown names and out-of-range numbers;
 * - `event_type` with type 0 (any), for rows without an int32 type or sub-type;
 * - `http_status_code`, for http records whose code is not a safe integer (a fraction, a string);
 * - the exact text of an IPv6 address, and zoned addresses (`fe80::1%eth0`, NULL in inet columns);
 * - `kind/name` workloads and `key:value` headers that a `/` or `:` makes ambiguous;
 * - `encrypted` and `ip_trace_id`, which have no column.
 *
 * Known limits, each a FilterError rather than an approximation: values holding U+0000 (PostgreSQL
 * text cannot hold it) or lone UTF-16 surrogates, CEL expressions (the matcher rejects them too),
 * non-ASCII `http_method` values, and Go regexps PostgreSQL cannot express identically (see
 * `filter-sql-regexp.ts`).
 *
 * What the row itself does not carry, no SQL can match: flowToRow drops U+0000 from text (a `%00` in
 * a request path decodes to U+0000, which `http_path` then lacks), and keeps only the first key of a
 * Layer4 that (against the oneof) holds several as `l4_protocol` (ports are read from the pair the
 * matcher reads all the same).
 *
 * Validation is the matcher's: compileFilters runs first, so an invalid filter fails with the very
 * FilterError the matcher (and the live stream) reports.
 */
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters } from '../../lib/filter/match';
import { clusterNamesSql, endpointSql } from './filter-sql-endpoint';
import {
  enumsSql, eventTypesSql, exactStringsSql, flowMiscSql, interfacesSql, ipTraceIdsSql,
} from './filter-sql-flow';
import { dnsSql, httpSql, protocolsSql } from './filter-sql-l7';
import { holdsUnstorable, SqlParams, type SqlOut } from './filter-sql-params';

export { SqlParams };

function rejectUnstorable(filter: FlowFilter): void {
  for (const [field, value] of Object.entries(filter)) {
    if (holdsUnstorable(value)) throw new FilterError('values holding U+0000 or lone surrogates cannot be matched against stored flows', field);
  }
}

/** One FlowFilter: its set fields ANDed, in the matcher's order; `TRUE` when none is set. */
function filterSql(filter: FlowFilter, params: SqlParams): string {
  rejectUnstorable(filter);
  const out: SqlOut = { params, conds: [] };
  enumsSql(filter, out);
  eventTypesSql(filter, out);
  exactStringsSql(filter, out);
  clusterNamesSql(filter, out);
  protocolsSql(filter, out);
  endpointSql(filter, 'source', out);
  endpointSql(filter, 'destination', out);
  httpSql(filter, out);
  flowMiscSql(filter, out);
  dnsSql(filter, out);
  interfacesSql(filter, out);
  ipTraceIdsSql(filter, out);
  return out.conds.length === 0 ? 'TRUE' : out.conds.map((c) => `(${c})`).join(' AND ');
}

const anyOf = (parts: string[]) => parts.map((p) => `(${p})`).join(' OR ');

/**
 * Compiles a FlowFilterSet into a boolean SQL expression over the `flows` columns (unqualified
 * names), adding every filter value to `params`. Throws the matcher's FilterError for an invalid
 * filter, and a FilterError naming the field for the few things the store cannot match exactly; on a
 * throw, `params` is left as it was. Like any WHERE condition it may be NULL for a row it does not
 * select: test it with `IS TRUE` before negating or combining it under NOT.
 */
export function compileFilterSql(set: FlowFilterSet, params: SqlParams): string {
  compileFilters(set);
  const before = params.values.length;
  try {
    const allow = (set.whitelist ?? []).map((f) => filterSql(f, params));
    const deny = (set.blacklist ?? []).map((f) => filterSql(f, params));
    const allowed = allow.length === 0 ? 'TRUE' : anyOf(allow);
    // NULL from a condition means "no match"; under NOT it must stay "no match", hence IS NOT TRUE.
    return deny.length === 0 ? allowed : `(${allowed}) AND (${anyOf(deny)}) IS NOT TRUE`;
  } catch (e) {
    params.values.length = before;
    throw e;
  }
}
