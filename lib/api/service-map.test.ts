import { describe, expect, it } from 'vitest';
import { parseServiceMapQuery, serviceMapResolution, serviceMapUrl, type ServiceMapQuery } from './service-map';

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const parse = (search: string) => parseServiceMapQuery(new URLSearchParams(search), NOW_MS);
const query = (search: string): ServiceMapQuery => {
  const r = parse(search);
  if (!r.ok) throw new Error(r.error);
  return r.query;
};
const error = (search: string): string => {
  const r = parse(search);
  if (r.ok) throw new Error(`expected a 400 for ?${search}`);
  expect(r.status).toBe(400);
  return r.error;
};

describe('parseServiceMapQuery', () => {
  it('defaults to the live window: the last 5 minutes, timeline the same', () => {
    expect(query('')).toEqual({
      filterArgs: [], filters: { whitelist: [], blacklist: [] }, since: '2026-01-15T11:55:00.000Z', until: '2026-01-15T12:00:00.000Z',
      sinceMs: NOW_MS - 300_000, untilMs: NOW_MS, namespaces: [], clusters: [], hide: [], timelineSinceMs: NOW_MS - 300_000, timelineUntilMs: NOW_MS,
    });
  });

  it('reads durations and times, filters, scope, noise and the timeline range', () => {
    const q = query('q=--verdict+DROPPED&since=1h&until=2026-01-15T11:30:00Z&namespace=shop&namespace=data&namespace=shop&namespace='
      + '&cluster=demo&hide=monitoring&hide=host&timelineSince=6h&timelineUntil=2026-01-15T12:00:00Z');
    expect(q.filters.whitelist).toEqual([{ verdict: ['DROPPED'] }]);
    expect([q.since, q.until]).toEqual(['2026-01-15T11:00:00.000Z', '2026-01-15T11:30:00.000Z']);
    expect(q.namespaces).toEqual(['data', 'shop']);
    expect(q.clusters).toEqual(['demo']);
    expect(q.hide).toEqual(['host', 'monitoring']);
    expect([q.timelineSinceMs, q.timelineUntilMs]).toEqual([NOW_MS - 6 * 3_600_000, NOW_MS]);
  });

  it('takes --since/--until from q when the parameters are absent', () => {
    expect(query('q=--since+2h+--until+1h').since).toBe('2026-01-15T10:00:00.000Z');
    expect(query('q=--since+2h&since=10m').since).toBe('2026-01-15T11:50:00.000Z');
  });

  it.each([
    ['q=--verdict+dropped', /^invalid argument "dropped" for "--verdict" flag/],
    ['q=--pod+%27x', /^q: unterminated single quote/],
    ['q=--last+10', /^--last is not supported on the map/],
    ['q=--follow', /^--follow is not supported on the map/],
    ['since=yesterday', /^since: /],
    ['until=2026-02-30', /^until: /],
    ['since=1h&until=2h', /^since \(.*\) must be before until/],
    ['since=2026-01-15T12:00:00Z&until=2026-01-15T12:00:00Z', /must be before until/],
    ['since=800h', /spans more than 31 days/],
    ['timelineSince=800h', /^timelineSince to timelineUntil spans more than 31 days/],
    ['timelineSince=1m&timelineUntil=2m', /^timelineSince .* must be before timelineUntil/],
    ['hide=everything', /^hide: expected host, kube-dns, remote-node, monitoring, got "everything"/],
    ['namespace=a%00b', /^namespace: values must not hold U\+0000/],
  ])('answers 400 for ?%s', (search, message) => {
    expect(error(search)).toMatch(message);
  });

  it('refuses more than 200 namespaces', () => {
    expect(error(Array.from({ length: 201 }, (_, i) => `namespace=ns${i}`).join('&'))).toMatch(/^namespace: at most 200 values/);
  });
});

describe('serviceMapUrl', () => {
  it('round-trips through the parser', () => {
    const url = serviceMapUrl({ q: ' --namespace shop ', since: '1h', until: '2026-01-15T11:30:00Z', namespaces: ['shop', ''], clusters: ['demo'], hide: ['host', 'kube-dns'], timelineSince: '6h' });
    expect(url).toBe('/api/service-map?q=--namespace+shop&since=1h&until=2026-01-15T11%3A30%3A00Z&timelineSince=6h&namespace=shop&cluster=demo&hide=host&hide=kube-dns');
    const q = query(url.split('?')[1]);
    expect([q.namespaces, q.clusters, q.hide]).toEqual([['shop'], ['demo'], ['host', 'kube-dns']]);
    expect(serviceMapUrl({})).toBe('/api/service-map');
  });
});

describe('serviceMapResolution', () => {
  it('reads up to 6 h per minute, beyond per hour', () => {
    expect(serviceMapResolution(6 * 3_600_000)).toBe('minute');
    expect(serviceMapResolution(6 * 3_600_000 + 1)).toBe('hour');
  });
});
