import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { mapApiUrl, type MapView } from './map-view';

/** How often a live map asks again: the issue asks for at least every 2 s. */
export const LIVE_REFRESH_MS = 2_000;

/** A refused or failed request, with the API's message; `progress` when asking again continues it. */
export class MapRequestError extends Error {
  constructor(message: string, readonly status: number, readonly progress?: { done: number; total: number }) {
    super(message);
  }
}

/** Asks of one raw aggregation (each continues from the hours the last one finished): 30 s each. */
const RAW_CONTINUATIONS = 20;

async function fetchServiceMap(url: string, signal: AbortSignal): Promise<ServiceMapResponse> {
  const res = await fetch(url, { cache: 'no-store', signal });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new MapRequestError(body.error ?? `HTTP ${res.status}`, res.status, body.progress);
  return body as ServiceMapResponse;
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
    queryFn: ({ signal }) => fetchServiceMap(url, signal),
    refetchInterval: view.live ? LIVE_REFRESH_MS : false,
    staleTime: view.live ? 0 : Infinity,
    placeholderData: keepPreviousData,
    // Deep-comparing a multi-megabyte answer with the last one costs more on every live tick than
    // it saves: the map's memoized parts compare the primitives they draw, not objects.
    structuralSharing: false,
    retry: (count, err) => {
      if (err instanceof MapRequestError && err.progress) return count < RAW_CONTINUATIONS;
      return !(err instanceof MapRequestError && err.status < 500) && count < 1;
    },
    retryDelay: (count, err) => (err instanceof MapRequestError && err.progress ? 0 : Math.min(1000 * 2 ** count, 30_000)),
  });
}
