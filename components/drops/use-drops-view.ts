'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { DropSort } from '../../lib/api/drops';
import type { FilterBarValue } from '../filter-bar/filter-bar';
import { dropsQuery, dropsViewFromSearch, dropsViewHref, type DropsView } from './drops-query';

/**
 * The /drops view held in the URL. `apply` fetches the new view first and only when the API
 * accepts it replaces the URL, so a refused filter leaves the shown groups in place with its message.
 */
export function useDropsView() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const queryClient = useQueryClient();
  const view = useMemo(() => dropsViewFromSearch(new URLSearchParams(searchParams.toString())), [searchParams]);
  const viewRef = useRef(view);
  viewRef.current = view;
  const [applyError, setApplyError] = useState<Error>();
  const [applying, setApplying] = useState(false);

  /** Shows `next`: the filter bar's values replace q, since, until and limit; a sort change keeps them. */
  const apply = useCallback(async (next: DropsView) => {
    setApplying(true);
    setApplyError(undefined);
    try {
      await queryClient.fetchQuery(dropsQuery(next));
      router.replace(dropsViewHref(next), { scroll: false });
    } catch (err) {
      setApplyError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setApplying(false);
    }
  }, [queryClient, router]);

  const applyFilters = useCallback((value: FilterBarValue) => {
    const { q, since, until, limit } = value;
    return apply({ q, since, ...(until ? { until } : {}), limit, sort: viewRef.current.sort });
  }, [apply]);
  const applySort = useCallback((sort: DropSort) => apply({ ...viewRef.current, sort }), [apply]);

  return { view, applyFilters, applySort, applying, applyError };
}
