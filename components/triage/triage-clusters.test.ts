import { describe, expect, it } from 'vitest';
import type { DropGroupKey } from '../../lib/api/drop-groups';
import type { TriageDropPairs, TriageNewDropGroups } from '../../lib/api/triage';
import { triageClustersFromSearch, triageHref, triageInClusters } from './triage-clusters';

const side = (cluster: string, entity: string) => ({ cluster, namespace: 'shop', entity });
const key = (from: string, to: string): DropGroupKey => ({
  source: side(from, 'frontend'), destination: side(to, 'api'), destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: '',
});
const window = { since: '2026-11-26T10:00:00Z', until: '2026-11-26T10:15:00Z' };
const groups = [key('west', 'east'), key('east', 'east'), key('north', 'north')]
  .map((k) => ({ key: k, flows: 3, firstSeen: window.since, lastSeen: window.since }));
const data = {
  newDropGroups: { window, absentIn: window, groups, truncated: false } satisfies TriageNewDropGroups,
  dropPairs: { window, pairs: groups.map((g) => ({ source: g.key.source, destination: g.key.destination, flows: 3, groups: 1, topGroup: g.key })) } satisfies TriageDropPairs,
};

describe('triage clusters', () => {
  it('reads and writes the picked clusters in the URL, sorted and without duplicates', () => {
    expect(triageClustersFromSearch(new URLSearchParams('cluster=west&cluster=east&cluster=west&cluster='))).toEqual(['east', 'west']);
    expect(triageHref(['west', 'east', 'west'])).toBe('/?cluster=east&cluster=west');
    expect(triageHref([])).toBe('/');
    expect(triageClustersFromSearch(new URL(triageHref(['a b']), 'http://x').searchParams)).toEqual(['a b']);
  });

  it('keeps the groups and pairs with either side in a picked cluster, as --cluster does', () => {
    const west = triageInClusters(data, ['west']);
    expect(west.newDropGroups.groups.map((g) => g.key.source.cluster)).toEqual(['west']);
    expect(west.dropPairs.pairs.map((p) => [p.source.cluster, p.destination.cluster])).toEqual([['west', 'east']]);
    const east = triageInClusters(data, ['east']);
    expect(east.newDropGroups.groups).toHaveLength(2);
    expect(triageInClusters(data, ['east', 'north']).dropPairs.pairs).toHaveLength(3);
    expect(triageInClusters(data, ['south']).dropPairs.pairs).toEqual([]);
  });

  it('hands back the very same object when every cluster is shown', () => {
    expect(triageInClusters(data, [])).toBe(data);
  });
});
