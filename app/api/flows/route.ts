// GET /api/flows?q=<hubble observe flags>&since=&until=&limit=&cursor=[&format=jsonpb|csv]
// A page of stored flows, newest first (FlowsPage), or with format=jsonpb every matching flow, oldest
// first, as a `hubble observe -o jsonpb` download; format=csv the same flows as a CSV download.
// Contract: lib/api/flows-query.ts.
import { flowsExportFilename, parseFlowsQuery, type FlowsPageQuery } from '../../../lib/api/flows-query';
import { scopedFilters } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import type { Db } from '../../../server/store/db';
import { readFlowsPage, streamFlowsCsv, streamFlowsJsonpb } from '../../../server/store/flows-page';
import { sharedDb } from '../../../server/store/shared-db';
import { flowsDownloadResponse, type FlowsDownloadFormat } from '../flows-download';
import { answer, failed, refuse } from '../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-flows');

export async function GET(request: Request): Promise<Response> {
  const nowMs = Date.now();
  const parsed = parseFlowsQuery(new URL(request.url).searchParams, nowMs);
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  try {
    const db = await sharedDb();
    switch (query.format) {
      case 'jsonpb':
      case 'csv':
        return exportResponse(db, query, query.format, request.signal, nowMs);
      case 'json':
        return answer(await readFlowsPage(db, query));
    }
  } catch (err) {
    return failed(err, log, { q: query.filterArgs, since: query.since, until: query.until }, 'internal error while reading flows');
  }
}

function exportResponse(db: Db, query: FlowsPageQuery, format: FlowsDownloadFormat, signal: AbortSignal, nowMs: number): Response {
  // Throws a FilterError here, before any byte is sent, for a filter the store cannot match.
  const chunks = (format === 'csv' ? streamFlowsCsv : streamFlowsJsonpb)(db, query, { signal });
  return flowsDownloadResponse(chunks, {
    format, filename: flowsExportFilename(query, nowMs), context: { q: query.filterArgs }, failure: 'internal error while exporting flows',
  });
}
