/**
 * The contract of `GET /api/flow-values`, shared by the route handler (which parses with it) and the
 * filter bar (which builds URLs with it): values seen in stored flows, for autocompleting `hubble
 * observe` flag values and listing namespaces.
 *
 *   /api/flow-values?field=<field>&prefix=&limit=&since=&until=
 *
 * - `field`: one of FLOW_VALUE_FIELDS. Each answers values in the form its flags take them: `pod` as
 *   `namespace/pod`, `workload` as `kind/name`, `service` as `namespace/name`, `label` as
 *   `source:key=value`, `verdict` and `drop_reason` as enum names, `protocol` lower-case.
 * - `prefix`: what has been typed so far; values containing it (case-insensitive) are answered,
 *   those starting with it first. Empty: any value.
 * - `limit`: 1 to FLOW_VALUES_MAX_LIMIT values (default FLOW_VALUES_DEFAULT_LIMIT).
 * - `since`, `until`: the time window to look in, as `hubble observe --since` takes them.
 *
 * Values come from a bounded slice of the newest data in the window, so they are "seen recently",
 * not an exhaustive list; the enum fields then add the names not seen, in enum order.
 */
import { ObserveTimeError, resolveObserveTime } from '../time/observe-time';
import { parseTimestamp, timestampToNs } from '../time/timestamp';

/** The fields values can be asked for. */
export const FLOW_VALUE_FIELDS = [
  'namespace', 'pod', 'workload', 'label', 'service', 'fqdn', 'ip', 'port', 'protocol', 'verdict', 'drop_reason',
  'cluster', 'node',
] as const;

/** A field values can be asked for. */
export type FlowValueField = (typeof FLOW_VALUE_FIELDS)[number];

/** Values answered when `limit` is not given: one screenful of suggestions. */
export const FLOW_VALUES_DEFAULT_LIMIT = 20;
/** The most values one request may ask for (the namespace picker lists them all). */
export const FLOW_VALUES_MAX_LIMIT = 500;
/** Longer prefixes cannot be anything a flag value autocompletes to. */
export const FLOW_VALUES_MAX_PREFIX = 256;

/** A validated request; times resolved to RFC 3339 UTC. */
export interface FlowValuesQuery {
  field: FlowValueField;
  prefix: string;
  limit: number;
  since?: string;
  until?: string;
  /** Only flows with a side in these namespaces (the viewer's scope; set by the server, never from the URL). */
  namespaces?: readonly string[];
}

/** The answer: the values, most relevant first (prefix matches, then most flows). */
export interface FlowValues {
  field: FlowValueField;
  values: string[];
}

export type FlowValuesQueryResult = { ok: true; query: FlowValuesQuery } | { ok: false; status: 400; error: string };

class QueryError extends Error {}

const isField = (v: string): v is FlowValueField => (FLOW_VALUE_FIELDS as readonly string[]).includes(v);

function parseField(text: string | null): FlowValueField {
  if (text === null || text === '') throw new QueryError(`field: required, one of ${FLOW_VALUE_FIELDS.join(', ')}`);
  if (!isField(text)) throw new QueryError(`field: expected one of ${FLOW_VALUE_FIELDS.join(', ')}, got ${JSON.stringify(text)}`);
  return text;
}

function parseLimit(text: string | null): number {
  if (text === null || text === '') return FLOW_VALUES_DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= FLOW_VALUES_MAX_LIMIT)) throw new QueryError(`limit: expected a whole number from 1 to ${FLOW_VALUES_MAX_LIMIT}, got ${JSON.stringify(text)}`);
  return n;
}

function parsePrefix(text: string | null): string {
  const prefix = text ?? '';
  if (prefix.length > FLOW_VALUES_MAX_PREFIX) throw new QueryError(`prefix: at most ${FLOW_VALUES_MAX_PREFIX} characters`);
  // PostgreSQL text cannot hold U+0000; no stored value contains it either.
  if (prefix.includes('\0')) throw new QueryError('prefix: must not contain NUL');
  return prefix;
}

function resolveTime(name: 'since' | 'until', text: string | null, nowMs: number): string | undefined {
  if (text === null || text === '') return undefined;
  try {
    return resolveObserveTime(text, nowMs);
  } catch (e) {
    if (e instanceof ObserveTimeError) throw new QueryError(`${name}: ${e.message}`);
    throw e;
  }
}

/**
 * Parses the query string of `GET /api/flow-values` against the clock `nowMs` (for durations).
 * Never throws for bad input: it answers `{ ok: false, status: 400, error }` naming the parameter.
 */
export function parseFlowValuesQuery(params: URLSearchParams, nowMs: number): FlowValuesQueryResult {
  try {
    const since = resolveTime('since', params.get('since'), nowMs);
    const until = resolveTime('until', params.get('until'), nowMs);
    if (since && until && timestampToNs(parseTimestamp(since)!) > timestampToNs(parseTimestamp(until)!)) {
      throw new QueryError(`since (${since}) is after until (${until})`);
    }
    const query: FlowValuesQuery = {
      field: parseField(params.get('field')),
      prefix: parsePrefix(params.get('prefix')),
      limit: parseLimit(params.get('limit')),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    };
    return { ok: true, query };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, status: 400, error: e.message };
    throw e;
  }
}

/** What a client sets; only `field` is required. */
export interface FlowValuesUrlParams {
  field: FlowValueField;
  prefix?: string;
  limit?: number;
  since?: string;
  until?: string;
}

/** The URL to fetch (relative); empty values are left out. */
export function flowValuesUrl(p: FlowValuesUrlParams): string {
  const params = new URLSearchParams({ field: p.field });
  if (p.prefix) params.set('prefix', p.prefix);
  if (p.limit !== undefined) params.set('limit', String(p.limit));
  if (p.since) params.set('since', p.since);
  if (p.until) params.set('until', p.until);
  return `/api/flow-values?${params}`;
}
