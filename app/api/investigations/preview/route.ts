// GET /api/investigations/preview?q=<hubble observe flags>&since=&until=
// How many flows Share would freeze for this filter and window, counted up to the cap + 1
// (InvestigationPreview), so the dialog can say so before anything is created.
import { parseInvestigationPreview } from '../../../../lib/api/investigations';
import { logger } from '../../../../server/log/logger';
import { scopedFilters } from '../../../../server/access/request-scope';
import { previewInvestigation } from '../../../../server/store/investigations';
import { sharedDb } from '../../../../server/store/shared-db';
import { answer, failed, refuse } from '../../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-investigations');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseInvestigationPreview(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  try {
    return answer(await previewInvestigation(await sharedDb(), { ...parsed.value, filters: scopedFilters(request, parsed.value.filters) }));
  } catch (err) {
    const { since, until } = parsed.value;
    return failed(err, log, { q: new URL(request.url).searchParams.get('q'), since, until }, 'internal error while counting flows');
  }
}
