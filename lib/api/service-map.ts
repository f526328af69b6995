/**
 * The contract of `GET /api/service-map`, shared by the route handler and the map page:
 *
 *   /api/service-map?q=<hubble observe flags>&since=&until=&namespace=a&namespace=b&hide=host&hide=kube-dns&cluster=
 *
 * The graph is aggregated from the edge rollup tables (edge_minute for windows up to 6 h, edge_hour
 * beyond), never from raw flows. An edge is a client talking to a server port: replies are counted
 * on the edge of the request they answer (see server/store/edge-counts.ts).
 */
import type { FlowFilterSet } from '../filter/flow-filter';
import { parseObserveArgs, type ObserveRequest } from '../filter/observe-args';
import { ObserveArgsError } from '../filter/observe-args-error';
import { ObserveTimeError, resolveObserveTime } from '../time/observe-time';
import { parseTimestamp, timestampToMs } from '../time/timestamp';
import { ShellWordsError, splitShellWords } from './shell-words';

/** What a node stands for. Workloads fall back to their pod, then to their identity or address. */
export type ServiceMapNodeKind = 'workload' | 'world' | 'host' | 'remote-node' | 'kube-apiserver' | 'kube-dns' | 'other';

/** Traffic a view can hide, each one a toggle on the map. */
export type ServiceMapNoise = 'host' | 'kube-dns' | 'remote-node' | 'monitoring';

export interface ServiceMapNode {
  /** Stable across windows and reloads: `<cluster>/<namespace>/<name>` ('' parts kept). */
  id: string;
  kind: ServiceMapNodeKind;
  /** Workload, pod, identity or address name. */
  name: string;
  /** '' outside namespaces (world, host, remote-node, ...). */
  namespace: string;
  cluster: string;
  /** Services (`namespace/name`) this node was reached through. */
  services: string[];
  /** For world: the FQDNs and networks reached behind it, most flows first (at most 100). */
  worldNames: string[];
}

export interface ServiceMapCount {
  key: string;
  flows: number;
}

export interface ServiceMapEdge {
  /** `<source id>-><target id>`. */
  id: string;
  source: string;
  target: string;
  flows: number;
  /** flows / window seconds. */
  flowsPerS: number;
  /** Verdict name (FORWARDED, DROPPED, ...) → flows. */
  verdicts: ServiceMapCount[];
  /** `<port>/<protocol>` (e.g. `8080/TCP`; the protocol alone without a port) → flows, most flows first, at most 20. */
  ports: ServiceMapCount[];
  /** HTTP methods, HTTP status classes (`2xx`...), DNS rcodes by name, Kafka error codes, as summaries → flows. */
  l7: ServiceMapCount[];
  /** Drop reason name (lib/flow/drop-reasons.ts) → flows. */
  dropReasons: ServiceMapCount[];
  /** Denying policies `namespace/name` → flows. */
  policies: ServiceMapCount[];
}

/** One step of the timeline under the map. */
export interface ServiceMapTimelinePoint {
  /** Bucket start, RFC 3339. */
  time: string;
  flows: number;
  drops: number;
}

export interface ServiceMapResponse {
  /** The resolved window, RFC 3339. */
  since: string;
  until: string;
  resolution: 'minute' | 'hour';
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
  timeline: ServiceMapTimelinePoint[];
  /** The timeline's bucket size: minutes for ranges up to 6 h, else hours. */
  timelineResolution?: 'minute' | 'hour';
  /** True when the node or edge cap cut the graph (the largest edges are kept). */
  truncated: boolean;
  /** What was counted: the edge rollups, or the raw flows of a filter the rollups cannot answer. */
  source?: 'rollups' | 'raw';
}

