'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import type { FlowsResponse } from '../../lib/flow/flow';
import { FilterBar } from '../filter-bar/filter-bar';
import { FlowDrawer } from './flow-drawer';
import { FLOW_ROWS_MAX, findRowIndex, flowRows, pageFlows } from './flow-rows';
import { ShareButton } from '../investigations/share-button';
import { FlowsCommand } from './flows-command';
import { flowsExportHref, flowsLiveBlocked, flowsQuery, FLOWS_VIEW_LIMITS } from './flows-query';
import { FlowsTable } from './flows-table';
import { LiveControls } from './live-controls';
import { initialLiveFlows, liveFlowsReducer } from './live-flows';
import { useFlowsView } from './use-flows-view';
import { useLiveFlows } from './use-live-flows';
import { useRowSelection } from './use-row-selection';

const NO_FLOWS: readonly FlowsResponse[] = [];

/**
 * The /flows page body: filters, the command and exports, the live tail, the virtualized table of
 * live flows above the loaded pages, and the drawer of the flow the URL names.
 */
export function FlowsView() {
  const { view, apply, repin, applying, applyError, setOpenFlow } = useFlowsView();
  const query = useInfiniteQuery(flowsQuery(view));
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const [live, dispatch] = useReducer(liveFlowsReducer, undefined, () => initialLiveFlows());
  // A live link opened later starts from now, not from the end pinned when it was shared.
  const [liveArmed, setLiveArmed] = useState(!view.live);
  useEffect(() => {
    if (!liveArmed) void repin(true).finally(() => setLiveArmed(true));
  }, []);
  const connection = useLiveFlows({ q: view.q, after: view.until, enabled: Boolean(view.live) && liveArmed && !query.isError, dispatch });

  const loaded = useMemo(() => pageFlows(query.data?.pages ?? []), [query.data]);
  const liveShown = view.live && live.after === view.until ? live.shown : NO_FLOWS;
  const rows = useMemo(() => flowRows(liveShown, loaded), [liveShown, loaded]);
  const { selectedKey, selectedIndex, select } = useRowSelection(rows, live.prepended, view.flow);
  const openIndex = useMemo(() => (view.flow ? findRowIndex(rows, view.flow, selectedIndex) : -1), [rows, view.flow, selectedIndex]);
  const [scrollToTopToken, setScrollToTopToken] = useState(0);

  const full = rows.count >= FLOW_ROWS_MAX;
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError && !full) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, full, fetchNextPage]);
  const onSelect = useCallback((index: number, how: 'click' | 'key') => {
    const key = select(index);
    if (how === 'click' || view.flow) setOpenFlow(key);
  }, [select, setOpenFlow, view.flow]);
  const onOpen = useCallback((index: number) => setOpenFlow(select(index)), [select, setOpenFlow]);
  const onClose = useCallback(() => setOpenFlow(undefined), [setOpenFlow]);
  const showNew = useCallback(() => {
    dispatch({ type: 'resume' });
    setScrollToTopToken((t) => t + 1);
  }, []);

  const command = query.data?.pages[0]?.command;
  const error = applyError ?? (query.isError ? query.error : undefined);
  return (
    <div className={view.flow ? 'flows-page with-drawer' : 'flows-page'}>
      <FilterBar initial={view} limits={FLOWS_VIEW_LIMITS} error={error} applying={applying} onApply={(v) => apply(v)} />
      {command !== undefined && (
        <div className="command-row">
          <FlowsCommand command={command} jsonpbHref={flowsExportHref(view, 'jsonpb')} csvHref={flowsExportHref(view, 'csv')} />
          <ShareButton kind="flows" request={{ q: view.q, since: view.since, until: view.until }} view={view.flow ? { flow: view.flow } : {}} />
        </div>
      )}
      <LiveControls
        on={Boolean(view.live)} connection={connection} live={live} blocked={flowsLiveBlocked(view)} busy={applying}
        onToggle={() => repin(!view.live)} onPause={() => dispatch({ type: 'pause' })} onShowNew={showNew}
      />
      {query.isPending && <p className="muted">Loading flows…</p>}
      {query.data && (
        <>
          <p className="muted">
            {rows.count.toLocaleString()} flow{rows.count === 1 ? '' : 's'}
            {rows.liveCount > 0 ? ` (${rows.liveCount.toLocaleString()} live)` : ''}, newest first
            {view.until ? `, window up to ${new Date(view.until).toLocaleString()}` : ''}.{' '}
            <button type="button" className="link-button" onClick={() => repin()} disabled={applying}>Refresh</button>
          </p>
          <FlowsTable
            rows={rows} timeZone={timeZone} selectedIndex={selectedIndex} selectedKey={selectedKey}
            onSelect={onSelect} onOpen={onOpen} onClose={onClose} prepended={live.prepended}
            scrollToTopToken={scrollToTopToken} onNearEnd={loadMore}
          />
          {rows.hidden > 0 && (
            <p className="warn-line">
              Showing the newest {FLOW_ROWS_MAX.toLocaleString()} flows; {rows.hidden.toLocaleString()} older ones are not shown.
              Narrow the filter or use the exports for all of them.
            </p>
          )}
          {hasNextPage && !full && (
            <button type="button" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? 'Loading…' : isFetchNextPageError ? 'Load more (the last attempt failed)' : 'Load more'}
            </button>
          )}
        </>
      )}
      {view.flow && (
        <FlowDrawer
          response={openIndex >= 0 ? rows.at(openIndex) : undefined} flowKey={view.flow} loadedCount={rows.count}
          hasMore={Boolean(hasNextPage)} loading={query.isPending} timeZone={timeZone} onClose={onClose}
        />
      )}
    </div>
  );
}
