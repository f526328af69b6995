'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { FilterBar, type FilterBarValue } from '../filter-bar/filter-bar';
import { ingestStatusQuery } from '../ingest-status/ingest-status-query';
import { FlowsCommand } from './flows-command';
import {
  flowsExportHref, flowsQuery, flowsWindowEnd, flowsViewFromSearch, flowsViewHref, FLOWS_VIEW_LIMITS, type FlowsView as View,
} from './flows-query';
import { FlowsTable } from './flows-table';

/**
 * The /flows page body. The URL is the state: applying a filter fetches its first page, and only
 * when the API accepts it replaces the URL, so a refused filter leaves the shown results in place.
 */
export function FlowsView() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const queryClient = useQueryClient();
  const view = useMemo(() => flowsViewFromSearch(new URLSearchParams(searchParams.toString())), [searchParams]);
  const query = useInfiniteQuery(flowsQuery(view));
  const [applyError, setApplyError] = useState<string>();
  const [applying, setApplying] = useState(false);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  async function apply(value: FilterBarValue) {
    setApplying(true);
    setApplyError(undefined);
    try {
      // Pinning the end of the window makes the URL reproduce these exact rows later.
      const status = await queryClient.fetchQuery({ ...ingestStatusQuery(), staleTime: 0 }).catch(() => undefined);
      const next: View = { ...value, until: flowsWindowEnd(Date.now(), status?.newestStoredFlowTime) };
      await queryClient.fetchInfiniteQuery(flowsQuery(next));
      router.replace(flowsViewHref(next), { scroll: false });
    } catch (err) {
      setApplyError(err instanceof Error ? err.message : String(err));
    } finally {
      setApplying(false);
    }
  }

  const flows = query.data?.pages.flatMap((p) => p.flows) ?? [];
  const command = query.data?.pages[0]?.command;
  const error = applyError ?? (query.isError ? query.error.message : undefined);
  return (
    <>
      <FilterBar initial={view} limits={FLOWS_VIEW_LIMITS} error={error} applying={applying} onApply={apply} />
      {command !== undefined && <FlowsCommand command={command} exportHref={flowsExportHref(view)} />}
      {query.isPending && <p className="muted">Loading flows…</p>}
      {query.data && (
        <>
          <p className="muted">
            {flows.length} flow{flows.length === 1 ? '' : 's'}, newest first
            {view.until ? `, up to ${new Date(view.until).toLocaleString()}` : ''}.{' '}
            <button type="button" className="link-button" onClick={() => apply(view)} disabled={applying}>Refresh</button>
          </p>
          <FlowsTable flows={flows} timeZone={timeZone} />
          {query.hasNextPage && (
            <button type="button" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </>
      )}
    </>
  );
}
