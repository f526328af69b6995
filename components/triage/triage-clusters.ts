/**
 * The triage page's cluster selection (`/?cluster=east&cluster=west`) and what it narrows. The
 * triage API answers for every cluster; the lists keyed by endpoints (new drop groups, dropped
 * pairs) carry their clusters and are narrowed here the way `hubble observe --cluster` selects
 * flows, either side in a picked cluster. Drop rates per namespace, the timeline and relay health
 * carry no cluster, so they stay whole and the page says so.
 */
import type { TriageResponse } from '../../lib/api/triage';
import type { EdgeEndpoint } from '../../lib/filter/edge-filter';

/** The picked clusters of a triage URL: sorted, without duplicates or empty values. */
export function triageClustersFromSearch(params: URLSearchParams): string[] {
  return [...new Set(params.getAll('cluster').filter(Boolean))].sort();
}

/** The triage page URL for a selection (none: every cluster). */
export function triageHref(clusters: readonly string[]): string {
  const p = new URLSearchParams();
  for (const c of [...new Set(clusters)].sort()) if (c) p.append('cluster', c);
  const search = p.toString();
  return search ? `/?${search}` : '/';
}

/** Either side in a picked cluster; every pair when none is picked. */
export function eitherSideIn(a: EdgeEndpoint, b: EdgeEndpoint, clusters: readonly string[]): boolean {
  return clusters.length === 0 || clusters.includes(a.cluster) || clusters.includes(b.cluster);
}

/** The triage with its endpoint lists narrowed to `clusters`; the same object when none is picked. */
export function triageInClusters<T extends Pick<TriageResponse, 'newDropGroups' | 'dropPairs'>>(data: T, clusters: readonly string[]): T {
  if (clusters.length === 0) return data;
  return {
    ...data,
    newDropGroups: { ...data.newDropGroups, groups: data.newDropGroups.groups.filter((g) => eitherSideIn(g.key.source, g.key.destination, clusters)) },
    dropPairs: { ...data.dropPairs, pairs: data.dropPairs.pairs.filter((p) => eitherSideIn(p.source, p.destination, clusters)) },
  };
}
