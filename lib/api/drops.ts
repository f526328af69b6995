/**
 * The contracts of the drop inbox and a drop group's page, shared by the route handlers (which
 * parse with them) and the pages (which build URLs with them):
 *
 *   GET /api/drops?q=<hubble observe flags>&since=&until=&sort=count|novelty|recency&limit=
 *   GET /api/drops/group?from=&to=&port=&protocol=&reason=&policies=[&from-cluster=&to-cluster=&to-name=]&since=&until=
 *
 * - `q`: filter flags exactly as `hubble observe` takes them; only DROPPED flows are ever counted.
 *   Its own `--since` / `--until` count too, the explicit parameters win. `--first`, `--last` and
 *   `--follow` are refused (a group count covers the whole window).
 * - `since`, `until`: what `hubble observe --since` takes (RFC 3339, or a Go duration meaning "now
 *   minus"); `since` defaults to 1h, `until` to now. Counts cover the whole minutes the window touches.
 * - `sort`: by drop count (default), by novelty (new groups first, then the steepest rise against the
 *   previous window), or by recency (last seen). `limit`: 1 to 1000 groups (default 100).
 * - The group parameters are lib/api/drop-groups.ts's (dropGroupHref writes them).
 */
import type { FlowsResponse } from '../flow/flow';
import type { FlowFilterSet } from '../filter/flow-filter';
import { parseObserveArgs, type ObserveRequest } from '../filter/observe-args';
import { ObserveArgsError } from '../filter/observe-args-error';
import type { DropGroupFacts } from '../drops/drop-group-facts';
import type { PolicySuggestion } from '../drops/suggested-policy';
import { ObserveTimeError, resolveObserveTime } from '../time/observe-time';
import { DropGroupKeyError, dropGroupParams, parseDropGroupParams, type DropGroupKey } from './drop-groups';
import { ShellWordsError, splitShellWords } from './shell-words';

export const DROP_SORTS = ['count', 'novelty', 'recency'] as const;
export type DropSort = (typeof DROP_SORTS)[number];

export const DROPS_DEFAULT_SINCE = '1h';
export const DROPS_DEFAULT_LIMIT = 100;
export const DROPS_MAX_LIMIT = 1000;
/** Sample flows a group's page shows. */
export const DROP_GROUP_SAMPLE_LIMIT = 50;

/** One group of the inbox. */
export interface DropGroup {
  key: DropGroupKey;
  /** Drops in the window. */
  count: number;
  /** Start (RFC 3339) of the first and last bucket with drops: minutes, hours in the middle of windows over 6 h. */
  firstSeen: string;
  lastSeen: string;
  /** Drops per sparkline bin (DropGroupsResponse.sparkline), oldest first. */
  sparkline: number[];
  /** Drops in the previous window of equal length. */
  previousCount: number;
  /** No drop of this key in the 24 h before the window (hour buckets, minutes for the last partial hour). */
  isNew: boolean;
}

/** Where the counts came from: the rollups, or DROPPED raw flows when the filter needs them. */
export type DropCountSource = 'rollups' | 'flows';

export interface DropGroupsResponse {
  /** The window as asked, RFC 3339. */
  since: string;
  until: string;
  /** The whole minutes counted: [from, to). */
  counted: { from: string; to: string };
  /** The previous window of equal length: [from, to). */
  previous: { from: string; to: string };
  source: DropCountSource;
  /** Why the raw flows were read (the flag the rollups do not keep). */
  sourceReason?: string;
  /** True when the middle of the window was read in hour buckets (first/last seen to the hour there). */
  hourBuckets: boolean;
  sparkline: { from: string; binMs: number; bins: number };
  sort: DropSort;
  groups: DropGroup[];
  /** Groups in the window (before `limit`). */
  totalGroups: number;
  /** Drops in the window, all groups. */
  totalDrops: number;
}

/** A validated inbox request; times resolved to RFC 3339 UTC. */
export interface DropsQuery {
  /** `q` as typed (trimmed). */
  q: string;
  filters: FlowFilterSet;
  since: string;
  until: string;
  sort: DropSort;
  limit: number;
}

/** A validated group request. */
export interface DropGroupQuery {
  key: DropGroupKey;
  since: string;
  until: string;
}

/** What a group's page shows. */
export interface DropGroupDetail {
  key: DropGroupKey;
  since: string;
  until: string;
  /** Drops of the group in the window (rollups, whole minutes). */
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The newest flows of the group, newest first (at most DROP_GROUP_SAMPLE_LIMIT). */
  samples: FlowsResponse[];
  facts: DropGroupFacts;
  /** `hubble observe` flags (no time bounds) that select the group's flows: the /flows `q`. */
  filterArgs: string;
  /** The whole `hubble observe` command for the group's flows in the window. */
  command: string;
  suggestion: PolicySuggestion;
}

