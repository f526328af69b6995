/**
 * The triage as a restricted viewer may see it: only namespaces, drop groups and pairs with a side
 * in their scope. (The store counts the timeline for the scope itself: lib/api/triage.ts.)
 */
import type { TriageResponse } from '../api/triage';
import type { NamespaceScope } from './namespace-scope';

type Side = { namespace: string };

export function scopeTriage<T extends Omit<TriageResponse, 'ingest'>>(triage: T, scope: NamespaceScope): T {
  if (scope === '*') return triage;
  const visible = (a: Side, b: Side) => scope.includes(a.namespace) || scope.includes(b.namespace);
  return {
    ...triage,
    dropRates: { ...triage.dropRates, namespaces: triage.dropRates.namespaces.filter((n) => scope.includes(n.namespace)) },
    newDropGroups: { ...triage.newDropGroups, groups: triage.newDropGroups.groups.filter((g) => visible(g.key.source, g.key.destination)) },
    dropPairs: { ...triage.dropPairs, pairs: triage.dropPairs.pairs.filter((p) => visible(p.source, p.destination)) },
  };
}
