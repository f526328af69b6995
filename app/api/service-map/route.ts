// GET /api/service-map?q=<hubble observe flags>&since=&until=&namespace=&cluster=&hide=&timelineSince=&timelineUntil=
// The service map of a window (ServiceMapResponse): nodes and edges aggregated from the edge rollups
// (or, for filters the rollups cannot answer, from the matching raw flows an hour at a time), and
// flows and drops per bucket for the timeline. Contract: lib/api/service-map.ts. A raw aggregation
// that runs out of time answers 503 with `progress` ({done, total}) when asking again continues it.
import { parseServiceMapQuery, type ServiceMapResponse } from '../../../lib/api/service-map';
import { logger } from '../../../server/log/logger';
import { readServiceMap, ServiceMapRefusal } from '../../../server/store/service-map';
import { sharedDb } from '../../../server/store/shared-db';
import { SharedAnswers } from '../../../server/store/shared-answers';
import { scopedFilters } from '../../../server/access/request-scope';
import { answer, failed, refuse } from '../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-service-map');
/** Live maps ask every 2 s (LIVE_REFRESH_MS): the same request within a second shares one answer. */
const answers = new SharedAnswers<ServiceMapResponse>(1_000);

export async function GET(request: Request): Promise<Response> {
  const nowMs = Date.now();
  const parsed = parseServiceMapQuery(new URL(request.url).searchParams, nowMs);
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  try {
    const db = await sharedDb();
    // The raw parameters (a relative window included) and the viewer's scope name the answer.
    const key = `${new URL(request.url).searchParams}|${JSON.stringify(query.filters)}`;
    return answer(await answers.get(key, nowMs, () => readServiceMap(db, query, { nowMs })));
  } catch (err) {
    if (err instanceof ServiceMapRefusal) return refuse(err.message, err.status, { progress: err.progress });
    return failed(err, log, { q: query.filterArgs }, 'internal error while reading the service map');
  }
}
