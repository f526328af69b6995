'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { DROP_SORTS, type DropGroupsResponse, type DropSort } from '../../lib/api/drops';
import { FilterBar } from '../filter-bar/filter-bar';
import { DropGroupsTable } from './drop-groups-table';
import { dropsQuery, DROPS_REFRESH_MS, DROPS_VIEW_LIMITS } from './drops-query';
import { useDropsView } from './use-drops-view';

const SORT_LABELS: Record<DropSort, string> = { count: 'Most drops', novelty: 'Newest groups first', recency: 'Most recent' };

/** How the counts were made, in one line: the reader must know what "first seen 10:02" means. */
function CountingNote({ data }: { data: DropGroupsResponse }) {
  if (data.source === 'flows') {
    return (
      <p className="muted">
        Counted from the raw dropped flows: the rollups cannot answer this filter ({data.sourceReason}). First and last seen are
        the minute a drop happened in; &ldquo;new&rdquo; compares with the rollups of the 24 h before, by group alone.
      </p>
    );
  }
  return (
    <p className="muted">
      Counted from per-minute rollups: the window is widened to whole minutes, and first and last seen are the minute a drop
      happened in{data.hourBuckets ? ' (the hour, between the first and last hour of this long window)' : ''}. Trend compares
      with the previous {Math.round((Date.parse(data.counted.to) - Date.parse(data.counted.from)) / 60_000)} minutes;
      &ldquo;new&rdquo; means none in the 24 h before.
    </p>
  );
}

/** The /drops page body: filters, sort, and the drop groups of the window. */
export function DropsInbox() {
  const { view, applyFilters, applySort, applying, applyError } = useDropsView();
  const query = useQuery(dropsQuery(view));
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const sortId = useId();
  const data = query.data;
  const error = applyError ?? (query.isError ? query.error : undefined);

  return (
    <div className="drops-page">
      <FilterBar initial={view} limits={DROPS_VIEW_LIMITS} error={error} applying={applying} onApply={applyFilters} timeZone={timeZone} />
      <div className="drops-toolbar">
        <label className="field" htmlFor={sortId}>
          <span>Sort</span>
          <select id={sortId} value={view.sort} disabled={applying} onChange={(e) => void applySort(e.target.value as DropSort)}>
            {DROP_SORTS.map((s) => <option key={s} value={s}>{SORT_LABELS[s]}</option>)}
          </select>
        </label>
        <p className="muted" role="status">
          {data && `${data.totalDrops.toLocaleString()} drops in ${data.totalGroups.toLocaleString()} group${data.totalGroups === 1 ? '' : 's'}`}
          {data && data.groups.length < data.totalGroups ? `, the first ${data.groups.length} shown` : ''}
          {data && !view.until ? `; refreshes every ${DROPS_REFRESH_MS / 1000} s` : ''}
          {query.isFetching ? ' (updating…)' : ''}
        </p>
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>Refresh</button>
      </div>
      {query.isPending && <p className="muted">Loading drop groups…</p>}
      {data && (
        <>
          <CountingNote data={data} />
          <DropGroupsTable data={data} timeZone={timeZone} nowMs={query.dataUpdatedAt || Date.parse(data.until)} />
        </>
      )}
    </div>
  );
}
