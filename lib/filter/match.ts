/**
 * The in-memory FlowFilter matcher: Hubble's `pkg/hubble/filters` semantics over the jsonpb Flow.
 * Filters are validated and precompiled once (patterns, regexps, label selectors, sets), so that a
 * predicate costs a few property reads per set field. The per-field builders live in
 * `match-endpoint.ts`, `match-l7.ts` and `match-flow.ts`; the order they run in fixes which error an
 * invalid filter reports first.
 */
import type { Flow } from '../flow/flow';
import { FilterError } from './filter-error';
import { FLOW_FILTER_FIELDS, type FlowFilter, type FlowFilterSet } from './flow-filter';
import { isObject, type Check } from './field-values';
import { compileClusterNames, compileEndpoint } from './match-endpoint';
import {
  compileEnums, compileEventTypes, compileExactStrings, compileFlowMisc, compileInterfaces, compileIPTraceIDs,
} from './match-flow';
import { compileDNS, compileHTTP, compileProtocols } from './match-l7';

/** A compiled filter: true when the flow passes. */
export type FlowPredicate = (flow: Flow) => boolean;

const KNOWN_FIELDS = new Set<string>(FLOW_FILTER_FIELDS);

/** Compiles one FlowFilter (all set fields must match). Throws a FilterError when it is invalid. */
export function compileFlowFilter(filter: FlowFilter): FlowPredicate {
  if (!isObject(filter)) throw new FilterError('a FlowFilter must be an object');
  for (const key of Object.keys(filter)) {
    if (!KNOWN_FIELDS.has(key) && filter[key as keyof FlowFilter] !== undefined) throw new FilterError(`unknown FlowFilter field ${JSON.stringify(key)}`, key);
  }
  const cel = (filter as FlowFilter).experimental?.cel_expression;
  if (cel !== undefined && cel.length > 0) throw new FilterError('CEL expressions are not supported by this server', 'experimental.cel_expression');
  const checks: Check[] = [];
  compileEnums(filter, checks);
  compileEventTypes(filter, checks);
  compileExactStrings(filter, checks);
  compileClusterNames(filter, checks);
  compileProtocols(filter, checks);
  compileEndpoint(filter, 'source', checks);
  compileEndpoint(filter, 'destination', checks);
  compileHTTP(filter, checks);
  compileFlowMisc(filter, checks);
  compileDNS(filter, checks);
  compileInterfaces(filter, checks);
  compileIPTraceIDs(filter, checks);
  return allOf(checks);
}

function allOf(checks: Check[]): FlowPredicate {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  return (flow) => {
    for (const c of checks) if (!c(flow)) return false;
    return true;
  };
}

function anyOf(predicates: FlowPredicate[]): FlowPredicate {
  if (predicates.length === 1) return predicates[0];
  return (flow) => {
    for (const p of predicates) if (p(flow)) return true;
    return false;
  };
}

/**
 * Compiles a whitelist/blacklist pair the way Hubble applies it: a flow passes when it matches at
 * least one whitelist filter (or the whitelist is empty) and no blacklist filter.
 * Throws a FilterError naming the field when any filter is invalid.
 */
export function compileFilters(set: FlowFilterSet): FlowPredicate {
  const allow = (set.whitelist ?? []).map(compileFlowFilter);
  const deny = (set.blacklist ?? []).map(compileFlowFilter);
  if (deny.length === 0) return allow.length === 0 ? () => true : anyOf(allow);
  const denied = anyOf(deny);
  if (allow.length === 0) return (flow) => !denied(flow);
  const allowed = anyOf(allow);
  return (flow) => allowed(flow) && !denied(flow);
}

const compiledFilters = new WeakMap<FlowFilter, FlowPredicate>();

/** Whether `flow` matches one FlowFilter (compiled once per filter object). */
export function matchesFilter(flow: Flow, filter: FlowFilter): boolean {
  let predicate = compiledFilters.get(filter);
  if (predicate === undefined) {
    predicate = compileFlowFilter(filter);
    compiledFilters.set(filter, predicate);
  }
  return predicate(flow);
}
