/**
 * What a route handler needs to enforce the viewer's namespace scope: every query a route makes is
 * narrowed here, so a team sees no flow with neither side in its namespaces, by any route.
 */
import type { NamespaceScope } from '../../lib/access/namespace-scope';
import { scopeFilterSet } from '../../lib/access/namespace-scope';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import { viewerOf } from './viewer-header';

/** The namespaces the request's viewer may see. */
export function scopeOf(request: Request): NamespaceScope {
  return viewerOf(request).namespaces;
}

/** The request's filters narrowed to the viewer's scope. */
export function scopedFilters(request: Request, filters: FlowFilterSet): FlowFilterSet {
  return scopeFilterSet(filters, scopeOf(request));
}

/** The scope as a namespace list for SQL, or undefined when everything is visible. */
export function scopeNamespaces(request: Request): readonly string[] | undefined {
  const scope = scopeOf(request);
  return scope === '*' ? undefined : scope;
}
