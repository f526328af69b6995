// GET /api/flow-values?field=<field>&prefix=&limit=&since=&until=
// Values seen in stored flows for one field (namespaces, pods, labels, verdicts, ...), for the filter
// bar's autocomplete and namespace picker. Contract: lib/api/flow-values.ts.
import { NextResponse } from 'next/server';
import { parseFlowValuesQuery, type FlowValues } from '../../../lib/api/flow-values';
import { scopeNamespaces } from '../../../server/access/request-scope';
import { logger } from '../../../server/log/logger';
import { readFlowValues } from '../../../server/store/flow-values';
import { sharedDb } from '../../../server/store/shared-db';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-flow-values');
const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(request: Request): Promise<Response> {
  const parsed = parseFlowValuesQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  const { query } = parsed;
  try {
    const values = await readFlowValues(await sharedDb(), { ...query, namespaces: scopeNamespaces(request) });
    const body: FlowValues = { field: query.field, values };
    return NextResponse.json(body, { headers: NO_STORE });
  } catch (err) {
    log.error({ err, field: query.field }, 'GET /api/flow-values failed');
    return NextResponse.json({ error: 'internal error while reading flow values' }, { status: 500, headers: NO_STORE });
  }
}
