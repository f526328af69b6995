// GET /api/investigations/preview?q=<hubble observe flags>&since=&until=
// How many flows Share would freeze for this filter and window, counted up to the cap + 1
// (InvestigationPreview), so the dialog can say so before anything is created.
import { NextResponse } from 'next/server';
import { parseInvestigationPreview } from '../../../../lib/api/investigations';
import { FilterError } from '../../../../lib/filter/filter-error';
import { logger } from '../../../../server/log/logger';
import { scopedFilters } from '../../../../server/access/request-scope';
import { previewInvestigation } from '../../../../server/store/investigations';
import { sharedDb } from '../../../../server/store/shared-db';
import { QueryTooSlowError } from '../../../../server/store/statement-timeout';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');
const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(request: Request): Promise<Response> {
  const parsed = parseInvestigationPreview(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  try {
    return NextResponse.json(await previewInvestigation(await sharedDb(), { ...parsed.value, filters: scopedFilters(request, parsed.value.filters) }), { headers: NO_STORE });
  } catch (err) {
    const { since, until } = parsed.value;
    if (err instanceof QueryTooSlowError) log.warn({ q: new URL(request.url).searchParams.get('q'), since, until }, err.message);
    if (err instanceof FilterError || err instanceof QueryTooSlowError) return NextResponse.json({ error: err.message }, { status: 400, headers: NO_STORE });
    log.error({ err }, 'GET /api/investigations/preview failed');
    return NextResponse.json({ error: 'internal error while counting flows' }, { status: 500, headers: NO_STORE });
  }
}
