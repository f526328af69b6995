import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { mapApiUrl, type MapView } from './map-view';
import { ApiRequestError, requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** How often a live map asks again: the issue asks for at least every 2 s. */
export const LIVE_REFRESH_MS = 2_000;

/** Asks of one raw aggregation (each continues from the hours the last one finished): 30 s each. */
const RAW_CONTINUATIONS = 20;

/** How far a raw aggregation got, when the API refused to wait longer and asking again continues it. */
export function mapProgressOf(err: unknown): { done: number; total: number } | undefined {
  if (!(err instanceof ApiRequestError)) return undefined;
  const progress = err.body.progress as { done?: unknown; total?: unknown } | undefined;
  return typeof progress?.done === 'number' && typeof progress.total === 'number' ? { done: progress.done, total: progress.total } : undefined;
}

/**
 * The service map of a view (GET /api/service-map). A live view polls; a pinned window never
 * changes. While another view loads, the previous map stays up (marked as placeholder data).
 * `nowMs` bounds a pinned window's timeline; pass the same value for the same view.
 */
export function serviceMapQuery(view: MapView, nowMs: number) {
  const url = mapApiUrl(view, nowMs);
  return queryOptions({
    queryKey: ['service-map', url],
    queryFn: ({ signal }) => requestJson<ServiceMapResponse>(url, { signal }),
    refetchInterval: view.live ? LIVE_REFRESH_MS : false,
    staleTime: view.live ? 0 : Infinity,
    placeholderData: keepPreviousData,
    // Deep-comparing a multi-megabyte answer with the last one costs more on every live tick than
    // it saves: the map's memoized parts compare the primitives they draw, not objects.
    structuralSharing: false,
    retry: (count, err) => {
      if (mapProgressOf(err)) return count < RAW_CONTINUATIONS;
      return retryOnceUnlessRefused(count, err);
    },
    retryDelay: (count, err) => (mapProgressOf(err) ? 0 : Math.min(1000 * 2 ** count, 30_000)),
  });
}