// ---------------------------------------------------------------------------------------------
// Parsing and building requests. Query parameters:
//
// - `q`: filter flags exactly as `hubble observe` takes them (its own --since/--until count too; the
//   explicit parameters win). --first, --last and --follow are refused: the window chooses flows.
// - `since`, `until`: anything `hubble observe --since` takes (RFC 3339, or a Go duration meaning
//   "now minus"); `until` defaults to now, `since` to 5 minutes before `until` (the live window).
//   A rollup bucket is in the window when it overlaps [since, until): the window is widened to whole
//   minutes (whole hours inside windows over 6 h, whose ragged ends still come from minutes).
// - `namespace` (repeatable): an edge is in scope when either end is in one of them; none = all.
// - `cluster` (repeatable): the same for cluster names.
// - `hide` (repeatable): host, kube-dns, remote-node, monitoring (lib/service-map/node-kind.ts).
// - `timelineSince`, `timelineUntil`: the timeline's range when it should differ from the window
//   (same syntax; `timelineUntil` defaults to `until`).
// ---------------------------------------------------------------------------------------------

/** Windows up to this long are read per minute (edge_minute); longer ones per hour. */
export const SERVICE_MAP_MINUTE_RESOLUTION_MAX_MS = 6 * 3_600_000;
/** The longest window, and the longest timeline range, a request may ask for. */
export const SERVICE_MAP_MAX_SPAN_MS = 31 * 24 * 3_600_000;
/** The window without `since`: the live map's sliding five minutes. */
export const SERVICE_MAP_DEFAULT_WINDOW_MS = 5 * 60_000;
/** Values one repeatable parameter may hold. */
export const SERVICE_MAP_MAX_VALUES = 200;
/** Every noise toggle, in the order the page lists them. */
export const SERVICE_MAP_NOISE: readonly ServiceMapNoise[] = ['host', 'kube-dns', 'remote-node', 'monitoring'];

/** What `resolution` a span is read at. */
export const serviceMapResolution = (spanMs: number): 'minute' | 'hour' =>
  spanMs <= SERVICE_MAP_MINUTE_RESOLUTION_MAX_MS ? 'minute' : 'hour';

/** A validated request. */
export interface ServiceMapQuery {
  /** `q` as argv. */
  filterArgs: string[];
  filters: FlowFilterSet;
  /** The window, resolved: RFC 3339 UTC, and in ms since the epoch. */
  since: string;
  until: string;
  sinceMs: number;
  untilMs: number;
  /** Sorted, without duplicates; empty means all. */
  namespaces: string[];
  clusters: string[];
  /** In SERVICE_MAP_NOISE order. */
  hide: ServiceMapNoise[];
  /** The timeline's range (the window unless timelineSince / timelineUntil were given). */
  timelineSinceMs: number;
  timelineUntilMs: number;
}

export type ServiceMapQueryResult = { ok: true; query: ServiceMapQuery } | { ok: false; status: 400; error: string };

class MapQueryError extends Error {}

function mapFilterArgs(q: string): { args: string[]; request: ObserveRequest } {
  let args: string[];
  let request: ObserveRequest;
  try {
    args = splitShellWords(q);
    request = parseObserveArgs(args);
  } catch (e) {
    if (e instanceof ShellWordsError) throw new MapQueryError(`q: ${e.message}`);
    if (e instanceof ObserveArgsError) throw new MapQueryError(e.message);
    throw e;
  }
  for (const flag of ['first', 'last', 'follow'] as const) {
    if (request[flag] !== undefined) throw new MapQueryError(`--${flag} is not supported on the map: the time window chooses the flows`);
  }
  return { args, request };
}

function timeMs(name: string, text: string, nowMs: number): number {
  try {
    return timestampToMs(parseTimestamp(resolveObserveTime(text, nowMs))!);
  } catch (e) {
    if (e instanceof ObserveTimeError) throw new MapQueryError(`${name}: ${e.message}`);
    throw e;
  }
}

function span(names: [string, string], sinceMs: number, untilMs: number): void {
  if (sinceMs >= untilMs) throw new MapQueryError(`${names[0]} (${isoMs(sinceMs)}) must be before ${names[1]} (${isoMs(untilMs)})`);
  if (untilMs - sinceMs > SERVICE_MAP_MAX_SPAN_MS) {
    throw new MapQueryError(`${names[0]} to ${names[1]} spans more than ${SERVICE_MAP_MAX_SPAN_MS / 86_400_000} days: pick a shorter range`);
  }
}

