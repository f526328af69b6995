/**
 * Where each triage item leads: the flows page with the `hubble observe` flags that select the
 * item's flows, a drop group's page, the service map of a namespace, the drop inbox. With picked
 * clusters the links carry them as `--cluster` flags, so the page opened counts what the triage
 * counted; groups and pairs name their own clusters (`--from-cluster`, `--to-cluster`) instead.
 */
import { dropGroupHref, dropGroupSelection, type DropGroupKey } from '../../lib/api/drop-groups';
import { FLOWS_PAGE_DEFAULT_LIMIT } from '../../lib/api/flows-query';
import { edgeFilter, type EdgeEndpoint } from '../../lib/filter/edge-filter';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { printObserveArgs, shellQuote } from '../../lib/filter/print-observe-args';
import { flowsViewHref } from '../flows-table/flows-query';

/** A window as links take it: RFC 3339 `since`, and `until` when it is not "now". */
export interface LinkWindow {
  since: string;
  until?: string;
}

/** The flags text for a filter, as the flows page's filter bar shows it. */
export function filterFlags(filter: FlowFilter): string {
  return printObserveArgs({ filters: { whitelist: [filter], blacklist: [] } }).map(shellQuote).join(' ');
}

/** Picked clusters as flags, first on the line as the cluster picker writes them; none: ''. */
export function clusterFlags(clusters: readonly string[]): string {
  return clusters.flatMap((c) => ['--cluster', c]).map(shellQuote).join(' ');
}

/** `words` as flags after the clusters' flags. */
const withClusters = (clusters: readonly string[], words: readonly string[]) =>
  [clusterFlags(clusters), words.map(shellQuote).join(' ')].filter(Boolean).join(' ');

function flowsHref(q: string, w: LinkWindow): string {
  return flowsViewHref({ q, since: w.since, ...(w.until ? { until: w.until } : {}), limit: FLOWS_PAGE_DEFAULT_LIMIT });
}

/**
 * The drops of a namespace, either side (`--namespace`, as the rate counts them; with clusters,
 * `--cluster c --namespace ns` pairs them on each side, as the rate does). Drops outside any
 * namespace ('') have no flag of their own: they lead to every drop of the window.
 */
export function namespaceDropsHref(namespace: string, w: LinkWindow, clusters: readonly string[] = []): string {
  const flags = namespace ? ['--namespace', namespace, '--verdict', 'DROPPED'] : ['--verdict', 'DROPPED'];
  return flowsHref(withClusters(clusters, flags), w);
}

/** All flows of a window with verdict DROPPED. */
export function dropsHref(w: LinkWindow, clusters: readonly string[] = []): string {
  return flowsHref(withClusters(clusters, ['--verdict', 'DROPPED']), w);
}

/** All flows of a window. */
export function allFlowsHref(w: LinkWindow, clusters: readonly string[] = []): string {
  return flowsHref(clusterFlags(clusters), w);
}

/** The service map around a namespace. */
export function namespaceMapHref(namespace: string, clusters: readonly string[] = []): string {
  const p = new URLSearchParams({ namespace });
  if (clusters.length) p.set('q', clusterFlags(clusters));
  return `/map?${p.toString()}`;
}

/** The drop inbox of a namespace ('': every drop); `namespace=` is the inbox's short form of `--namespace`. */
export function namespaceInboxHref(namespace: string, clusters: readonly string[] = []): string {
  if (clusters.length === 0) return namespace ? `/drops?${new URLSearchParams({ namespace }).toString()}` : '/drops';
  return `/drops?${new URLSearchParams({ q: withClusters(clusters, namespace ? ['--namespace', namespace] : []) }).toString()}`;
}

/** A drop group's page over a window. */
export function groupHref(key: DropGroupKey, w: LinkWindow): string {
  return dropGroupHref(key, w);
}

/** The request flows of a drop group. */
export function groupFlowsHref(key: DropGroupKey, w: LinkWindow): string {
  return flowsHref(filterFlags(edgeFilter(dropGroupSelection(key))), w);
}

/** The dropped request flows from one endpoint to another, any port or reason. */
export function pairFlowsHref(source: EdgeEndpoint, destination: EdgeEndpoint, w: LinkWindow): string {
  return flowsHref(filterFlags(edgeFilter({ source, destination, verdict: 'DROPPED' })), w);
}

/** The flows a node reported around a moment (± `aroundMs`). */
export function nodeFlowsHref(node: string, atIso: string, aroundMs = 5 * 60_000): string {
  const at = Date.parse(atIso);
  const w = { since: new Date(at - aroundMs).toISOString(), until: new Date(at + aroundMs).toISOString() };
  return flowsHref(['--node-name', node].map(shellQuote).join(' '), w);
}

/** An endpoint as people read it: `namespace/entity`, or the entity alone outside namespaces. */
export function endpointLabel(e: EdgeEndpoint): string {
  return e.namespace ? `${e.namespace}/${e.entity}` : e.entity;
}

/** The same with its cluster, for a tooltip. */
export function endpointTitle(e: EdgeEndpoint): string {
  return e.cluster ? `${endpointLabel(e)} in cluster ${e.cluster}` : endpointLabel(e);
}
