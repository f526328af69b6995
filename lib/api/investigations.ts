/**
 * The contract of the investigations API, shared by its route handlers and the components:
 *
 *   POST   /api/investigations                      create (InvestigationCreateBody) → 201 InvestigationCreated
 *   GET    /api/investigations?limit=                the newest first → InvestigationList
 *   GET    /api/investigations/preview?q=&since=&until=   how many flows Share would freeze → InvestigationPreview
 *   GET    /api/investigations/<id>                  one → InvestigationDetail
 *   DELETE /api/investigations/<id>                  → 204
 *   GET    /api/investigations/<id>/flows?limit=&cursor=[&format=jsonpb|csv]
 *          the frozen flows: a FlowsPage newest first, or every one of them, oldest first, as a download
 *
 * An investigation freezes a view: the filter, the window with relative bounds resolved when it was
 * made, the view's own state, and a copy of the newest INVESTIGATION_FLOW_CAP matching flows.
 */
import type { FlowFilterSet } from '../filter/flow-filter';
import { edgeFilter } from '../filter/edge-filter';
import { parseObserveArgs } from '../filter/observe-args';
import { formatObserveCommand, printObserveArgs, shellQuote } from '../filter/print-observe-args';
import { decodeFlowsCursor, FlowsCursorError, type FlowsCursor } from './flows-cursor';
import { dropGroupSelection } from './drop-groups';
import { FLOWS_PAGE_DEFAULT_LIMIT, FLOWS_PAGE_MAX_LIMIT, parseFlowsQuery } from './flows-query';
import { resolveObserveTime } from '../time/observe-time';
import { parseTimestamp, timestampToNs } from '../time/timestamp';
import {
  checkInvestigationView, checkMapSnapshot, INVESTIGATION_KINDS, InvestigationViewError,
  type DropGroupInvestigationView, type InvestigationKind, type InvestigationViewState,
} from './investigation-view';
import type { ServiceMapResponse } from './service-map';
import { splitShellWords } from './shell-words';

export { INVESTIGATION_KINDS, type InvestigationKind, type InvestigationViewState };

/** The most flows one investigation copies: the newest ones of the window. */
export const INVESTIGATION_FLOW_CAP = 50_000;
export const INVESTIGATION_TITLE_MAX = 200;
export const INVESTIGATION_NOTES_MAX = 20_000;
/** Request bodies larger than this are refused before they are parsed (the map snapshot dominates). */
export const INVESTIGATION_BODY_MAX_BYTES = 5 * 1024 * 1024;
export const INVESTIGATIONS_LIST_DEFAULT_LIMIT = 200;
export const INVESTIGATIONS_LIST_MAX_LIMIT = 1000;

/** What POST /api/investigations takes. */
export interface InvestigationCreateBody {
  kind: InvestigationKind;
  title: string;
  notes?: string;
  /** `hubble observe` filter flags; for a drop group, empty means the group's own filter. */
  q?: string;
  /** Anything `hubble observe --since` takes; relative values are resolved when the request arrives. */
  since: string;
  /** Like `since`; absent means now. */
  until?: string;
  /** The view's own state (see lib/api/investigation-view.ts). */
  view?: Record<string, unknown>;
  /**
   * Kind `map` only: the graph exactly as shown. Without it the server draws the map of the frozen
   * window and the view's scope (namespaces, cluster, hide) the way GET /api/service-map does.
   */
  map?: ServiceMapResponse;
}

/** A checked create request, every bound absolute. */
export interface InvestigationDraft {
  kind: InvestigationKind;
  title: string;
  notes: string;
  /** Canonical filter flags, without --since/--until. */
  q: string;
  filters: FlowFilterSet;
  /** Inclusive bounds, RFC 3339 UTC. */
  since: string;
  until: string;
  view: InvestigationViewState;
  map?: ServiceMapResponse;
}

/** One investigation in the list. */
export interface InvestigationSummary {
  id: string;
  kind: InvestigationKind;
  title: string;
  /** RFC 3339. */
  createdAt: string;
  q: string;
  since: string;
  until: string;
  flowCap: number;
  /** Flows frozen. */
  flowCount: number;
  /** More flows matched than the cap: only the newest flowCap were frozen. */
  truncated: boolean;
  /** Flows that matched in the window; null while a truncated snapshot's total is still being counted. */
  matchingFlows: number | null;
}

