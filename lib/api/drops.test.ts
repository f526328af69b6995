import { describe, expect, it } from 'vitest';
import { dropGroupHref, type DropGroupKey } from './drop-groups';
import { dropGroupApiUrl, dropsUrl, parseDropGroupQuery, parseDropsQuery } from './drops';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const q = (text: string) => parseDropsQuery(new URLSearchParams(text), NOW);

const key: DropGroupKey = {
  source: { cluster: '', namespace: 'shop', entity: 'frontend' }, destination: { cluster: '', namespace: 'shop', entity: 'api' },
  destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
};

describe('parseDropsQuery', () => {
  it('defaults to the last hour, by count, 100 groups', () => {
    expect(q('')).toEqual({
      ok: true,
      query: { q: '', filters: { whitelist: [], blacklist: [] }, since: '2026-11-26T11:00:00Z', until: '2026-11-26T12:00:00.000Z', sort: 'count', limit: 100 },
    });
  });

  it('reads hubble flags, their --since, and lets explicit parameters win', () => {
    const r = q('q=--namespace+shop+--since+2h&sort=novelty&limit=5');
    expect(r).toMatchObject({ ok: true, query: { q: '--namespace shop --since 2h', since: '2026-11-26T10:00:00Z', sort: 'novelty', limit: 5 } });
    expect(r.ok && r.query.filters.whitelist).toEqual([{ source_pod: ['shop/'] }, { destination_pod: ['shop/'] }]);
    expect(q('q=--since+2h&since=30m')).toMatchObject({ ok: true, query: { since: '2026-11-26T11:30:00Z' } });
  });

  it('answers 400 with the message of the parameter or flag at fault, never throwing', () => {
    const bad = (text: string) => {
      const r = q(text);
      if (r.ok) throw new Error(`accepted ${text}`);
      expect(r.status).toBe(400);
      return r.error;
    };
    expect(bad('q=--nope')).toMatch(/unknown flag: --nope/);
    expect(bad("q=--namespace+'shop")).toMatch(/^q: /);
    expect(bad('q=--last+5')).toMatch(/--first and --last are not supported/);
    expect(bad('q=--follow')).toMatch(/--follow is not supported/);
    expect(bad('since=yesterday')).toMatch(/^since: failed to convert yesterday to time/);
    expect(bad('since=1h&until=2h')).toMatch(/must be before until/);
    expect(bad('sort=loudest')).toMatch(/^sort: expected one of count, novelty, recency/);
    expect(bad('limit=0')).toMatch(/^limit: expected a whole number from 1 to 1000/);
  });
});

describe('parseDropGroupQuery', () => {
  it('reads a group link back, window included', () => {
    const url = new URL(dropGroupHref(key, { since: '2026-11-26T10:00:00Z', until: '2026-11-26T11:00:00Z' }), 'http://x');
    expect(parseDropGroupQuery(url.searchParams, NOW)).toEqual({ ok: true, query: { key, since: '2026-11-26T10:00:00Z', until: '2026-11-26T11:00:00Z' } });
    expect(dropGroupApiUrl(key, { since: '1h' })).toBe(`/api/drops/group?${url.searchParams.toString().replace(/&since=.*$/, '')}&since=1h`);
  });

  it('answers 400 for a malformed key or window', () => {
    expect(parseDropGroupQuery(new URLSearchParams('to=shop/api&reason=POLICY_DENIED'), NOW)).toEqual({ ok: false, status: 400, error: expect.stringMatching(/^from: missing/) });
    expect(parseDropGroupQuery(new URLSearchParams('from=a/b&to=c/d&reason=POLICY_DENIED&since=never'), NOW)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('dropsUrl', () => {
  it('leaves defaults out', () => {
    expect(dropsUrl({ q: ' ', sort: 'count', limit: 100 })).toBe('/api/drops');
    expect(dropsUrl({ q: '--namespace shop', since: '6h', sort: 'recency', limit: 20 }, '/drops')).toBe('/drops?q=--namespace+shop&since=6h&sort=recency&limit=20');
  });
});
