/**
 * Which clusters a frozen investigation is about, in words: the clusters its filter names (any of
 * `--cluster`, `--from-cluster`, `--to-cluster`), else "all", with the clusters the stored snapshot
 * itself holds when it says (a map's nodes, a drop group's key).
 */
import { splitShellWords } from '../../lib/api/shell-words';
import { parseObserveArgs } from '../../lib/filter/observe-args';

/** The cluster names a `hubble observe` filter text selects by, sorted; none when it selects by none or does not parse. */
export function filterClusters(q: string): string[] {
  let whitelist;
  try {
    whitelist = parseObserveArgs(splitShellWords(q)).filters.whitelist;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const f of whitelist) for (const c of [...(f.source_cluster_name ?? []), ...(f.destination_cluster_name ?? [])]) names.add(c);
  return [...names].sort();
}

/** `east, west (from the filter)`, or `all` with what the snapshot holds. */
export function frozenClustersText(q: string, inSnapshot: readonly string[]): string {
  const picked = filterClusters(q);
  if (picked.length > 0) return `${picked.join(', ')} (from the filter)`;
  const held = [...new Set(inSnapshot.filter(Boolean))].sort();
  return held.length > 0 ? `all; the snapshot holds ${held.join(', ')}` : 'all';
}
