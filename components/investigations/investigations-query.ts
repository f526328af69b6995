import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { FlowsPage } from '../../lib/api/flows-query';
import {
  investigationFlowsUrl, type InvestigationCreateBody, type InvestigationCreated, type InvestigationDetail, type InvestigationList,
  type InvestigationPreview,
} from '../../lib/api/investigations';
import { requestJson, retryOnceUnlessRefused } from '../api/api-request';

/** Frozen flows per page of the investigation view. */
export const INVESTIGATION_PAGE_SIZE = 500;

/** The list of investigations, newest first. */
export function investigationsListQuery() {
  return queryOptions({
    queryKey: ['investigations'],
    queryFn: ({ signal }) => requestJson<InvestigationList>('/api/investigations', { signal }),
    retry: retryOnceUnlessRefused,
  });
}

/** One investigation; refetched every `refreshMs` while its total is still being counted. */
export function investigationQuery(detail: InvestigationDetail, refreshMs: number | false) {
  return queryOptions({
    queryKey: ['investigation', detail.id],
    queryFn: ({ signal }) => requestJson<InvestigationDetail>(`/api/investigations/${encodeURIComponent(detail.id)}`, { signal }),
    initialData: detail,
    // The stored record only changes while its total is counted: otherwise never fetched again.
    staleTime: refreshMs === false ? Infinity : 0,
    refetchInterval: refreshMs,
    retry: retryOnceUnlessRefused,
  });
}

/** An investigation's frozen flows, newest first, page by page. They never change: fetched once. */
export function investigationFlowsQuery(id: string) {
  return infiniteQueryOptions({
    queryKey: ['investigation-flows', id],
    queryFn: ({ pageParam, signal }) => requestJson<FlowsPage>(investigationFlowsUrl(id, { limit: INVESTIGATION_PAGE_SIZE, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Infinity,
    retry: retryOnceUnlessRefused,
  });
}

/** How many flows Share would freeze for a resolved window. */
export function investigationPreviewQuery(p: { q: string; since: string; until: string }) {
  const params = new URLSearchParams({ q: p.q, since: p.since, until: p.until });
  return queryOptions({
    queryKey: ['investigation-preview', p.q, p.since, p.until],
    queryFn: ({ signal }) => requestJson<InvestigationPreview>(`/api/investigations/preview?${params}`, { signal }),
    staleTime: Infinity,
    retry: retryOnceUnlessRefused,
  });
}

/** POST /api/investigations. */
export function createInvestigationRequest(body: InvestigationCreateBody): Promise<InvestigationCreated> {
  return requestJson<InvestigationCreated>('/api/investigations', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

/** DELETE /api/investigations/<id>. */
export function deleteInvestigationRequest(id: string): Promise<void> {
  return requestJson<void>(`/api/investigations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
