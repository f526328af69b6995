// GET /api/investigations/<id> — one investigation: its frozen request, view, map and flow counts (InvestigationDetail).
// DELETE /api/investigations/<id> — deletes it and its frozen flows (204).
import { parseInvestigationId } from '../../../../lib/api/investigations';
import { logger } from '../../../../server/log/logger';
import { mayOpenInvestigation } from '../../../../server/access/investigation-access';
import { scopeOf } from '../../../../server/access/request-scope';
import { deleteInvestigation, readInvestigation } from '../../../../server/store/investigations';
import { sharedDb } from '../../../../server/store/shared-db';
import { answer, failed, NO_STORE, refuse } from '../../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');

interface Context { params: Promise<{ id: string }> }

const notFound = (id: string) => refuse(`no investigation ${JSON.stringify(id)}`, 404);

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id: raw } = await params;
  const id = parseInvestigationId(raw);
  if (!id) return notFound(raw);
  try {
    const db = await sharedDb();
    if (!(await mayOpenInvestigation(db, id, scopeOf(request)))) return notFound(id);
    const detail = await readInvestigation(db, id);
    return detail ? answer(detail) : notFound(id);
  } catch (err) {
    return failed(err, log, { id }, 'internal error while reading the investigation');
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { id: raw } = await params;
  const id = parseInvestigationId(raw);
  if (!id) return notFound(raw);
  try {
    const db = await sharedDb();
    if (!(await mayOpenInvestigation(db, id, scopeOf(request)))) return notFound(id);
    return (await deleteInvestigation(db, id)) ? new Response(null, { status: 204, headers: NO_STORE }) : notFound(id);
  } catch (err) {
    return failed(err, log, { id }, 'internal error while deleting the investigation');
  }
}
