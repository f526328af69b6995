// GET /api/investigations/<id> — one investigation: its frozen request, view, map and flow counts (InvestigationDetail).
// DELETE /api/investigations/<id> — deletes it and its frozen flows (204).
import { NextResponse } from 'next/server';
import { parseInvestigationId } from '../../../../lib/api/investigations';
import { logger } from '../../../../server/log/logger';
import { mayOpenInvestigation } from '../../../../server/access/investigation-access';
import { scopeOf } from '../../../../server/access/request-scope';
import { deleteInvestigation, readInvestigation } from '../../../../server/store/investigations';
import { sharedDb } from '../../../../server/store/shared-db';

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
  try {
    const db = await sharedDb();
    if (!(await mayOpenInvestigation(db, id, scopeOf(request)))) return notFound(id);
    const detail = await readInvestigation(db, id);
    return detail ? NextResponse.json(detail, { headers: NO_STORE }) : notFound(id);
  } catch (err) {
    log.error({ err, id }, 'GET /api/investigations/<id> failed');
    return NextResponse.json({ error: 'internal error while reading the investigation' }, { status: 500, headers: NO_STORE });
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
    log.error({ err, id }, 'DELETE /api/investigations/<id> failed');
    return NextResponse.json({ error: 'internal error while deleting the investigation' }, { status: 500, headers: NO_STORE });
  }
}
