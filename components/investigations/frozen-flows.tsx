'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { FlowDrawer } from '../flows-table/flow-drawer';
import { findRowIndex, flowRowKey, flowRows, pageFlows } from '../flows-table/flow-rows';
import { FlowsTable } from '../flows-table/flows-table';
import { investigationFlowsQuery } from './investigations-query';
import { useTimeZone } from './use-time-zone';

interface FrozenFlowsProps {
  id: string;
  /** The row key of the flow that was open when the view was shared, if any. */
  openFlow?: string;
}

/** The investigation's frozen flows in the flows table, newest first, pages loaded as the reader scrolls. */
export function FrozenFlows({ id, openFlow }: FrozenFlowsProps) {
  const timeZone = useTimeZone();
  const query = useInfiniteQuery(investigationFlowsQuery(id));
  const loaded = useMemo(() => pageFlows(query.data?.pages ?? []), [query.data]);
  const rows = useMemo(() => flowRows([], loaded), [loaded]);
  const [selectedKey, setSelectedKey] = useState(openFlow);
  const [drawer, setDrawer] = useState(openFlow !== undefined);
  const selectedIndex = useMemo(() => (selectedKey ? findRowIndex(rows, selectedKey) : undefined), [rows, selectedKey]);

  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  const onSelect = useCallback((index: number, how: 'click' | 'key') => {
    setSelectedKey(flowRowKey(rows.at(index)));
    if (how === 'click') setDrawer(true);
  }, [rows]);
  const onOpen = useCallback((index: number) => {
    setSelectedKey(flowRowKey(rows.at(index)));
    setDrawer(true);
  }, [rows]);
  const onClose = useCallback(() => setDrawer(false), []);

  if (query.isError) return <p className="error-line" role="alert">Could not load the frozen flows: {query.error.message}</p>;
  if (query.isPending || !timeZone) return <p className="muted">Loading the frozen flows…</p>;
  return (
    <div className={drawer ? 'flows-page with-drawer' : 'flows-page'}>
      <FlowsTable
        rows={rows} timeZone={timeZone} selectedIndex={selectedIndex} selectedKey={selectedKey} onSelect={onSelect} onOpen={onOpen}
        onClose={onClose} prepended={0} scrollToTopToken={0} onNearEnd={loadMore}
      />
      {hasNextPage && (
        <button type="button" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage ? 'Loading…' : isFetchNextPageError ? 'Load more (the last attempt failed)' : 'Load more'}
        </button>
      )}
      {drawer && selectedKey && (
        <FlowDrawer
          response={selectedIndex !== undefined && selectedIndex >= 0 ? rows.at(selectedIndex) : undefined} flowKey={selectedKey}
          loadedCount={rows.count} hasMore={Boolean(hasNextPage)} loading={false} timeZone={timeZone} onClose={onClose}
        />
      )}
    </div>
  );
}
