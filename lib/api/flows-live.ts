/**
 * The contract of `GET /api/flows/live`, a Server-Sent Events stream of flows as they are stored,
 * shared by the route handler (which parses with it) and the browser (which builds the URL with it):
 *
 *   /api/flows/live?q=<hubble observe flags>&after=<RFC 3339>
 *
 * - `q`: the filter flags of `GET /api/flows`, parsed by the same parser and matched in memory by the
 *   same filter model. Its `--since` is ignored (the stream starts at `after`); `--until` is refused,
 *   since a live tail has no end.
 * - `after`: the stream first sends the stored flows later than this time (strictly), at most
 *   LIVE_BACKFILL_MAX of them, so a page pinned at `until=T` continues with `after=T` without a gap;
 *   when more were stored since, or the live subscription could not be made sure of in time,
 *   `ready.complete` is false and the page says so.
 *   Without it the stream holds only flows stored from the moment it opened.
 * - The `Last-Event-ID` header (sent by EventSource when it reconnects) replaces `after`, moved back
 *   by LIVE_RECONNECT_OVERLAP_MS: flows stored out of time order during the outage are sent again
 *   rather than lost, and the client drops the repeats by flow key.
 *
 * Messages (the HTTP status is 200 once the stream starts; a refused request is a 400 with
 * `{ error }` as for `GET /api/flows`, which EventSource reports as a failed connection):
 *
 *   event: ready   data: LiveReadyEvent   once, when the stream is subscribed and the backfill read
 *   event: flows   data: LiveFlowsEvent   id: the newest flow time sent so far
 *   event: lost    data: LiveLostEvent    flows this connection skipped: the client read too slowly, or
 *                                         more than LIVE_RATE_MAX flows/s matched
 *   : heartbeat                           a comment every LIVE_HEARTBEAT_MS while nothing else is sent
 */
import type { FlowsResponse } from '../flow/flow';
import type { FlowFilterSet } from '../filter/flow-filter';
import { formatObserveCommand } from '../filter/print-observe-args';
import { formatTimestamp, parseTimestamp, timestampFromMs, timestampToMs } from '../time/timestamp';
import { parseFlowsQuery, type FlowsQueryError } from './flows-query';

/** A comment line goes out this often on an idle stream, so proxies and browsers keep it open. */
export const LIVE_HEARTBEAT_MS = 15_000;
/** Flows one connection holds for a slow reader before it drops the oldest (and sends `lost`). */
export const LIVE_BUFFER_MAX = 10_000;
/**
 * Stored flows sent at most for `after`; more than that and `ready.complete` is false. Four
 * seconds of LIVE_RATE_MAX: a quiet view's stream bridges minutes of a dropped connection, and a
 * busy one's, where more than that matched, was skipping flows live anyway. Each is read from the
 * database and parsed when the stream opens, so a dozen tails opening at once on a busy cluster
 * stay cheap.
 */
export const LIVE_BACKFILL_MAX = 2_000;
/**
 * Live flows one connection sends per second at most (the first ones of each clock second). A
 * live tail is read by a person: beyond this the connection skips flows, says how many (`lost`
 * with reason `rate`), and every one of them is still stored for the table, exports and the map.
 * 500 a second is already too fast to read and is about 0.7 MB/s per open tab; 2,000 was 2.8 MB/s,
 * a lot over an on-call engineer's VPN, and a dozen such tabs cost the server more than ingesting.
 */
export const LIVE_RATE_MAX = 500;
/** Flows per `flows` message at most. */
export const LIVE_BATCH_MAX = 500;
/** How far before the last event id a reconnected stream starts again. */
export const LIVE_RECONNECT_OVERLAP_MS = 5_000;

/** The named events of the stream (heartbeats are comments, not events). */
export type LiveEventName = 'ready' | 'flows' | 'lost';

/** `ready`: how many stored flows since `after` follow, and whether they are all of them. */
export interface LiveReadyEvent {
  backfilled: number;
  /** False when flows since `after` were more than LIVE_BACKFILL_MAX or could not be read. */
  complete: boolean;
}

/** `flows`: flows matching the filter, oldest first. */
export interface LiveFlowsEvent {
  flows: FlowsResponse[];
}

/** `lost`: flows that matched but were not sent: the client did not keep up, or more matched than LIVE_RATE_MAX a second. */
export interface LiveLostEvent {
  count: number;
  /** `behind` when absent (servers before the rate cap sent no reason). */
  reason?: 'behind' | 'rate';
}

/** A validated live request. */
export interface FlowsLiveQuery {
  filterArgs: string[];
  filters: FlowFilterSet;
  /** RFC 3339: send stored flows later than this first. */
  after?: string;
  /** The `hubble observe` command with the same filters. */
  command: string;
}

export type FlowsLiveQueryResult = { ok: true; query: FlowsLiveQuery } | ({ ok: false } & FlowsQueryError);

function reconnectAfter(lastEventId: string | null | undefined): string | undefined {
  const ts = lastEventId ? parseTimestamp(lastEventId) : undefined;
  return ts && formatTimestamp(timestampFromMs(timestampToMs(ts) - LIVE_RECONNECT_OVERLAP_MS));
}

/**
 * Parses the query string (and the `Last-Event-ID` header) of `GET /api/flows/live`. Never throws
 * for bad input: it answers `{ ok: false, status: 400, error }` like parseFlowsQuery.
 */
export function parseFlowsLiveQuery(params: URLSearchParams, lastEventId: string | null | undefined, nowMs: number): FlowsLiveQueryResult {
  const parsed = parseFlowsQuery(new URLSearchParams({ q: params.get('q') ?? '' }), nowMs);
  if (!parsed.ok) return parsed;
  const { filterArgs, filters, until } = parsed.query;
  if (until !== undefined) return { ok: false, status: 400, error: '--until is not supported by the live stream: a live tail has no end' };
  const afterText = params.get('after') || undefined;
  const afterTs = afterText === undefined ? undefined : parseTimestamp(afterText);
  if (afterText !== undefined && !afterTs) {
    return { ok: false, status: 400, error: `after: expected an RFC 3339 time, got ${JSON.stringify(afterText)}` };
  }
  // An id that does not parse came from elsewhere (a proxy, an old tab): start from `after` instead.
  const after = reconnectAfter(lastEventId) ?? (afterTs && formatTimestamp(afterTs));
  const command = formatObserveCommand({ filters, follow: true });
  return { ok: true, query: { filterArgs, filters, ...(after ? { after } : {}), command } };
}

/** The stream URL (relative, for EventSource); empty values are left out. */
export function flowsLiveUrl(p: { q?: string; after?: string }): string {
  const params = new URLSearchParams();
  if (p.q?.trim()) params.set('q', p.q.trim());
  if (p.after) params.set('after', p.after);
  const text = params.toString();
  return text ? `/api/flows/live?${text}` : '/api/flows/live';
}

/** One SSE message. JSON never holds a raw line end, so `data` is always a single line. */
export function sseMessage(event: LiveEventName, data: LiveReadyEvent | LiveFlowsEvent | LiveLostEvent, id?: string): string {
  return `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** The comment line that keeps an idle stream open. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';
