// GET /api/flows?q=<hubble observe flags>&since=&until=&limit=&cursor=[&format=jsonpb|csv]
// A page of stored flows, newest first (FlowsPage), or with format=jsonpb every matching flow, oldest
// first, as a `hubble observe -o jsonpb` download; format=csv the same flows as a CSV download.
// Contract: lib/api/flows-query.ts.
import { NextResponse } from 'next/server';
import { flowsExportFilename, parseFlowsQuery, type FlowsPageQuery } from '../../../lib/api/flows-query';
import { FilterError } from '../../../lib/filter/filter-error';
import { scopedFilters } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import type { Db } from '../../../server/store/db';
import { readFlowsPage, streamFlowsCsv, streamFlowsJsonpb } from '../../../server/store/flows-page';
import { sharedDb } from '../../../server/store/shared-db';
import { QueryTooSlowError } from '../../../server/store/statement-timeout';
import { flowsDownloadResponse, type FlowsDownloadFormat } from '../flows-download';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-flows');
const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(request: Request): Promise<Response> {
  const nowMs = Date.now();
  const parsed = parseFlowsQuery(new URL(request.url).searchParams, nowMs);
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  const query = { ...parsed.query, filters: scopedFilters(request, parsed.query.filters) };
  try {
    const db = await sharedDb();
    switch (query.format) {
      case 'jsonpb':
      case 'csv':
        return exportResponse(db, query, query.format, request.signal, nowMs);
      case 'json':
        return NextResponse.json(await readFlowsPage(db, query), { headers: NO_STORE });
    }
  } catch (err) {
    // The few filters the store cannot match exactly (see server/store/filter-sql.ts), and a page
    // whose filter matches too little of a long range to be found in time, are the client's to fix.
    if (err instanceof QueryTooSlowError) log.warn({ q: query.filterArgs, since: query.since, until: query.until }, err.message);
    if (err instanceof FilterError || err instanceof QueryTooSlowError) return NextResponse.json({ error: err.message }, { status: 400, headers: NO_STORE });
    log.error({ err, q: query.filterArgs }, 'GET /api/flows failed');
    return NextResponse.json({ error: 'internal error while reading flows' }, { status: 500, headers: NO_STORE });
  }
}

function exportResponse(db: Db, query: FlowsPageQuery, format: FlowsDownloadFormat, signal: AbortSignal, nowMs: number): Response {
  // Throws a FilterError here, before any byte is sent, for a filter the store cannot match.
  const chunks = (format === 'csv' ? streamFlowsCsv : streamFlowsJsonpb)(db, query, { signal });
  return flowsDownloadResponse(chunks, {
    format, filename: flowsExportFilename(query, nowMs), context: { q: query.filterArgs }, failure: 'internal error while exporting flows',
  });
}
