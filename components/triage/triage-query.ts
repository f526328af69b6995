import { queryOptions } from '@tanstack/react-query';
import { triageUrl, type TriageResponse } from '../../lib/api/triage';
import { requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** How often the triage refreshes by itself. */
export const TRIAGE_REFRESH_MS = 5_000;

/**
 * Query options for the triage of the picked clusters (none: every cluster): one key and fetcher;
 * `refreshMs` false pauses the refresh.
 */
export function triageQuery(refreshMs: number | false = TRIAGE_REFRESH_MS, clusters: readonly string[] = []) {
  const picked = [...new Set(clusters)].sort();
  return queryOptions({
    queryKey: ['triage', picked],
    queryFn: ({ signal }) => requestJson<TriageResponse>(triageUrl({ clusters: picked }), { signal }),
    refetchInterval: refreshMs,
    // A failed refresh keeps the last answer on screen (with the error above it): one retry is enough.
    retry: retryOnceUnlessRefused,
  });
}
