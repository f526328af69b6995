import { describe, expect, it } from 'vitest';
import { parseTriageQuery, triageUrl } from '../../lib/api/triage';
import { triageClustersFromSearch, triageHref } from './triage-clusters';
import { triageQuery } from './triage-query';

describe('triage clusters', () => {
  it('reads and writes the picked clusters in the URL, sorted and without duplicates', () => {
    expect(triageClustersFromSearch(new URLSearchParams('cluster=west&cluster=east&cluster=west&cluster='))).toEqual(['east', 'west']);
    expect(triageHref(['west', 'east', 'west'])).toBe('/?cluster=east&cluster=west');
    expect(triageHref([])).toBe('/');
    expect(triageClustersFromSearch(new URL(triageHref(['a b']), 'http://x').searchParams)).toEqual(['a b']);
  });

  it('asks the API for the clusters the page URL picks, each selection its own query', () => {
    const picked = triageClustersFromSearch(new URL(triageHref(['west', 'east']), 'http://x').searchParams);
    const parsed = parseTriageQuery(new URL(triageUrl({ clusters: picked }), 'http://x').searchParams, 0);
    expect(parsed).toEqual({ ok: true, query: { nowMs: 0, clusters: ['east', 'west'] } });
    expect(triageQuery(false, ['east', 'west']).queryKey).not.toEqual(triageQuery(false, ['west']).queryKey);
    expect(triageQuery(false, []).queryKey).toEqual(triageQuery(false).queryKey);
  });
});
