// GET /api/flows/live?q=<hubble observe flags>&after=<RFC 3339>   (text/event-stream)
// Flows as the collector stores them, filtered like GET /api/flows, after the stored ones since
// `after`. Contract: lib/api/flows-live.ts; the connection: ./live-connection.ts.
import { parseFlowsLiveQuery } from '../../../../lib/api/flows-live';
import { FilterError } from '../../../../lib/filter/filter-error';
import { scopedFilters } from '../../../../server/access/request-scope';
import { liveBus } from '../../../../server/live/live-bus';
import { logger } from '../../../../server/log/logger';
import { sharedDb } from '../../../../server/store/shared-db';
import { QueryTooSlowError } from '../../../../server/store/statement-timeout';
import { refuse } from '../../responses';
import { readLiveBackfill } from './live-backfill';
import { LiveConnection } from './live-connection';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-flows-live');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseFlowsLiveQuery(new URL(request.url).searchParams, request.headers.get('last-event-id'), Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  let connection: LiveConnection;
  try {
    connection = new LiveConnection({ live: liveBus(), filters: query.filters, after: query.after, signal: request.signal });
  } catch (err) {
    if (err instanceof FilterError) return refuse(err.message, 400, { param: 'q' });
    throw err;
  }
  try {
    const db = await sharedDb();
    await connection.backfill((after) => readLiveBackfill(db, query, after));
  } catch (err) {
    if (err instanceof FilterError) {
      connection.close();
      return refuse(err.message, 400, { param: 'q' });
    }
    // Live flows are still worth having; the client is told the stored ones since `after` are missing.
    const context = { q: query.filterArgs, after: query.after };
    if (err instanceof QueryTooSlowError) log.warn(context, `live stream: stored flows since after not read: ${err.message}`);
    else log.error({ err, ...context }, 'live stream: stored flows since after not read');
    connection.skipBackfill();
  }
  return new Response(connection.stream(), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps compressing proxies (and Next's own compression) from buffering events.
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
