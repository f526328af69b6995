import { describe, expect, it } from 'vitest';
import { dropsViewFromSearch, dropsViewHref } from './drops-query';

describe('the /drops view in the URL', () => {
  it('falls back to the defaults for missing or malformed values', () => {
    expect(dropsViewFromSearch(new URLSearchParams('sort=loudest&limit=-3'))).toEqual({ q: '', since: '1h', sort: 'count', limit: 100 });
  });

  it('round-trips a view', () => {
    const view = { q: "--namespace shop --label 'app=a b'", since: '2026-11-26T10:00:00Z', until: '2026-11-26T11:00:00Z', sort: 'novelty' as const, limit: 25 };
    expect(dropsViewFromSearch(new URL(dropsViewHref(view), 'http://x').searchParams)).toEqual(view);
  });

  it('reads the triage page\'s namespace links as a --namespace filter', () => {
    expect(dropsViewFromSearch(new URLSearchParams('namespace=shop')).q).toBe('--namespace shop');
    expect(dropsViewFromSearch(new URLSearchParams("namespace=it's")).q).toBe(`--namespace 'it'\\''s'`);
    expect(dropsViewFromSearch(new URLSearchParams('namespace=shop&q=--verdict+DROPPED')).q).toBe('--verdict DROPPED');
  });
});
