/**
 * Namespace-scoped access in the filter model itself: a viewer may see a flow when either side is
 * in one of their namespaces. Narrowing a request's filters to that scope gives a FlowFilterSet
 * like any other, so the matcher, the SQL compiler and the Observer API enforce it the same way.
 */
import type { Flow } from '../flow/flow';
import type { FlowFilter, FlowFilterSet } from '../filter/flow-filter';

/** The namespaces a viewer may see: every one, or a list (never empty: no namespaces means no access). */
export type NamespaceScope = '*' | readonly string[];

/**
 * Kubernetes namespace names are lowercase DNS labels, so no flow can ever be in this one: filters
 * on it select nothing, in the matcher, in SQL and on the rollups alike, and print as flags.
 */
export const NO_NAMESPACE = 'NO-NAMESPACE-IN-SCOPE';

/** A filter set that selects no flow (either side in NO_NAMESPACE). */
export const NO_FLOWS: FlowFilterSet = {
  whitelist: [{ source_pod: [`${NO_NAMESPACE}/`] }, { destination_pod: [`${NO_NAMESPACE}/`] }],
  blacklist: [],
};

/** Whether a flow is visible within the scope: its source or destination namespace is in it. */
export function flowInScope(flow: Flow, scope: NamespaceScope): boolean {
  if (scope === '*') return true;
  const src = flow.source?.namespace;
  const dst = flow.destination?.namespace;
  return (!!src && scope.includes(src)) || (!!dst && scope.includes(dst));
}

/**
 * A pod filter's values narrowed to the scope's namespaces: `ns/prefix` stays when `ns` is in scope,
 * `/prefix` (any namespace) becomes one value per scope namespace, a bare `prefix` means namespace
 * `default` (hubble's rule). Undefined values mean "any pod", which becomes "any pod in scope".
 */
function podsInScope(values: readonly string[] | undefined, scope: readonly string[]): string[] {
  if (values === undefined) return scope.map((ns) => `${ns}/`);
  return values.flatMap((v) => {
    const slash = v.indexOf('/');
    const ns = slash < 0 ? 'default' : v.slice(0, slash);
    const prefix = slash < 0 ? v : v.slice(slash + 1);
    if (ns === '') return scope.map((s) => `${s}/${prefix}`);
    return scope.includes(ns) ? [v] : [];
  });
}

function narrow(filter: FlowFilter, side: 'source_pod' | 'destination_pod', scope: readonly string[]): FlowFilter | undefined {
  const pods = podsInScope(filter[side], scope);
  return pods.length ? { ...filter, [side]: pods } : undefined;
}

/**
 * `set` narrowed to flows with a side in `scope`: each allowed filter splits into "source in scope"
 * and "destination in scope"; the denied filters stay as they are. NO_FLOWS when the filters ask
 * only for namespaces outside the scope, or the scope is empty.
 */
export function scopeFilterSet(set: FlowFilterSet, scope: NamespaceScope): FlowFilterSet {
  if (scope === '*') return set;
  if (scope.length === 0) return NO_FLOWS;
  const allowed = set.whitelist.length ? set.whitelist : [{}];
  const whitelist = allowed.flatMap((f) => [narrow(f, 'source_pod', scope), narrow(f, 'destination_pod', scope)])
    .filter((f): f is FlowFilter => f !== undefined);
  return whitelist.length ? { whitelist, blacklist: set.blacklist } : NO_FLOWS;
}
