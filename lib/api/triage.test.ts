import { describe, expect, it } from 'vitest';
import { parseTriageQuery, TRIAGE_MAX_CLUSTERS, triageUrl } from './triage';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');

describe('parseTriageQuery', () => {
  it('looks from now without `at`, or from the time `at` names as hubble observe takes it', () => {
    expect(parseTriageQuery(new URLSearchParams(''), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS, clusters: [] } });
    expect(parseTriageQuery(new URLSearchParams('at='), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS, clusters: [] } });
    expect(parseTriageQuery(new URLSearchParams('at=1h'), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS - 3_600_000, clusters: [] } });
    expect(parseTriageQuery(new URLSearchParams('at=2026-01-15T03:10:00Z'), NOW_MS))
      .toEqual({ ok: true, query: { nowMs: Date.parse('2026-01-15T03:10:00Z'), clusters: [] } });
  });

  it('answers a 400 naming the parameter for a time it cannot read, never throwing', () => {
    const r = parseTriageQuery(new URLSearchParams('at=yesterday'), NOW_MS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.error).toMatch(/^at: failed to convert yesterday to time/);
    }
  });

  it('reads repeated `cluster` values as the picked clusters, sorted and distinct', () => {
    expect(parseTriageQuery(new URLSearchParams('cluster=west&cluster=east&cluster=west&at=1h'), NOW_MS))
      .toEqual({ ok: true, query: { nowMs: NOW_MS - 3_600_000, clusters: ['east', 'west'] } });
  });

  it.each([
    ['cluster=', /^cluster: empty; leave the parameter out/],
    ['cluster=east&cluster=%20', /^cluster: empty/],
    [`cluster=${'x'.repeat(254)}`, /^cluster: at most 253 characters$/],
    ['cluster=a%00b', /^cluster: must not contain NUL$/],
    [Array.from({ length: TRIAGE_MAX_CLUSTERS + 1 }, (_, i) => `cluster=c${i}`).join('&'), /^cluster: at most 64 clusters, got 65$/],
  ])('refuses %s with a 400 naming the parameter', (query, error) => {
    const r = parseTriageQuery(new URLSearchParams(query), NOW_MS);
    expect(r).toMatchObject({ ok: false, status: 400 });
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('builds the API URL the page fetches, and parses back what it built', () => {
    expect(triageUrl()).toBe('/api/triage');
    expect(triageUrl({ at: '2026-01-15T03:10:00Z' })).toBe('/api/triage?at=2026-01-15T03%3A10%3A00Z');
    const url = triageUrl({ clusters: ['west', 'east', 'west', 'a b'] });
    expect(url).toBe('/api/triage?cluster=a+b&cluster=east&cluster=west');
    expect(parseTriageQuery(new URL(url, 'http://x').searchParams, NOW_MS))
      .toEqual({ ok: true, query: { nowMs: NOW_MS, clusters: ['a b', 'east', 'west'] } });
  });
});
