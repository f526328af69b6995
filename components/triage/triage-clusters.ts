/**
 * The triage page's cluster selection, kept in its URL (`/?cluster=east&cluster=west`) so that a
 * link opens the same triage. The API computes everything for the selection (lib/api/triage.ts).
 */

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
