import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { DropGroupKey } from '../../lib/api/drop-groups';
import {
  dropGroupApiUrl, dropsUrl, DROPS_DEFAULT_LIMIT, DROPS_DEFAULT_SINCE, DROP_SORTS, type DropGroupDetail, type DropGroupsResponse,
  type DropSort,
} from '../../lib/api/drops';
import { shellQuote } from '../../lib/filter/print-observe-args';
import { requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** What the /drops page shows; every field lives in the URL so a link reopens the same view. */
export interface DropsView {
  /** `hubble observe` filter flags, as typed. */
  q: string;
  /** A duration (`1h`) back from now, or an RFC 3339 time. */
  since: string;
  /** Absolute end of the window; absent means "now", and the inbox then refreshes on its own. */
  until?: string;
  sort: DropSort;
  limit: number;
}

export const DROPS_VIEW_LIMITS = [25, 50, 100, 500, 1000] as const;
/** How often an open-ended inbox asks again: a new drop group shows within this (plus ingest latency). */
export const DROPS_REFRESH_MS = 5_000;

/**
 * The view a `/drops?...` URL describes; missing or malformed values fall back to the defaults.
 * `namespace=<ns>` (the triage page's links) stands for `q=--namespace <ns>` when there is no `q`.
 */
export function dropsViewFromSearch(params: URLSearchParams): DropsView {
  const limit = Number(params.get('limit'));
  const sort = params.get('sort') ?? '';
  const until = params.get('until') || undefined;
  const namespace = params.get('namespace');
  return {
    q: params.get('q') ?? (namespace ? `--namespace ${shellQuote(namespace)}` : ''),
    since: params.get('since') || DROPS_DEFAULT_SINCE,
    ...(until ? { until } : {}),
    sort: (DROP_SORTS as readonly string[]).includes(sort) ? (sort as DropSort) : 'count',
    limit: Number.isInteger(limit) && limit > 0 ? limit : DROPS_DEFAULT_LIMIT,
  };
}

/** The page URL for a view (the inverse of `dropsViewFromSearch`). */
export function dropsViewHref(view: DropsView): string {
  return dropsUrl(view, '/drops');
}

/** The inbox for a view; an open-ended window is asked again every DROPS_REFRESH_MS. */
export function dropsQuery(view: DropsView) {
  return queryOptions({
    queryKey: ['drops', view.q, view.since, view.until ?? null, view.sort, view.limit],
    queryFn: ({ signal }) => requestJson<DropGroupsResponse>(dropsUrl(view), { signal }),
    refetchInterval: view.until ? false : DROPS_REFRESH_MS,
    // Keeps the table in place while a new sort or filter loads.
    placeholderData: keepPreviousData,
    staleTime: view.until ? Infinity : 0,
    retry: retryOnceUnlessRefused,
  });
}

/** A group's page for a window. */
export function dropGroupQuery(key: DropGroupKey, window: { since?: string; until?: string }) {
  const url = dropGroupApiUrl(key, window);
  return queryOptions({
    queryKey: ['drop-group', url],
    queryFn: ({ signal }) => requestJson<DropGroupDetail>(url, { signal }),
    staleTime: window.until ? Infinity : 0,
    retry: retryOnceUnlessRefused,
  });
}
