import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { FlowsPage } from '../../lib/api/flows-query';
import {
  investigationFlowsUrl, type InvestigationCreateBody, type InvestigationCreated, type InvestigationDetail, type InvestigationList,
  type InvestigationPreview,
} from '../../lib/api/investigations';

/** Frozen flows per page of the investigation view. */
export const INVESTIGATION_PAGE_SIZE = 500;

/** A refused or failed request, with the API's message. */
export class InvestigationRequestError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

async function send<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', ...init });
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new InvestigationRequestError(body.error ?? `HTTP ${res.status}`, res.status);
  return body as T;
}

const noRetryOn4xx = (count: number, err: Error) => !(err instanceof InvestigationRequestError && err.status < 500) && count < 1;

/** The list of investigations, newest first. */
export function investigationsListQuery() {
  return queryOptions({
    queryKey: ['investigations'],
    queryFn: ({ signal }) => send<InvestigationList>('/api/investigations', { signal }),
    retry: noRetryOn4xx,
  });
}

/** One investigation; refetched every `refreshMs` while its total is still being counted. */
export function investigationQuery(detail: InvestigationDetail, refreshMs: number | false) {
  return queryOptions({
    queryKey: ['investigation', detail.id],
    queryFn: ({ signal }) => send<InvestigationDetail>(`/api/investigations/${encodeURIComponent(detail.id)}`, { signal }),
    initialData: detail,
    // The stored record only changes while its total is counted: otherwise never fetched again.
    staleTime: refreshMs === false ? Infinity : 0,
    refetchInterval: refreshMs,
    retry: noRetryOn4xx,
  });
}

/** An investigation's frozen flows, newest first, page by page. They never change: fetched once. */
export function investigationFlowsQuery(id: string) {
  return infiniteQueryOptions({
    queryKey: ['investigation-flows', id],
    queryFn: ({ pageParam, signal }) => send<FlowsPage>(investigationFlowsUrl(id, { limit: INVESTIGATION_PAGE_SIZE, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Infinity,
    retry: noRetryOn4xx,
  });
}

/** How many flows Share would freeze for a resolved window. */
export function investigationPreviewQuery(p: { q: string; since: string; until: string }) {
  const params = new URLSearchParams({ q: p.q, since: p.since, until: p.until });
  return queryOptions({
    queryKey: ['investigation-preview', p.q, p.since, p.until],
    queryFn: ({ signal }) => send<InvestigationPreview>(`/api/investigations/preview?${params}`, { signal }),
    staleTime: Infinity,
    retry: noRetryOn4xx,
  });
}

/** POST /api/investigations. */
export function createInvestigationRequest(body: InvestigationCreateBody): Promise<InvestigationCreated> {
  return send<InvestigationCreated>('/api/investigations', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

/** DELETE /api/investigations/<id>. */
export function deleteInvestigationRequest(id: string): Promise<void> {
  return send<void>(`/api/investigations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
