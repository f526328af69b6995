/**
 * The contract of `GET /api/flows`, shared by the route handler (which parses with it) and the
 * client (which builds URLs with it):
 *
 *   /api/flows?q=<hubble observe flags>&since=&until=&limit=&cursor=[&format=jsonpb|csv]
 *
 * - `q`: filter flags exactly as `hubble observe` takes them, split like a shell splits a command
 *   line (quotes, backslashes); its own `--since` / `--until` count too, the explicit parameters win.
 *   `--all` is accepted (pages reach every flow anyway); `--first`, `--last` and `--follow` are not:
 *   pages are chosen with `limit` and `cursor`, and live flows come from the live stream.
 * - `since`, `until`: inclusive bounds, anything `hubble observe --since` takes (RFC 3339, a Go
 *   duration such as `1h` meaning "now minus").
 * - `limit`: flows per page, 1 to 1000 (default 100). `cursor`: `nextCursor` of the previous page.
 * - `format`: `json` (a FlowsPage, newest first), `jsonpb` (every matching flow, oldest first, as
 *   `hubble observe -o jsonpb` lines) or `csv` (the same flows as spreadsheet rows, the columns of
 *   `hubble-dashboard export -o csv`).
 */
import type { FlowsResponse } from '../flow/flow';
import type { FlowFilterSet } from '../filter/flow-filter';
import { parseObserveArgs, type ObserveRequest } from '../filter/observe-args';
import { ObserveArgsError } from '../filter/observe-args-error';
import { formatObserveCommand } from '../filter/print-observe-args';
import { ObserveTimeError, resolveObserveTime } from '../time/observe-time';
import { parseTimestamp, timestampToNs } from '../time/timestamp';
import { decodeFlowsCursor, FlowsCursorError, type FlowsCursor } from './flows-cursor';
import { ShellWordsError, splitShellWords } from './shell-words';

export type FlowsFormat = 'json' | 'jsonpb' | 'csv';

export const FLOWS_PAGE_DEFAULT_LIMIT = 100;
export const FLOWS_PAGE_MAX_LIMIT = 1000;

/** A validated request. */
export interface FlowsPageQuery {
  /** `q` as argv. */
  filterArgs: string[];
  /** The filters `filterArgs` ask for (whitelist ORed, blacklist excluded). */
  filters: FlowFilterSet;
  /** Inclusive bounds, resolved to RFC 3339 UTC. */
  since?: string;
  until?: string;
  limit: number;
  /** Where the page starts (exclusive), going back in time. */
  cursor?: FlowsCursor;
  format: FlowsFormat;
  /** The `hubble observe` command that selects the same flows (what a jsonpb export holds). */
  command: string;
}

/** A page of flows, newest first. */
export interface FlowsPage {
  flows: FlowsResponse[];
  /** Present when older flows may follow: pass it as `cursor`. */
  nextCursor?: string;
  /** Canonical `hubble observe ...` command for the filters and time range. */
  command: string;
}

/** A request this API refuses, with the message to show (the hubble CLI's own where it has one). */
export interface FlowsQueryError {
  status: 400;
  error: string;
}

export type FlowsQueryResult = { ok: true; query: FlowsPageQuery } | ({ ok: false } & FlowsQueryError);

class QueryError extends Error {}

const UNSUPPORTED_SELECTORS: ReadonlyArray<[keyof ObserveRequest, string]> = [
  ['first', '--first is not supported here: pages are chosen with limit= and cursor='],
  ['last', '--last is not supported here: pages are chosen with limit= and cursor='],
  ['follow', '--follow is not supported here: live flows come from the live stream'],
];

function parseArgs(q: string): { args: string[]; request: ObserveRequest } {
  let args: string[];
  try {
    args = splitShellWords(q);
  } catch (e) {
    if (e instanceof ShellWordsError) throw new QueryError(`q: ${e.message}`);
    throw e;
  }
  let request: ObserveRequest;
  try {
    request = parseObserveArgs(args);
  } catch (e) {
    if (e instanceof ObserveArgsError) throw new QueryError(e.message);
    throw e;
  }
  for (const [key, message] of UNSUPPORTED_SELECTORS) if (request[key] !== undefined) throw new QueryError(message);
  return { args, request };
}

