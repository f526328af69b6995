import { queryOptions } from '@tanstack/react-query';
import type { IngestStatus } from '../../lib/ingest/ingest-status';

/** Query options for the collector status: one key and fetcher for every user of it. */
export function ingestStatusQuery(refreshMs = 1000) {
  return queryOptions({
    queryKey: ['ingest-status'],
    queryFn: async (): Promise<IngestStatus> => {
      const res = await fetch('/api/status', { cache: 'no-store' });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body as IngestStatus;
    },
    refetchInterval: refreshMs,
  });
}
