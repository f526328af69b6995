import { queryOptions } from '@tanstack/react-query';
import { triageUrl, type TriageResponse } from '../../lib/api/triage';

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
    queryFn: async ({ signal }): Promise<TriageResponse> => {
      const res = await fetch(triageUrl({ clusters: picked }), { cache: 'no-store', signal });
      const body = await res.json().catch(() => ({ error: `HTTP ${res.status}: the answer was not JSON` }));
      if (!res.ok) throw Object.assign(new Error(body.error ?? `HTTP ${res.status}`), { status: res.status });
      return body as TriageResponse;
    },
    refetchInterval: refreshMs,
    // A failed refresh keeps the last answer on screen (with the error above it): one retry is enough.
    retry: 1,
  });
}