function resolveTime(name: 'since' | 'until', text: string | undefined, nowMs: number): string | undefined {
  if (text === undefined) return undefined;
  try {
    return resolveObserveTime(text, nowMs);
  } catch (e) {
    if (e instanceof ObserveTimeError) throw new QueryError(`${name}: ${e.message}`);
    throw e;
  }
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return FLOWS_PAGE_DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= FLOWS_PAGE_MAX_LIMIT)) throw new QueryError(`limit: expected a whole number from 1 to ${FLOWS_PAGE_MAX_LIMIT}, got ${JSON.stringify(text)}`);
  return n;
}

function parseFormat(text: string | undefined): FlowsFormat {
  if (text === undefined || text === 'json') return 'json';
  if (text === 'jsonpb' || text === 'csv') return text;
  throw new QueryError(`format: expected json, jsonpb or csv, got ${JSON.stringify(text)}`);
}

function parseCursor(text: string | undefined): FlowsCursor | undefined {
  if (text === undefined) return undefined;
  try {
    return decodeFlowsCursor(text);
  } catch (e) {
    if (e instanceof FlowsCursorError) throw new QueryError(e.message);
    throw e;
  }
}

/** An empty parameter counts as absent, as an empty form field would send it. */
function param(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  return v === null || v === '' ? undefined : v;
}

function buildQuery(params: URLSearchParams, nowMs: number): FlowsPageQuery {
  const { args, request } = parseArgs(params.get('q') ?? '');
  const since = resolveTime('since', param(params, 'since') ?? request.since, nowMs);
  const until = resolveTime('until', param(params, 'until') ?? request.until, nowMs);
  if (since && until && timestampToNs(parseTimestamp(since)!) > timestampToNs(parseTimestamp(until)!)) {
    throw new QueryError(`since (${since}) is after until (${until})`);
  }
  // With neither bound the hubble CLI would stop at its default --last 20; --all asks for everything.
  const all = since === undefined && until === undefined;
  const command = formatObserveCommand({ filters: request.filters, since, until, ...(all ? { all } : {}) });
  return {
    filterArgs: args,
    filters: request.filters,
    since,
    until,
    limit: parseLimit(param(params, 'limit')),
    cursor: parseCursor(param(params, 'cursor')),
    format: parseFormat(param(params, 'format')),
    command,
  };
}

/**
 * Parses the query string of `GET /api/flows` against the clock `nowMs` (for durations). Never
 * throws for bad input: it answers `{ ok: false, status: 400, error }` with a message naming the
 * parameter or flag at fault.
 */
export function parseFlowsQuery(params: URLSearchParams, nowMs: number): FlowsQueryResult {
  try {
    return { ok: true, query: buildQuery(params, nowMs) };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** What a client sets; everything optional, as in the URL. */
export interface FlowsUrlParams {
  q?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
  format?: FlowsFormat;
}

/** The URL of a page or export (relative, for fetch and links); empty values are left out. */
export function flowsUrl(p: FlowsUrlParams, base = '/api/flows'): string {
  const params = new URLSearchParams();
  if (p.q?.trim()) params.set('q', p.q.trim());
  if (p.since) params.set('since', p.since);
  if (p.until) params.set('until', p.until);
  if (p.limit !== undefined) params.set('limit', String(p.limit));
  if (p.cursor) params.set('cursor', p.cursor);
  if (p.format && p.format !== 'json') params.set('format', p.format);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

/**
 * `flows-<from>-<to>.jsonpb` (or `.csv` for a CSV export), times compacted (`20260115T120000Z`);
 * `until` defaults to now.
 */
export function flowsExportFilename(query: Pick<FlowsPageQuery, 'since' | 'until'> & { format?: FlowsFormat }, nowMs: number): string {
  const compact = (rfc3339: string) => rfc3339.replace(/\.\d+/, '').replace(/[-:]/g, '');
  const to = query.until ?? new Date(nowMs).toISOString();
  return `flows-${query.since ? compact(query.since) : 'start'}-${compact(to)}.${query.format === 'csv' ? 'csv' : 'jsonpb'}`;
}