export type ParseResult<T> = { ok: true; query: T } | { ok: false; status: 400; error: string };

class QueryError extends Error {}

const param = (p: URLSearchParams, name: string) => {
  const v = p.get(name);
  return v === null || v.trim() === '' ? undefined : v.trim();
};

function parseFlags(q: string): ObserveRequest {
  try {
    const request = parseObserveArgs(splitShellWords(q));
    if (request.first !== undefined || request.last !== undefined) throw new QueryError('--first and --last are not supported here: a group counts every drop in the window');
    if (request.follow) throw new QueryError('--follow is not supported here: the inbox refreshes on its own');
    return request;
  } catch (e) {
    if (e instanceof ShellWordsError) throw new QueryError(`q: ${e.message}`);
    if (e instanceof ObserveArgsError) throw new QueryError(e.message);
    throw e;
  }
}

function resolveTime(name: 'since' | 'until', text: string, nowMs: number): string {
  try {
    return resolveObserveTime(text, nowMs);
  } catch (e) {
    if (e instanceof ObserveTimeError) throw new QueryError(`${name}: ${e.message}`);
    throw e;
  }
}

function resolveWindow(since: string | undefined, until: string | undefined, nowMs: number): { since: string; until: string } {
  const untilText = until === undefined ? new Date(nowMs).toISOString() : resolveTime('until', until, nowMs);
  // A duration since counts back from now, as hubble observe does.
  const sinceText = resolveTime('since', since ?? DROPS_DEFAULT_SINCE, nowMs);
  if (Date.parse(sinceText) >= Date.parse(untilText)) throw new QueryError(`since (${sinceText}) must be before until (${untilText})`);
  return { since: sinceText, until: untilText };
}

function parseSort(text: string | undefined): DropSort {
  if (text === undefined) return 'count';
  if ((DROP_SORTS as readonly string[]).includes(text)) return text as DropSort;
  throw new QueryError(`sort: expected one of ${DROP_SORTS.join(', ')}, got ${JSON.stringify(text)}`);
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DROPS_DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= DROPS_MAX_LIMIT)) throw new QueryError(`limit: expected a whole number from 1 to ${DROPS_MAX_LIMIT}, got ${JSON.stringify(text)}`);
  return n;
}

function attempt<T>(build: () => T): ParseResult<T> {
  try {
    return { ok: true, query: build() };
  } catch (e) {
    if (e instanceof QueryError || e instanceof DropGroupKeyError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/**
 * Parses the query string of `GET /api/drops` against the clock `nowMs`. Never throws for bad input:
 * it answers `{ ok: false, status: 400, error }` naming the parameter or flag at fault.
 */
export function parseDropsQuery(params: URLSearchParams, nowMs: number): ParseResult<DropsQuery> {
  return attempt(() => {
    const q = (params.get('q') ?? '').trim();
    const request = parseFlags(q);
    const window = resolveWindow(param(params, 'since') ?? request.since, param(params, 'until') ?? request.until, nowMs);
    return { q, filters: request.filters, ...window, sort: parseSort(param(params, 'sort')), limit: parseLimit(param(params, 'limit')) };
  });
}

/** Parses the query string of `GET /api/drops/group`; never throws for bad input. */
export function parseDropGroupQuery(params: URLSearchParams, nowMs: number): ParseResult<DropGroupQuery> {
  return attempt(() => ({ key: parseDropGroupParams(params), ...resolveWindow(param(params, 'since'), param(params, 'until'), nowMs) }));
}

/** What the inbox page sets; everything optional, as in the URL. */
export interface DropsUrlParams {
  q?: string;
  since?: string;
  until?: string;
  sort?: DropSort;
  limit?: number;
}

/** The URL of the inbox API (or, with base `/drops`, of the page); empty and default values are left out. */
export function dropsUrl(p: DropsUrlParams, base = '/api/drops'): string {
  const params = new URLSearchParams();
  if (p.q?.trim()) params.set('q', p.q.trim());
  if (p.since) params.set('since', p.since);
  if (p.until) params.set('until', p.until);
  if (p.sort && p.sort !== 'count') params.set('sort', p.sort);
  if (p.limit !== undefined && p.limit !== DROPS_DEFAULT_LIMIT) params.set('limit', String(p.limit));
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

/** The URL of a group's API answer for a window. */
export function dropGroupApiUrl(key: DropGroupKey, window: { since?: string; until?: string }): string {
  const p = dropGroupParams(key);
  if (window.since) p.set('since', window.since);
  if (window.until) p.set('until', window.until);
  return `/api/drops/group?${p.toString()}`;
}
