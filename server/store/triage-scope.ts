/**
 * What a triage is narrowed to: the picked clusters (`--cluster`, either side), the relays whose
 * health is shown, and a restricted viewer's namespaces. The SQL fragments here keep every query
 * of the triage saying "in the picked clusters" the same way.
 */
import type { SqlParam } from './db';

export interface TriageScope {
  /** Only flows with a side in one of these clusters; every cluster when absent or empty. */
  clusters?: readonly string[];
  /**
   * Only these relays' status samples, node events, gaps and stream state (the names they are
   * recorded under); every relay when absent.
   */
  relays?: readonly string[];
  /** Count only flows with a side in these namespaces (a restricted viewer); all when absent. */
  namespaces?: readonly string[];
}

/** Cluster tests over a rollup row: `src` and `dst` say whether that side is in a picked cluster. */
export interface ClusterSides {
  src: string;
  dst: string;
  /** Either side in a picked cluster, as `hubble observe --cluster` selects flows. */
  either: string;
}

const EVERY_CLUSTER: ClusterSides = { src: 'true', dst: 'true', either: 'true' };

/**
 * The cluster tests for `clusters` over the columns of `alias` (`d` gives `d.src_cluster`), the list
 * appended to `params`; constant `true` when every cluster counts, so those statements stay as they were.
 */
export function clusterSides(params: SqlParam[], clusters: readonly string[] | undefined, alias = ''): ClusterSides {
  if (!clusters || clusters.length === 0) return EVERY_CLUSTER;
  const n = params.push([...clusters]);
  const column = (c: string) => (alias ? `${alias}.${c}` : c);
  const src = `${column('src_cluster')} = ANY($${n}::text[])`;
  const dst = `${column('dst_cluster')} = ANY($${n}::text[])`;
  return { src, dst, either: `(${src} OR ${dst})` };
}

/** `relay = ANY(...)` for the picked relays (appended to `params`), or `true` for every relay. */
export function relayCondition(params: SqlParam[], relays: readonly string[] | undefined, column = 'relay'): string {
  return relays ? `${column} = ANY($${params.push([...relays])}::text[])` : 'true';
}

/**
 * `(src_namespace = ANY(...) OR dst_namespace = ANY(...))` over the columns of `alias`: a side in a
 * restricted viewer's namespaces (the list appended to `params`); `true` for a viewer of everything.
 */
export function namespaceCondition(params: SqlParam[], namespaces: readonly string[] | undefined, alias = ''): string {
  if (!namespaces) return 'true';
  const n = params.push([...namespaces]);
  const column = (c: string) => (alias ? `${alias}.${c}` : c);
  return `(${column('src_namespace')} = ANY($${n}::text[]) OR ${column('dst_namespace')} = ANY($${n}::text[]))`;
}
