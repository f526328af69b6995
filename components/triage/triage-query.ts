import { queryOptions } from '@tanstack/react-query';
import { triageUrl, type TriageResponse } from '../../lib/api/triage';

/** How often the triage refreshes by itself. */
export const TRIAGE_REFRESH_MS = 5_000;

/** Query options for the triage: one key and fetcher; `refreshMs` false pauses the refresh. */
export function triageQuery(refreshMs: number | false = TRIAGE_REFRESH_MS) {
  return queryOptions({
    queryKey: ['triage'],
    queryFn: async ({ signal }): Promise<TriageResponse> => {
      const res = await fetch(triageUrl(), { cache: 'no-store', signal });
      const body = await res.json().catch(() => ({ error: `HTTP ${res.status}: the answer was not JSON` }));
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body as TriageResponse;
    },
    refetchInterval: refreshMs,
    // A failed refresh keeps the last answer on screen (with the error above it): one retry is enough.
    retry: 1,
  });
}
