import { queryOptions } from '@tanstack/react-query';
import { flowValuesUrl, type FlowValues, type FlowValuesUrlParams } from '../../lib/api/flow-values';
import { requestJson } from '../api/api-request';

/** Values seen in stored flows for one field (GET /api/flow-values): one key and fetcher for every user. */
export function flowValuesQuery(p: FlowValuesUrlParams) {
  const url = flowValuesUrl(p);
  return queryOptions({
    queryKey: ['flow-values', p.field, p.prefix ?? '', p.limit ?? null, p.since ?? null, p.until ?? null],
    queryFn: async ({ signal }): Promise<string[]> => (await requestJson<FlowValues>(url, { signal })).values,
    // Suggestions may lag the data by a little; typing must not refetch the same prefix.
    staleTime: 30_000,
    // The previous answer for the same field stays up while the next prefix loads, so the list
    // does not flicker; another field's values would be wrong, so they are not kept.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === p.field ? previous : undefined),
    retry: false,
  });
}
