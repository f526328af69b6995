// GET /api/drops?q=<hubble observe flags>&since=&until=&sort=count|novelty|recency&limit=
// The drop inbox: DROPPED flows of the window grouped by source, destination, port, protocol, drop
// reason and denying policies (DropGroupsResponse). Contract: lib/api/drops.ts.
import { NextResponse } from 'next/server';
import { parseDropsQuery } from '../../../lib/api/drops';
import { FilterError } from '../../../lib/filter/filter-error';
import { logger } from '../../../server/log/logger';
import { DropGroupsLimitError, readDropGroups } from '../../../server/store/drop-groups';
import { sharedDb } from '../../../server/store/shared-db';
import { scopedFilters } from '../../../server/access/request-scope';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-drops');
const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(request: Request): Promise<Response> {
  const parsed = parseDropsQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  try {
    const db = await sharedDb();
    return NextResponse.json(await readDropGroups(db, query), { headers: NO_STORE });
  } catch (err) {
    // Filters the store cannot match exactly, and raw-flow windows that are too long, are the user's to fix.
    if (err instanceof FilterError || err instanceof DropGroupsLimitError) {
      return NextResponse.json({ error: err.message }, { status: 400, headers: NO_STORE });
    }
    log.error({ err, q: query.q, since: query.since, until: query.until }, 'GET /api/drops failed');
    return NextResponse.json({ error: 'internal error while grouping drops' }, { status: 500, headers: NO_STORE });
  }
}
