/**
 * FlowFilterSet → a parameterized SQL condition over the `flows` table, meaning exactly what the
 * in-memory matcher (`lib/filter/match.ts`, Hubble's own rules) means: a row is selected when its flow
 * matches at least one whitelist filter (or the whitelist is empty) and no blacklist filter; within a
 * filter every set field must match; within a field any listed value may.
 *
 * Each field is compiled from the typed columns flowToRow fills. Where a column loses a fact the
 * matcher looks at (an absent `event_type` stored as 0, an enum name stored as 0, `kind/name` and
 * `key:value` strings that a `/` or `:` makes ambiguous, the exact text of an IPv6 address, a
 * `drop_reason_desc` that flowToRow replaced by the deprecated `drop_reason`), the condition confirms
 * on the stored jsonpb line (`raw`), only for the rows the columns cannot decide. `encrypted` and
 * `ip_trace_id` have no column and are always read from `raw`.
 *
 * Known limits, each a FilterError rather than an approximation: values holding U+0000 (PostgreSQL
 * text cannot hold it) or lone UTF-16 surrogates, CEL expressions (the matcher rejects them too),
 * non-ASCII `http_method` values, and Go regexps PostgreSQL cannot express identically (see
 * `filter-sql-regexp.ts`).
 *
 * What the row itself does not carry, no SQL can match: flowToRow drops U+0000 from text (and `%00`
 * in a request path decodes to nothing, see `filter-sql-request-uri.ts`), writes the response's
 * node_name when the flow has none (node_name filters then see it), and keeps only the first key of
 * a Layer4 that (against the oneof) holds several.
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
