/**
 * What the /map page shows, held in its URL so a shared link opens the same view:
 *
 *   /map?live=1&namespace=shop&hide=host&q=--protocol+tcp&edge=<edge id>&zoom=812,430,1.5
 *   /map?since=2026-01-15T12:00:00Z&until=2026-01-15T12:30:00Z&node=<node id>
 *
 * Live is a sliding window of the last five minutes; any other window is pinned (an absolute
 * `until`, and `since` a time or a duration counted back from it).
 */
import { parseServiceMapQuery, SERVICE_MAP_NOISE, serviceMapUrl, type ServiceMapNoise } from '../../lib/api/service-map';
import { splitShellWords } from '../../lib/api/shell-words';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { ObserveTimeError, resolveObserveTime } from '../../lib/time/observe-time';

export const MAP_NOISE: readonly ServiceMapNoise[] = SERVICE_MAP_NOISE;
export const LIVE_WINDOW = '5m';
export const LIVE_WINDOW_MS = 5 * 60_000;
/** The timeline under a live map: the last hour, to pick a past window from. */
export const LIVE_TIMELINE = '1h';

/** Centre of the viewport in layout coordinates, and the zoom scale. */
export interface MapZoom {
  x: number;
  y: number;
  k: number;
}

export interface MapView {
  /** `hubble observe` filter flags applied to the map. */
  q: string;
  /** Namespaces in scope, sorted; empty means all. */
  namespaces: string[];
  /** Traffic left out, in MAP_NOISE order. */
  hide: ServiceMapNoise[];
  live: boolean;
  /** For a pinned window: a time, or a duration counted back from `until`. */
  since: string;
  until?: string;
  /** The selected node or edge (ids from the API); at most one is set. */
  node?: string;
  edge?: string;
  zoom?: MapZoom;
}

export const DEFAULT_MAP_VIEW: MapView = { q: '', namespaces: [], hide: [], live: true, since: LIVE_WINDOW };

const isNoise = (v: string): v is ServiceMapNoise => (MAP_NOISE as readonly string[]).includes(v);

function parseZoom(text: string | null): MapZoom | undefined {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 3 || !parts.every(Number.isFinite) || parts[2] <= 0) return undefined;
  return { x: parts[0], y: parts[1], k: parts[2] };
}

/** The view a `/map?...` URL describes; malformed values fall back to the defaults. */
export function mapViewFromSearch(params: URLSearchParams): MapView {
  const since = params.get('since') || undefined;
  const until = params.get('until') || undefined;
  const live = params.get('live') === '1' || !since;
  const node = params.get('node') || undefined;
  const edge = node ? undefined : params.get('edge') || undefined;
  const zoom = parseZoom(params.get('zoom'));
  return {
    q: params.get('q') ?? '',
    namespaces: [...new Set(params.getAll('namespace').filter(Boolean))].sort(),
    hide: MAP_NOISE.filter((n) => params.getAll('hide').includes(n)),
    live,
    since: live ? LIVE_WINDOW : since!,
    ...(!live && until ? { until } : {}),
    ...(node ? { node } : {}),
    ...(edge ? { edge } : {}),
    ...(zoom ? { zoom } : {}),
  };
}

const roundZoom = (z: MapZoom) => `${Math.round(z.x)},${Math.round(z.y)},${Math.round(z.k * 1000) / 1000}`;

/** The page URL for a view (the inverse of `mapViewFromSearch`). */
export function mapViewHref(view: MapView): string {
  const p = new URLSearchParams();
  if (view.live) p.set('live', '1');
  else {
    p.set('since', view.since);
    if (view.until) p.set('until', view.until);
  }
  if (view.q.trim()) p.set('q', view.q.trim());
  for (const ns of view.namespaces) p.append('namespace', ns);
  for (const h of view.hide) p.append('hide', h);
  if (view.node) p.set('node', view.node);
  else if (view.edge) p.set('edge', view.edge);
  if (view.zoom) p.set('zoom', roundZoom(view.zoom));
  return `/map?${p.toString()}`;
}

/** What changes the data (and so the layout): everything but the selection and the zoom. */
export function mapDataKey(view: MapView): string {
  return JSON.stringify([view.q.trim(), view.namespaces, view.hide, view.live, view.live ? '' : view.since, view.live ? '' : view.until ?? '']);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * A pinned window's bounds in ms, `since` resolved against `until` (or `nowMs` without one);
 * undefined when either does not parse (the API then says why).
 */
export function windowBoundsMs(view: Pick<MapView, 'since' | 'until'>, nowMs: number): { sinceMs: number; untilMs: number } | undefined {
  try {
    const untilMs = view.until ? Date.parse(resolveObserveTime(view.until, nowMs)) : nowMs;
    const sinceMs = Date.parse(resolveObserveTime(view.since, untilMs));
    return Number.isNaN(sinceMs) || Number.isNaN(untilMs) ? undefined : { sinceMs, untilMs };
  } catch (e) {
    if (e instanceof ObserveTimeError) return undefined;
    throw e;
  }
}

/**
 * The span the timeline shows around a pinned window: four times the window, at least an hour and
 * at most a week, centred on it but not past `nowMs` (rounded up to a whole minute).
 */
export function timelineSpan(sinceMs: number, untilMs: number, nowMs: number): { since: string; until: string } {
  const length = Math.max(0, untilMs - sinceMs);
  const span = Math.min(168 * HOUR_MS, Math.max(HOUR_MS, 4 * length));
  const now = Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS;
  const end = Math.max(untilMs, Math.min(now, untilMs + (span - length) / 2));
  return { since: isoOf(Math.min(sinceMs, end - span)), until: isoOf(end) };
}

/**
 * The GET /api/service-map URL for a view. A pinned window's `since` goes out resolved against its
 * `until`, so the answer does not depend on when it is asked; `nowMs` only bounds the timeline.
 */
export function mapApiUrl(view: MapView, nowMs: number): string {
  const scope = { q: view.q, namespaces: view.namespaces, hide: view.hide };
  if (view.live) return serviceMapUrl({ ...scope, since: LIVE_WINDOW, timelineSince: LIVE_TIMELINE });
  const bounds = windowBoundsMs(view, nowMs);
  // What does not parse goes out as typed, so the API's message names what is wrong.
  if (!bounds || !view.until) return serviceMapUrl({ ...scope, since: view.since, until: view.until });
  const span = timelineSpan(bounds.sinceMs, bounds.untilMs, nowMs);
  return serviceMapUrl({
    ...scope, since: isoOf(bounds.sinceMs), until: isoOf(bounds.untilMs), timelineSince: span.since, timelineUntil: span.until,
  });
}

/**
 * Why the map cannot take these `hubble observe` flags, or undefined: the API's own message (the
 * CLI parser's), or the flags that choose flows by time, which the window controls replace here.
 */
export function mapFilterError(q: string): string | undefined {
  // An explicit window, so only the flags are judged (the API lets explicit bounds win over flags).
  const parsed = parseServiceMapQuery(new URLSearchParams({ q, since: '2000-01-01T00:00:00Z', until: '2000-01-01T00:05:00Z' }), 0);
  if (!parsed.ok) return parsed.error;
  const request = parseObserveArgs(splitShellWords(q));
  const timed = [request.since && '--since', request.until && '--until'].filter(Boolean);
  return timed.length ? `${timed.join(', ')}: the map's window is set with Live, the window menu or the timeline` : undefined;
}
