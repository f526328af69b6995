import { describe, expect, it } from 'vitest';
import { DEFAULT_MAP_VIEW, mapApiUrl, mapFilterError, mapDataKey, mapViewFromSearch, mapViewHref, timelineSpan, windowBoundsMs, type MapView } from './map-view';

const at = Date.UTC(2026, 0, 15, 12, 0, 0);
const search = (href: string) => new URL(href, 'http://x').searchParams;

describe('map view in the URL', () => {
  it('opens live on every namespace with nothing hidden when the URL says nothing', () => {
    expect(mapViewFromSearch(new URLSearchParams())).toEqual(DEFAULT_MAP_VIEW);
    expect(mapViewHref(DEFAULT_MAP_VIEW)).toBe('/map?live=1');
  });

  it('round-trips every field', () => {
    const views: MapView[] = [
      { q: '--protocol tcp', namespaces: ['data', 'shop'], hide: ['host', 'monitoring'], live: true, since: '5m', edge: 'c/shop/a->c/shop/b', zoom: { x: 812, y: -40, k: 1.5 } },
      { q: '', namespaces: [], hide: ['kube-dns'], live: false, since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z', node: 'c//world' },
      { q: '--verdict DROPPED', namespaces: ['shop'], hide: [], live: false, since: '1h', until: '2026-01-15T12:00:00Z' },
    ];
    for (const view of views) expect(mapViewFromSearch(search(mapViewHref(view)))).toEqual(view);
  });

  it('normalizes what a hand-edited link may hold', () => {
    const view = mapViewFromSearch(search('/map?namespace=shop&namespace=data&namespace=shop&hide=kube-dns&hide=bogus&hide=host&node=n&edge=e&zoom=1,2,0'));
    expect(view.namespaces).toEqual(['data', 'shop']);
    expect(view.hide).toEqual(['host', 'kube-dns']);
    expect(view.node).toBe('n');
    expect(view.edge).toBeUndefined();
    expect(view.zoom).toBeUndefined();
    // live=1 wins over a window; a window without live=1 is pinned.
    expect(mapViewFromSearch(search('/map?live=1&since=1h&until=2026-01-15T12:00:00Z'))).toMatchObject({ live: true, since: '5m' });
    expect(mapViewFromSearch(search('/map?since=1h&until=2026-01-15T12:00:00Z')).live).toBe(false);
  });

  it('keys the data by everything but the selection and zoom', () => {
    const base: MapView = { ...DEFAULT_MAP_VIEW, namespaces: ['shop'] };
    expect(mapDataKey({ ...base, node: 'x', zoom: { x: 1, y: 2, k: 3 } })).toBe(mapDataKey(base));
    expect(mapDataKey({ ...base, hide: ['host'] })).not.toBe(mapDataKey(base));
  });
});

describe('API URL and timeline span', () => {
  it('asks for the last five minutes and an hour of timeline when live', () => {
    const p = search(mapApiUrl({ ...DEFAULT_MAP_VIEW, q: ' --protocol tcp ', namespaces: ['a', 'b'], hide: ['host'] }, at));
    expect(p.get('since')).toBe('5m');
    expect(p.get('until')).toBeNull();
    expect(p.get('timelineSince')).toBe('1h');
    expect(p.get('q')).toBe('--protocol tcp');
    expect(p.getAll('namespace')).toEqual(['a', 'b']);
    expect(p.getAll('hide')).toEqual(['host']);
  });

  it('resolves a pinned duration against its end, whenever it is asked', () => {
    const view: MapView = { ...DEFAULT_MAP_VIEW, live: false, since: '30m', until: '2026-01-15T10:00:00Z' };
    const later = search(mapApiUrl(view, at + 86_400_000));
    expect(later.get('since')).toBe('2026-01-15T09:30:00Z');
    expect(later.get('until')).toBe('2026-01-15T10:00:00Z');
    // Two hours (four times the window) centred on it.
    expect(later.get('timelineSince')).toBe('2026-01-15T08:45:00Z');
    expect(later.get('timelineUntil')).toBe('2026-01-15T10:45:00Z');
    expect(windowBoundsMs(view, at)).toEqual({ sinceMs: Date.parse('2026-01-15T09:30:00Z'), untilMs: Date.parse('2026-01-15T10:00:00Z') });
  });

  it('sends what does not parse as typed, for the API to explain', () => {
    const p = search(mapApiUrl({ ...DEFAULT_MAP_VIEW, live: false, since: 'yesterday', until: '2026-01-15T10:00:00Z' }, at));
    expect(p.get('since')).toBe('yesterday');
    expect(p.get('timelineSince')).toBeNull();
  });

  it('centres the timeline on the window without running past now', () => {
    const end = at - 10 * 60_000;
    expect(timelineSpan(end - 5 * 60_000, end, at)).toEqual({ since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z' });
    expect(timelineSpan(at - 86_400_000, at, at)).toEqual({ since: '2026-01-11T12:00:00Z', until: '2026-01-15T12:00:00Z' });
    const week = timelineSpan(at - 30 * 86_400_000, at, at);
    expect(Date.parse(week.until) - Date.parse(week.since)).toBe(30 * 86_400_000);
  });
});

describe('mapFilterError', () => {
  it('passes filter flags and explains the ones the map cannot take', () => {
    expect(mapFilterError('--namespace shop --verdict DROPPED')).toBeUndefined();
    expect(mapFilterError('')).toBeUndefined();
    expect(mapFilterError('--verdict dropped')).toContain('invalid argument "dropped" for "--verdict" flag');
    expect(mapFilterError("--pod 'unterminated")).toBeDefined();
    expect(mapFilterError('--last 20')).toContain('--last is not supported on the map');
    expect(mapFilterError('--since 1h --until 2026-01-15T12:00:00Z')).toBe("--since, --until: the map's window is set with Live, the window menu or the timeline");
  });
});