export interface InvestigationDetail extends InvestigationSummary {
  notes: string;
  view: InvestigationViewState;
  map?: ServiceMapResponse;
  /** The `hubble observe` command for the frozen filter and window. */
  command: string;
  /** Times of the oldest and newest frozen flow (RFC 3339); absent without flows. */
  oldestFlowTime?: string;
  newestFlowTime?: string;
}

export interface InvestigationCreated {
  investigation: InvestigationSummary;
  /** The permalink, relative: `/i/<id>`. */
  url: string;
}

export interface InvestigationList {
  investigations: InvestigationSummary[];
  /** More investigations exist than the limit let through. */
  more: boolean;
}

/** How many flows the filter matches in the window, counted up to cap + 1. */
export interface InvestigationPreview {
  since: string;
  until: string;
  /** Exact when capped is false; otherwise "more than cap". */
  matching: number;
  capped: boolean;
  cap: number;
}

export interface InvestigationFlowsQuery {
  limit: number;
  cursor?: FlowsCursor;
  format: 'json' | 'jsonpb' | 'csv';
}

/** The window and filter of a preview. */
export interface InvestigationWindowQuery {
  filters: FlowFilterSet;
  since: string;
  until: string;
}

export type InvestigationsResult<T> = { ok: true; value: T } | { ok: false; status: 400; error: string };

class BadRequest extends Error {}

const ID = /^[A-Za-z0-9_-]{22}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The permalink of an investigation. */
export function investigationHref(id: string): string {
  return `/i/${encodeURIComponent(id)}`;
}

/** An investigation id as handed out (22 base64url characters), or undefined for anything else. */
export function parseInvestigationId(text: string): string | undefined {
  return ID.test(text) ? text : undefined;
}

function text(body: Record<string, unknown>, key: string, max: number, required: boolean): string {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new BadRequest(`${key}: required`);
    return '';
  }
  if (typeof v !== 'string') throw new BadRequest(`${key}: expected a string`);
  const trimmed = v.trim();
  if (required && trimmed === '') throw new BadRequest(`${key}: required`);
  if (trimmed.length > max) throw new BadRequest(`${key}: longer than ${max} characters`);
  return key === 'notes' ? v.replace(/\s+$/, '') : trimmed;
}

/** The filter, the window resolved against nowMs (until defaulting to now), the canonical flags. */
function resolveWindow(q: string, since: string | undefined, until: string | undefined, nowMs: number): InvestigationWindowQuery & { q: string } {
  const params = new URLSearchParams({ q });
  if (since !== undefined) params.set('since', since);
  if (until !== undefined) params.set('until', until);
  const parsed = parseFlowsQuery(params, nowMs);
  if (!parsed.ok) throw new BadRequest(parsed.error);
  const { filters, since: from } = parsed.query;
  if (from === undefined) throw new BadRequest('since: required (the start of the window to freeze, e.g. 1h or an RFC 3339 time)');
  const to = parsed.query.until ?? resolveObserveTime('0s', nowMs);
  if (timestampToNs(parseTimestamp(from)!) > timestampToNs(parseTimestamp(to)!)) throw new BadRequest(`since (${from}) is after until (${to})`);
  return { filters, since: from, until: to, q: printObserveArgs({ filters }).map(shellQuote).join(' ') };
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new BadRequest(`${key}: expected a string`);
  return v;
}

function buildDraft(body: unknown, nowMs: number): InvestigationDraft {
  if (!isObject(body)) throw new BadRequest('expected a JSON object');
  const kind = body.kind;
  if (typeof kind !== 'string' || !(INVESTIGATION_KINDS as readonly string[]).includes(kind)) {
    throw new BadRequest(`kind: expected one of ${INVESTIGATION_KINDS.join(', ')}`);
  }
  const k = kind as InvestigationKind;
  const title = text(body, 'title', INVESTIGATION_TITLE_MAX, true);
  const notes = text(body, 'notes', INVESTIGATION_NOTES_MAX, false);
  const view = checkInvestigationView(k, body.view);
  let q = optionalString(body, 'q') ?? '';
  if (k === 'drop-group' && q.trim() === '') {
    // A drop group's flows are its edge's requests, dropped for its reason.
    const { group } = view as unknown as DropGroupInvestigationView;
    q = printObserveArgs({ filters: { whitelist: [edgeFilter(dropGroupSelection(group))], blacklist: [] } }).map(shellQuote).join(' ');
  }
  const window = resolveWindow(q, optionalString(body, 'since'), optionalString(body, 'until'), nowMs);
  if (k !== 'map' && body.map !== undefined) throw new BadRequest('map: only for kind map');
  const map = k === 'map' && body.map !== undefined && body.map !== null ? checkMapSnapshot(body.map) : undefined;
  return { kind: k, title, notes, ...window, view, ...(map ? { map } : {}) };
}

