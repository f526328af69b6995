// GET /api/investigations/<id>/flows?limit=&cursor=[&format=jsonpb|csv]
// The frozen flows of an investigation: a FlowsPage newest first, or with format=jsonpb every one
// of them, oldest first, as a `hubble observe -o jsonpb` download; format=csv the same as CSV.
import { NextResponse } from 'next/server';
import { investigationExportFilename, parseInvestigationFlowsQuery, parseInvestigationId } from '../../../../../lib/api/investigations';
import { logger } from '../../../../../server/log/logger';
import type { Db } from '../../../../../server/store/db';
import { mayOpenInvestigation } from '../../../../../server/access/investigation-access';
import { scopeOf } from '../../../../../server/access/request-scope';
import { investigationExists, readInvestigationFlowsPage, streamInvestigationFlows } from '../../../../../server/store/investigations';
import { sharedDb } from '../../../../../server/store/shared-db';
import { flowsDownloadResponse, type FlowsDownloadFormat } from '../../../flows-download';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');
const NO_STORE = { 'cache-control': 'no-store' };

interface Context { params: Promise<{ id: string }> }

const notFound = (id: string) => NextResponse.json({ error: `no investigation ${JSON.stringify(id)}` }, { status: 404, headers: NO_STORE });

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id: raw } = await params;
  const id = parseInvestigationId(raw);
  if (!id) return notFound(raw);
  const parsed = parseInvestigationFlowsQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  const { format, ...page } = parsed.value;
  try {
    const db = await sharedDb();
    if (!(await mayOpenInvestigation(db, id, scopeOf(request)))) return notFound(id);
    if (format === 'json') {
      const body = await readInvestigationFlowsPage(db, id, page);
      return body ? NextResponse.json(body, { headers: NO_STORE }) : notFound(id);
    }
    if (!(await investigationExists(db, id))) return notFound(id);
    return exportResponse(db, id, format, request.signal);
  } catch (err) {
    log.error({ err, id, format }, 'GET /api/investigations/<id>/flows failed');
    return NextResponse.json({ error: 'internal error while reading the frozen flows' }, { status: 500, headers: NO_STORE });
  }
}

function exportResponse(db: Db, id: string, format: FlowsDownloadFormat, signal: AbortSignal): Response {
  return flowsDownloadResponse(streamInvestigationFlows(db, id, format, { signal }), {
    format, filename: investigationExportFilename(id, format), context: { id }, failure: 'internal error while exporting the frozen flows',
  });
}
