// GET /api/drops?q=<hubble observe flags>&since=&until=&sort=count|novelty|recency&limit=
// The drop inbox: DROPPED flows of the window grouped by source, destination, port, protocol, drop
// reason and denying policies (DropGroupsResponse). Contract: lib/api/drops.ts.
import { parseDropsQuery } from '../../../lib/api/drops';
import { logger } from '../../../server/log/logger';
import { DropGroupsLimitError, readDropGroups } from '../../../server/store/drop-groups';
import { sharedDb } from '../../../server/store/shared-db';
import { scopedFilters } from '../../../server/access/request-scope';
import { answer, failed, refuse } from '../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-drops');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseDropsQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  try {
    const db = await sharedDb();
    return answer(await readDropGroups(db, query));
  } catch (err) {
    // A raw-flow window too long or too slow to group is the user's to narrow.
    if (err instanceof DropGroupsLimitError) return refuse(err.message, 400);
    return failed(err, log, { q: query.q, since: query.since, until: query.until }, 'internal error while grouping drops');
  }
}
