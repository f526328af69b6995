import { infiniteQueryOptions } from '@tanstack/react-query';
import { flowsUrl, FLOWS_PAGE_DEFAULT_LIMIT, type FlowsPage, type FlowsUrlParams } from '../../lib/api/flows-query';
import { resolveObserveTime } from '../../lib/time/observe-time';
import { requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** What the /flows page shows; every field lives in the page's URL so a link reopens the same view. */
export interface FlowsView {
  /** `hubble observe` filter flags, as typed. */
  q: string;
  /** `--since` value: a duration (`1h`) counts back from `until` when that is set. */
  since: string;
  /** Absolute end of the window (RFC 3339), pinned when a filter is applied; absent means "now". */
  until?: string;
  limit: number;
  /** Live tail on: flows stored after `until` stream in above the window's (`live=1`). */
  live?: true;
  /** The flow open in the detail drawer: its row key (flowRowKey, the uuid when it has one). */
  flow?: string;
}

export const FLOWS_VIEW_DEFAULT_SINCE = '1h';
export const FLOWS_VIEW_LIMITS = [50, 100, 500, 1000] as const;

/** The view a `/flows?...` URL describes; missing or malformed values fall back to the defaults. */
export function flowsViewFromSearch(params: URLSearchParams): FlowsView {
  const limit = Number(params.get('limit'));
  const until = params.get('until') || undefined;
  const flow = params.get('flow') || undefined;
  return {
    q: params.get('q') ?? '',
    since: params.get('since') || FLOWS_VIEW_DEFAULT_SINCE,
    ...(until ? { until } : {}),
    limit: Number.isInteger(limit) && limit > 0 ? limit : FLOWS_PAGE_DEFAULT_LIMIT,
    ...(params.get('live') === '1' ? { live: true as const } : {}),
    ...(flow ? { flow } : {}),
  };
}

/** The page URL for a view (the inverse of `flowsViewFromSearch`). */
export function flowsViewHref(view: FlowsView): string {
  const base = flowsUrl({ q: view.q, since: view.since, until: view.until, limit: view.limit }, '/flows');
  const more = new URLSearchParams();
  if (view.live) more.set('live', '1');
  if (view.flow) more.set('flow', view.flow);
  const tail = more.toString();
  return tail ? `${base}${base.includes('?') ? '&' : '?'}${tail}` : base;
}

const SINCE_FLAG = /(^|\s)--since(=|\s|$)/;
const UNTIL_FLAG = /(^|\s)--until(=|\s|$)/;

/**
 * The API parameters for a view. The API lets explicit `since`/`until` win over the flags in `q`,
 * so a bound typed as a flag leaves the field out. A relative `since` is resolved against the pinned
 * `until`, which keeps a shared link's window fixed; a value that does not parse is sent as typed so
 * the API answers with its own message.
 */
export function flowsApiParams(view: FlowsView): FlowsUrlParams {
  const until = UNTIL_FLAG.test(view.q) ? undefined : view.until;
  let since: string | undefined = SINCE_FLAG.test(view.q) ? undefined : view.since;
  if (since && until) {
    const untilMs = Date.parse(until);
    try {
      if (!Number.isNaN(untilMs)) since = resolveObserveTime(since, untilMs);
    } catch {
      // Sent as typed: the API reports the error.
    }
  }
  return { q: view.q, since, until, limit: view.limit };
}

/** Why the view cannot be followed live (a `--until` flag ends it), or undefined when it can. */
export function flowsLiveBlocked(view: Pick<FlowsView, 'q'>): string | undefined {
  return UNTIL_FLAG.test(view.q) ? 'The --until flag ends the time range: remove it to follow new flows live.' : undefined;
}

/**
 * Where to pin the end of a window applied at `nowMs`: the newest flow the collector has stored
 * when that is earlier, since flows still queued (a collector catching up after start) would
 * otherwise appear later inside the window and a reload would not show the same rows.
 */
export function flowsWindowEnd(nowMs: number, newestStoredFlowTime?: string): string {
  const storedMs = newestStoredFlowTime ? Date.parse(newestStoredFlowTime) : NaN;
  return storedMs < nowMs ? newestStoredFlowTime! : new Date(nowMs).toISOString();
}

/** Pages of flows for a view, newest first; the next page starts at the previous page's `nextCursor`. */
export function flowsQuery(view: FlowsView) {
  const params = flowsApiParams(view);
  return infiniteQueryOptions({
    queryKey: ['flows', view.q, view.since, view.until ?? null, view.limit],
    queryFn: ({ pageParam, signal }) => requestJson<FlowsPage>(flowsUrl({ ...params, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    // A pinned window never changes; an open-ended one is refetched like anything else.
    staleTime: view.until ? Infinity : 0,
    retry: retryOnceUnlessRefused,
  });
}

/**
 * The download of every flow in the view (not only the loaded pages): `-o jsonpb` lines or CSV.
 * A live view's result runs on past the pinned end, so its export does too, up to the click.
 */
export function flowsExportHref(view: FlowsView, format: 'jsonpb' | 'csv' = 'jsonpb'): string {
  const { limit: _limit, until, ...params } = flowsApiParams(view);
  return flowsUrl({ ...params, ...(view.live ? {} : { until }), format });
}
