// POST /api/investigations — freeze a view: body InvestigationCreateBody, answers 201 InvestigationCreated
//   (with `location: /i/<id>`), after copying the newest matching flows (lib/api/investigations.ts);
//   a map investigation sent without its graph gets the one GET /api/service-map draws for it.
// GET /api/investigations?limit= — the newest investigations first (InvestigationList).
import {
  INVESTIGATION_BODY_MAX_BYTES, investigationHref, parseInvestigationCreate, parseInvestigationsListQuery, type InvestigationCreated,
} from '../../../lib/api/investigations';
import { scopeFilterSet } from '../../../lib/access/namespace-scope';
import { scopeOf } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import { countInvestigationMatches, createInvestigation, listInvestigations } from '../../../server/store/investigations';
import { sharedDb } from '../../../server/store/shared-db';
import { answer, failed, refuse } from '../responses';
import { drawMapSnapshot } from './map-snapshot';
import { readJsonBody } from './request-body';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');

export async function POST(request: Request): Promise<Response> {
  const nowMs = Date.now();
  const body = await readJsonBody(request, INVESTIGATION_BODY_MAX_BYTES);
  if (!body.ok) return refuse(body.error, body.status);
  const parsed = parseInvestigationCreate(body.value, nowMs);
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  try {
    const db = await sharedDb();
    const draft = parsed.value;
    const scope = scopeOf(request);
    if (draft.kind === 'map' && !draft.map) {
      const drawn = await drawMapSnapshot(db, { ...draft, filters: scopeFilterSet(draft.filters, scope) }, nowMs);
      if (!drawn.ok) return refuse(drawn.error, drawn.status);
      draft.map = drawn.map;
    }
    const investigation = await createInvestigation(db, draft, { nowMs, scope });
    if (investigation.truncated) {
      // Counting every match of a long window can take longer than the create may; it fills in later.
      countInvestigationMatches(db, investigation.id).catch((err) => log.warn({ err, id: investigation.id }, 'counting the matching flows failed'));
    }
    const url = investigationHref(investigation.id);
    const created: InvestigationCreated = { investigation, url };
    return answer(created, { status: 201, headers: { location: url } });
  } catch (err) {
    const { kind, q, since, until } = parsed.value;
    return failed(err, log, { kind, q, since, until }, 'internal error while creating the investigation');
  }
}

export async function GET(request: Request): Promise<Response> {
  const parsed = parseInvestigationsListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  try {
    return answer(await listInvestigations(await sharedDb(), parsed.value.limit, scopeOf(request)));
  } catch (err) {
    return failed(err, log, {}, 'internal error while listing investigations');
  }
}
