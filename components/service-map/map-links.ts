/**
 * From the map to the flows table: the `hubble observe` flags that select a node's or an edge's
 * flows (lib/filter/edge-filter.ts, the same key the rollups use), ANDed with the map's own filter,
 * over the exact window the map shows.
 */
import { FLOWS_PAGE_DEFAULT_LIMIT } from '../../lib/api/flows-query';
import type { ServiceMapNode } from '../../lib/api/service-map';
import { splitShellWords } from '../../lib/api/shell-words';
import { edgeFilter, type EdgeEndpoint } from '../../lib/filter/edge-filter';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { printObserveArgs, shellQuote } from '../../lib/filter/print-observe-args';
import { flowsViewHref } from '../flows-table/flows-query';

/** The window the flows table opens on: the map's own, as the API resolved it (RFC 3339). */
export interface LinkWindow {
  since: string;
  until: string;
}

/**
 * The window to look values up in (namespaces, flag values, a workload's pods): a live map's is
 * `since` alone, the same on every tick, so those lookups are not asked again every 2 s.
 */
export interface LookupWindow {
  since: string;
  until?: string;
}

const NOWHERE: EdgeEndpoint = { cluster: '', namespace: '', entity: '' };

export const endpointOf = (n: Pick<ServiceMapNode, 'cluster' | 'namespace' | 'name'>): EdgeEndpoint => ({
  cluster: n.cluster, namespace: n.namespace, entity: n.name,
});

/** The map's filter set, or none when its flags do not parse (the map then shows the API's error). */
function mapFilters(mapQ: string): FlowFilterSet {
  try {
    return parseObserveArgs(splitShellWords(mapQ)).filters;
  } catch {
    return { whitelist: [], blacklist: [] };
  }
}

const overlaps = (a: FlowFilter, b: FlowFilter) => Object.keys(a).some((k) => k in b);

/**
 * `selectors` (ORed) ANDed with the map's filter. Fields of one FlowFilter are ANDed, so a map
 * filter entry is merged into each selector; where both constrain the same field the selector alone
 * is kept (one FlowFilter cannot hold both), which shows a superset rather than hiding flows.
 */
export function combineFilters(selectors: readonly FlowFilter[], mapQ: string): FlowFilterSet {
  const map = mapFilters(mapQ);
  const entries = map.whitelist.length ? map.whitelist : [{}];
  const seen = new Set<string>();
  const whitelist: FlowFilter[] = [];
  for (const s of selectors) {
    for (const m of entries) {
      const merged = overlaps(m, s) ? s : { ...m, ...s };
      const key = JSON.stringify(merged);
      if (!seen.has(key)) whitelist.push(merged);
      seen.add(key);
    }
  }
  return { whitelist, blacklist: map.blacklist };
}

/** The flags text for a filter set, quoted for a shell. */
export function flagsText(filters: FlowFilterSet): string {
  return printObserveArgs({ filters }).map(shellQuote).join(' ');
}

/** The flows table on the requests of an edge (optionally only the dropped ones). */
export function edgeFlowsHref(
  source: ServiceMapNode, target: ServiceMapNode, mapQ: string, window: LinkWindow, opts: { dropped?: boolean } = {},
): string {
  const filter = edgeFilter({ source: endpointOf(source), destination: endpointOf(target), ...(opts.dropped ? { verdict: 'DROPPED' as const } : {}) });
  return flowsViewHref({ q: flagsText(combineFilters([filter], mapQ)), since: window.since, until: window.until, limit: FLOWS_PAGE_DEFAULT_LIMIT });
}

/** The flows table on everything a node sends or receives. */
export function nodeFlowsHref(node: ServiceMapNode, mapQ: string, window: LinkWindow): string {
  const out = edgeFilter({ source: endpointOf(node), destination: NOWHERE });
  const into = edgeFilter({ source: NOWHERE, destination: endpointOf(node) });
  return flowsViewHref({ q: flagsText(combineFilters([out, into], mapQ)), since: window.since, until: window.until, limit: FLOWS_PAGE_DEFAULT_LIMIT });
}
