/**
 * The stored part of a live stream: flows matching the live query that are later than `after`,
 * read with the flows page query (newest first, keyset pages) and handed over oldest first.
 */
import { decodeFlowsCursor, type FlowsCursor } from '../../../../lib/api/flows-cursor';
import { LIVE_BACKFILL_MAX, type FlowsLiveQuery } from '../../../../lib/api/flows-live';
import { FLOWS_PAGE_MAX_LIMIT } from '../../../../lib/api/flows-query';
import type { FlowsResponse } from '../../../../lib/flow/flow';
import { compareTimestamps, parseTimestamp } from '../../../../lib/time/timestamp';
import type { Db } from '../../../../server/store/db';
import { readFlowsPage } from '../../../../server/store/flows-page';
import type { LiveBackfill } from './live-connection';

/**
 * Up to `max` of the newest flows later than `after` (the page query's bound is inclusive; the
 * exact, strict check is made here on each flow's own time). `complete` is false when older ones
 * were left out. Throws the store's FilterError for a filter it cannot match.
 */
export async function readLiveBackfill(db: Db, query: FlowsLiveQuery, after: string, max = LIVE_BACKFILL_MAX): Promise<LiveBackfill> {
  const afterTs = parseTimestamp(after);
  if (!afterTs) throw new Error(`readLiveBackfill: not an RFC 3339 time: ${after}`);
  const newestFirst: FlowsResponse[] = [];
  let cursor: FlowsCursor | undefined;
  for (;;) {
    const page = await readFlowsPage(db, {
      filterArgs: query.filterArgs, filters: query.filters, since: after, cursor, format: 'json', command: query.command,
      limit: Math.min(FLOWS_PAGE_MAX_LIMIT, max - newestFirst.length + 1),
    });
    for (const response of page.flows) {
      const ts = response.flow?.time === undefined ? undefined : parseTimestamp(response.flow.time);
      if (ts && compareTimestamps(ts, afterTs) > 0) newestFirst.push(response);
    }
    if (newestFirst.length > max) return { flows: newestFirst.slice(0, max).reverse(), complete: false };
    if (!page.nextCursor) return { flows: newestFirst.reverse(), complete: true };
    cursor = decodeFlowsCursor(page.nextCursor);
  }
}
