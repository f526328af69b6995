// GET /api/flow-values?field=<field>&prefix=&limit=&since=&until=
// Values seen in stored flows for one field (namespaces, pods, labels, verdicts, ...), for the filter
// bar's autocomplete and namespace picker. Contract: lib/api/flow-values.ts.
import { parseFlowValuesQuery, type FlowValues } from '../../../lib/api/flow-values';
import { scopeNamespaces } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import { readFlowValues } from '../../../server/store/flow-values';
import { sharedDb } from '../../../server/store/shared-db';
import { answer, failed, refuse } from '../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-flow-values');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseFlowValuesQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const { query } = parsed;
  try {
    const values = await readFlowValues(await sharedDb(), { ...query, namespaces: scopeNamespaces(request) });
    const body: FlowValues = { field: query.field, values };
    return answer(body);
  } catch (err) {
    return failed(err, log, { field: query.field }, 'internal error while reading flow values');
  }
}
