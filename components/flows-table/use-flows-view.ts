'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FilterBarValue } from '../filter-bar/filter-bar';
import { ingestStatusQuery } from '../ingest-status/ingest-status-query';
import { flowsQuery, flowsViewFromSearch, flowsViewHref, flowsWindowEnd, type FlowsView } from './flows-query';

/** What the filter bar hands over; `until` only when the user picked an absolute range. */
export type AppliedValue = FilterBarValue & { until?: string };

/**
 * The /flows view held in the URL. `apply` fetches a new window's first page and only when the API
 * accepts it replaces the URL, so a refused filter leaves the shown results in place; `setUrlState`
 * changes what needs no fetch (the open flow) without a navigation.
 */
export function useFlowsView() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const queryClient = useQueryClient();
  const view = useMemo(() => flowsViewFromSearch(new URLSearchParams(searchParams.toString())), [searchParams]);
  const viewRef = useRef(view);
  viewRef.current = view;
  const [applyError, setApplyError] = useState<Error>();
  const [applying, setApplying] = useState(false);

  /**
   * Shows a new window. Live stays as it is unless `opts.live` says otherwise; an absolute range
   * from the bar turns it off, since a window that ends in the past has nothing to follow.
   */
  const apply = useCallback(async (value: AppliedValue, opts: { live?: boolean; flow?: string } = {}) => {
    const live = opts.live ?? (Boolean(viewRef.current.live) && !value.until);
    setApplying(true);
    setApplyError(undefined);
    try {
      let until = value.until;
      if (!until) {
        // Pinning the end of the window makes the URL reproduce these exact rows later.
        const status = await queryClient.fetchQuery({ ...ingestStatusQuery(), staleTime: 0 }).catch(() => undefined);
        until = flowsWindowEnd(Date.now(), status?.newestStoredFlowTime);
      }
      const next: FlowsView = {
        q: value.q, since: value.since, until, limit: value.limit, ...(live ? { live: true as const } : {}), ...(opts.flow ? { flow: opts.flow } : {}),
      };
      await queryClient.fetchInfiniteQuery(flowsQuery(next));
      router.replace(flowsViewHref(next), { scroll: false });
    } catch (err) {
      setApplyError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setApplying(false);
    }
  }, [queryClient, router]);

  /** The same filters and open flow with the window's end pinned again at now (Refresh, Live on and off). */
  const repin = useCallback((live?: boolean) => {
    const { q, since, limit, flow } = viewRef.current;
    return apply({ q, since, limit }, { live, flow });
  }, [apply]);

  const setOpenFlow = useCallback((flow: string | undefined) => {
    // Next keeps useSearchParams in step with history.replaceState, without a server round trip.
    window.history.replaceState(null, '', flowsViewHref({ ...viewRef.current, flow }));
  }, []);

  return { view, apply, repin, applying, applyError, setOpenFlow };
}
