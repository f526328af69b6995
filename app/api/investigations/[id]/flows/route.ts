// GET /api/investigations/<id>/flows?limit=&cursor=[&format=jsonpb|csv]
// The frozen flows of an investigation: a FlowsPage newest first, or with format=jsonpb every one
// of them, oldest first, as a `hubble observe -o jsonpb` download; format=csv the same as CSV.
import { investigationExportFilename, parseInvestigationFlowsQuery, parseInvestigationId } from '../../../../../lib/api/investigations';
import { logger } from '../../../../../server/log/logger';
import type { Db } from '../../../../../server/store/db';
import { mayOpenInvestigation } from '../../../../../server/access/investigation-access';
import { scopeOf } from '../../../../../server/access/request-scope';
import { investigationExists, readInvestigationFlowsPage, streamInvestigationFlows } from '../../../../../server/store/investigations';
import { sharedDb } from '../../../../../server/store/shared-db';
import { flowsDownloadResponse, type FlowsDownloadFormat } from '../../../flows-download';
import { answer, failed, refuse } from '../../../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');

interface Context { params: Promise<{ id: string }> }

const notFound = (id: string) => refuse(`no investigation ${JSON.stringify(id)}`, 404);

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id: raw } = await params;
  const id = parseInvestigationId(raw);
  if (!id) return notFound(raw);
  const parsed = parseInvestigationFlowsQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const { format, ...page } = parsed.value;
  try {
    const db = await sharedDb();
    if (!(await mayOpenInvestigation(db, id, scopeOf(request)))) return notFound(id);
    if (format === 'json') {
      const body = await readInvestigationFlowsPage(db, id, page);
      return body ? answer(body) : notFound(id);
    }
    if (!(await investigationExists(db, id))) return notFound(id);
    return exportResponse(db, id, format, request.signal);
  } catch (err) {
    return failed(err, log, { id, format }, 'internal error while reading the frozen flows');
  }
}

function exportResponse(db: Db, id: string, format: FlowsDownloadFormat, signal: AbortSignal): Response {
  return flowsDownloadResponse(streamInvestigationFlows(db, id, format, { signal }), {
    format, filename: investigationExportFilename(id, format), context: { id }, failure: 'internal error while exporting the frozen flows',
  });
}