/**
 * Checks a create request against the clock nowMs (relative bounds are resolved with it). Never
 * throws for bad input: it answers `{ ok: false, status: 400, error }` naming the field at fault.
 */
export function parseInvestigationCreate(body: unknown, nowMs: number): InvestigationsResult<InvestigationDraft> {
  try {
    return { ok: true, value: buildDraft(body, nowMs) };
  } catch (e) {
    if (e instanceof BadRequest || e instanceof InvestigationViewError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** `q`, `since`, `until` of a preview, read like a create request's; never throws for bad input. */
export function parseInvestigationPreview(params: URLSearchParams, nowMs: number): InvestigationsResult<InvestigationWindowQuery> {
  try {
    const { filters, since, until } = resolveWindow(params.get('q') ?? '', params.get('since') || undefined, params.get('until') || undefined, nowMs);
    return { ok: true, value: { filters, since, until } };
  } catch (e) {
    if (e instanceof BadRequest) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

function parseLimit(textValue: string | null, fallback: number, max: number): number {
  if (textValue === null || textValue === '') return fallback;
  const n = /^\d{1,7}$/.test(textValue) ? Number(textValue) : NaN;
  if (!(n >= 1 && n <= max)) throw new BadRequest(`limit: expected a whole number from 1 to ${max}, got ${JSON.stringify(textValue)}`);
  return n;
}

/** `limit`, `cursor` and `format` of the frozen flows; never throws for bad input. */
export function parseInvestigationFlowsQuery(params: URLSearchParams): InvestigationsResult<InvestigationFlowsQuery> {
  try {
    const format = params.get('format') || 'json';
    if (format !== 'json' && format !== 'jsonpb' && format !== 'csv') throw new BadRequest(`format: expected json, jsonpb or csv, got ${JSON.stringify(format)}`);
    const cursorText = params.get('cursor');
    const cursor = cursorText ? decodeFlowsCursor(cursorText) : undefined;
    return { ok: true, value: { limit: parseLimit(params.get('limit'), FLOWS_PAGE_DEFAULT_LIMIT, FLOWS_PAGE_MAX_LIMIT), format, ...(cursor ? { cursor } : {}) } };
  } catch (e) {
    if (e instanceof BadRequest || e instanceof FlowsCursorError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** `limit` of the list; never throws for bad input. */
export function parseInvestigationsListQuery(params: URLSearchParams): InvestigationsResult<{ limit: number }> {
  try {
    return { ok: true, value: { limit: parseLimit(params.get('limit'), INVESTIGATIONS_LIST_DEFAULT_LIMIT, INVESTIGATIONS_LIST_MAX_LIMIT) } };
  } catch (e) {
    if (e instanceof BadRequest) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** The `hubble observe` command that selects an investigation's flows (from its stored flags and window). */
export function investigationCommand(filters: FlowFilterSet, since: string, until: string): string {
  return formatObserveCommand({ filters, since, until });
}

/** `investigation-<id>.jsonpb` or `.csv`. */
export function investigationExportFilename(id: string, format: 'jsonpb' | 'csv'): string {
  return `investigation-${id}.${format}`;
}

/** The URL of the frozen flows (a page, or a download with format). */
export function investigationFlowsUrl(id: string, p: { limit?: number; cursor?: string; format?: 'jsonpb' | 'csv' } = {}): string {
  const params = new URLSearchParams();
  if (p.limit !== undefined) params.set('limit', String(p.limit));
  if (p.cursor) params.set('cursor', p.cursor);
  if (p.format) params.set('format', p.format);
  const query = params.toString();
  return `/api/investigations/${encodeURIComponent(id)}/flows${query ? `?${query}` : ''}`;
}

/** The filters of a stored investigation's canonical flags (which always parse: they were printed from filters). */
export function investigationFilters(q: string): FlowFilterSet {
  return parseObserveArgs(splitShellWords(q)).filters;
}
