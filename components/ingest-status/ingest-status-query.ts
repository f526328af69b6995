import { queryOptions } from '@tanstack/react-query';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** Query options for the collector status: one key and fetcher for every user of it. */
export function ingestStatusQuery(refreshMs = 1000) {
  return queryOptions({
    queryKey: ['ingest-status'],
    queryFn: ({ signal }) => requestJson<IngestStatus>('/api/status', { signal }),
    refetchInterval: refreshMs,
    // It asks again within a second anyway.
    retry: retryOnceUnlessRefused,
  });
}
