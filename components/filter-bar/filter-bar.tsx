'use client';

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { refusedParam } from '../api/api-request';
import { ingestStatusQuery } from '../ingest-status/ingest-status-query';
import { ClusterPicker } from './cluster-picker';
import { FlagAutocomplete } from './flag-autocomplete';
import type { FilterBarValue } from './filter-bar-value';
import { flowValuesQuery } from './flow-values-query';
import { NamespacePicker } from './namespace-picker';
import { QuickToggles } from './quick-toggles';
import { TimeRange, type TimeRangeValue } from './time-range';
import { durationMs, isAbsoluteTime } from './time-range-model';
import { useFilterBar } from './use-filter-bar';
import { isValidTimeZone } from './zoned-time';

export type { FilterBarValue } from './filter-bar-value';

interface FilterBarProps {
  initial: FilterBarValue;
  limits: readonly number[];
  /** Why the API refused or failed the applied filters; its message shows under the bar. */
  error?: Error;
  applying: boolean;
  onApply: (value: FilterBarValue) => void;
  /** IANA zone for the absolute range inputs; the browser's by default. */
  timeZone?: string;
}

/** The window to look for suggestions in: the range being edited, when it is valid so far. */
function lookupWindow(range: TimeRangeValue): { since?: string; until?: string } {
  if (range.absolute) return range.error ? {} : { since: range.since, until: range.until };
  return durationMs(range.since) !== undefined || isAbsoluteTime(range.since) ? { since: range.since } : {};
}

/** Now, or the newest stored flow's time when the collector is behind (see TimeRange's `endMs`). */
async function storedEndMs(queryClient: QueryClient): Promise<number> {
  const nowMs = Date.now();
  const status = await queryClient.fetchQuery({ ...ingestStatusQuery(), staleTime: 0 }).catch(() => undefined);
  const storedMs = status?.newestStoredFlowTime ? Date.parse(status.newestStoredFlowTime) : NaN;
  return storedMs < nowMs ? storedMs : nowMs;
}

/**
 * The /flows and /drops filter bar: `hubble observe` flags as text with completion, namespace and
 * cluster pickers and quick toggles that edit that text, the time range and the page size. The
 * text is always the exact command; errors from the same parser as the API show as they are typed.
 */
export function FilterBar({ initial, limits, error, applying, onApply, timeZone }: FilterBarProps) {
  const bar = useFilterBar({ initial, applying, onApply });
  const queryClient = useQueryClient();
  const flagsId = useId();
  const errorId = useId();
  const zone = useMemo(() => {
    const wanted = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return wanted && isValidTimeZone(wanted) ? wanted : 'UTC';
  }, [timeZone]);
  const lookup = lookupWindow(bar.range);
  const namespaces = useQuery(flowValuesQuery({ field: 'namespace', limit: 500, ...lookup }));
  const message = bar.error ?? error?.message;
  // The bar's own check knows whose fault its message is; of the API's, a filter the store cannot match is the flags'.
  const flagsInvalid = bar.error === undefined ? refusedParam(error) === 'q' : bar.flagsInvalid;

  return (
    <form className="filter-bar panel" role="search" aria-label="Flow filters" onSubmit={bar.submit}>
      <div className="filter-row">
        <div className="field grow">
          <label htmlFor={flagsId}>hubble observe flags</label>
          <FlagAutocomplete
            id={flagsId} value={bar.q} onChange={bar.typeFlags} since={lookup.since} until={lookup.until}
            invalid={flagsInvalid} describedBy={message !== undefined ? errorId : undefined}
          />
        </div>
        <button type="submit" disabled={applying}>{applying ? 'Applying…' : 'Apply'}</button>
      </div>
      <div className="filter-row">
        <NamespacePicker
          control={bar.flags.namespaces} seen={namespaces.data ?? []} loading={namespaces.isPending}
          loadError={namespaces.isError ? namespaces.error.message : undefined} onChange={bar.pickNamespaces}
          onOpen={() => void namespaces.refetch()}
        />
        <ClusterPicker control={bar.flags.clusters} since={lookup.since} until={lookup.until} onChange={bar.pickClusters} />
        <QuickToggles state={bar.flags.toggles} onToggle={bar.toggle} />
      </div>
      <div className="filter-row">
        <TimeRange value={bar.range} timeZone={zone} onChange={bar.changeRange} endMs={() => storedEndMs(queryClient)} />
        <label className="field">
          <span>Limit</span>
          <select value={bar.limit} onChange={(e) => bar.changeLimit(Number(e.target.value))}>
            {[...new Set([...limits, bar.limit])].sort((a, b) => a - b).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      {message !== undefined && <p id={errorId} role="alert" className="error-line">{message}</p>}
    </form>
  );
}
