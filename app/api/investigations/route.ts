// POST /api/investigations — freeze a view: body InvestigationCreateBody, answers 201 InvestigationCreated
//   (with `location: /i/<id>`), after copying the newest matching flows (lib/api/investigations.ts);
//   a map investigation sent without its graph gets the one GET /api/service-map draws for it.
// GET /api/investigations?limit= — the newest investigations first (InvestigationList).
import { NextResponse } from 'next/server';
import {
  INVESTIGATION_BODY_MAX_BYTES, investigationHref, parseInvestigationCreate, parseInvestigationsListQuery, type InvestigationCreated,
} from '../../../lib/api/investigations';
import { scopeFilterSet } from '../../../lib/access/namespace-scope';
import { FilterError } from '../../../lib/filter/filter-error';
import { scopeOf } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import { countInvestigationMatches, createInvestigation, listInvestigations } from '../../../server/store/investigations';
import { sharedDb } from '../../../server/store/shared-db';
import { QueryTooSlowError } from '../../../server/store/statement-timeout';
import { drawMapSnapshot } from './map-snapshot';
import { readJsonBody } from './request-body';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');
const NO_STORE = { 'cache-control': 'no-store' };

export async function POST(request: Request): Promise<Response> {
  const nowMs = Date.now();
  const body = await readJsonBody(request, INVESTIGATION_BODY_MAX_BYTES);
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status, headers: NO_STORE });
  const parsed = parseInvestigationCreate(body.value, nowMs);
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  try {
    const db = await sharedDb();
    const draft = parsed.value;
    const scope = scopeOf(request);
    if (draft.kind === 'map' && !draft.map) {
      const drawn = await drawMapSnapshot(db, { ...draft, filters: scopeFilterSet(draft.filters, scope) }, nowMs);
      if (!drawn.ok) return NextResponse.json({ error: drawn.error }, { status: drawn.status, headers: NO_STORE });
      draft.map = drawn.map;
    }
    const investigation = await createInvestigation(db, draft, { nowMs, scope });
    if (investigation.truncated) {
      // Counting every match of a long window can take longer than the create may; it fills in later.
      countInvestigationMatches(db, investigation.id).catch((err) => log.warn({ err, id: investigation.id }, 'counting the matching flows failed'));
    }
    const url = investigationHref(investigation.id);
    const created: InvestigationCreated = { investigation, url };
    return NextResponse.json(created, { status: 201, headers: { ...NO_STORE, location: url } });
  } catch (err) {
    const { kind, q, since, until } = parsed.value;
    if (err instanceof QueryTooSlowError) log.warn({ kind, q, since, until }, err.message);
    if (err instanceof FilterError || err instanceof QueryTooSlowError) return NextResponse.json({ error: err.message }, { status: 400, headers: NO_STORE });
    log.error({ err, kind: parsed.value.kind, q: parsed.value.q }, 'POST /api/investigations failed');
    return NextResponse.json({ error: 'internal error while creating the investigation' }, { status: 500, headers: NO_STORE });
  }
}

export async function GET(request: Request): Promise<Response> {
  const parsed = parseInvestigationsListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  try {
    return NextResponse.json(await listInvestigations(await sharedDb(), parsed.value.limit, scopeOf(request)), { headers: NO_STORE });
  } catch (err) {
    log.error({ err }, 'GET /api/investigations failed');
    return NextResponse.json({ error: 'internal error while listing investigations' }, { status: 500, headers: NO_STORE });
  }
}