function values(params: URLSearchParams, name: string): string[] {
  const list = [...new Set(params.getAll(name).filter((v) => v !== ''))].sort();
  if (list.length > SERVICE_MAP_MAX_VALUES) throw new MapQueryError(`${name}: at most ${SERVICE_MAP_MAX_VALUES} values`);
  for (const v of list) if (v.includes('\u0000')) throw new MapQueryError(`${name}: values must not hold U+0000`);
  return list;
}

function noise(params: URLSearchParams): ServiceMapNoise[] {
  const asked = values(params, 'hide');
  for (const h of asked) {
    if (!(SERVICE_MAP_NOISE as readonly string[]).includes(h)) {
      throw new MapQueryError(`hide: expected ${SERVICE_MAP_NOISE.join(', ')}, got ${JSON.stringify(h)}`);
    }
  }
  return SERVICE_MAP_NOISE.filter((n) => asked.includes(n));
}

const isoMs = (ms: number) => new Date(ms).toISOString();
const param = (params: URLSearchParams, name: string) => params.get(name) || undefined;

function buildMapQuery(params: URLSearchParams, nowMs: number): ServiceMapQuery {
  const { args, request } = mapFilterArgs(params.get('q') ?? '');
  const untilText = param(params, 'until') ?? request.until;
  const untilMs = untilText === undefined ? nowMs : timeMs('until', untilText, nowMs);
  const sinceText = param(params, 'since') ?? request.since;
  const sinceMs = sinceText === undefined ? untilMs - SERVICE_MAP_DEFAULT_WINDOW_MS : timeMs('since', sinceText, nowMs);
  span(['since', 'until'], sinceMs, untilMs);
  const tlUntilText = param(params, 'timelineUntil');
  const timelineUntilMs = tlUntilText === undefined ? untilMs : timeMs('timelineUntil', tlUntilText, nowMs);
  const tlSinceText = param(params, 'timelineSince');
  const timelineSinceMs = tlSinceText === undefined ? sinceMs : timeMs('timelineSince', tlSinceText, nowMs);
  span(['timelineSince', 'timelineUntil'], timelineSinceMs, timelineUntilMs);
  return {
    filterArgs: args,
    filters: request.filters,
    since: isoMs(sinceMs),
    until: isoMs(untilMs),
    sinceMs,
    untilMs,
    namespaces: values(params, 'namespace'),
    clusters: values(params, 'cluster'),
    hide: noise(params),
    timelineSinceMs,
    timelineUntilMs,
  };
}

/**
 * Parses the query string of `GET /api/service-map` against the clock `nowMs` (for durations).
 * Never throws for bad input: it answers `{ ok: false, status: 400, error }` with a message naming
 * the parameter or flag at fault (the hubble CLI's own message for a bad flag).
 */
export function parseServiceMapQuery(params: URLSearchParams, nowMs: number): ServiceMapQueryResult {
  try {
    return { ok: true, query: buildMapQuery(params, nowMs) };
  } catch (e) {
    if (e instanceof MapQueryError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** What a client sets; everything optional, as in the URL. */
export interface ServiceMapUrlParams {
  q?: string;
  since?: string;
  until?: string;
  namespaces?: readonly string[];
  clusters?: readonly string[];
  hide?: readonly ServiceMapNoise[];
  timelineSince?: string;
  timelineUntil?: string;
}

/** The API URL for a request (relative); empty values are left out. */
export function serviceMapUrl(p: ServiceMapUrlParams, base = '/api/service-map'): string {
  const params = new URLSearchParams();
  if (p.q?.trim()) params.set('q', p.q.trim());
  for (const name of ['since', 'until', 'timelineSince', 'timelineUntil'] as const) if (p[name]) params.set(name, p[name]!);
  for (const ns of p.namespaces ?? []) if (ns) params.append('namespace', ns);
  for (const c of p.clusters ?? []) if (c) params.append('cluster', c);
  for (const h of p.hide ?? []) params.append('hide', h);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}
