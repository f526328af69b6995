// GET /api/drops/group?from=&to=&port=&protocol=&reason=&policies=[&from-cluster=&to-cluster=&to-name=]&since=&until=
// A drop group's page (DropGroupDetail): count, sample flows and their facts, the hubble observe
// command for its flows, and the suggested CiliumNetworkPolicy. Contract: lib/api/drops.ts.
import { NextResponse } from 'next/server';
import { dropGroupSelection } from '../../../../lib/api/drop-groups';
import { DROP_GROUP_SAMPLE_LIMIT, parseDropGroupQuery, type DropGroupDetail } from '../../../../lib/api/drops';
import { suggestPolicy } from '../../../../lib/drops/suggested-policy';
import { edgeFilter } from '../../../../lib/filter/edge-filter';
import { FilterError } from '../../../../lib/filter/filter-error';
import type { FlowFilterSet } from '../../../../lib/filter/flow-filter';
import { formatObserveCommand, printObserveArgs, shellQuote } from '../../../../lib/filter/print-observe-args';
import { logger } from '../../../../server/log/logger';
import { readDropGroupDetail } from '../../../../server/store/drop-group-detail';
import { sharedDb } from '../../../../server/store/shared-db';
import { scopeOf } from '../../../../server/access/request-scope';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-drops-group');
const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(request: Request): Promise<Response> {
  const parsed = parseDropGroupQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return NextResponse.json({ error: parsed.error }, { status: parsed.status, headers: NO_STORE });
  const { key, since, until } = parsed.query;
  const scope = scopeOf(request);
  if (scope !== '*' && !scope.includes(key.source.namespace) && !scope.includes(key.destination.namespace)) {
    return NextResponse.json({ error: 'this drop group is outside the namespaces you may see' }, { status: 403, headers: NO_STORE });
  }
  try {
    const db = await sharedDb();
    const detail = await readDropGroupDetail(db, { key, since, until, sampleLimit: DROP_GROUP_SAMPLE_LIMIT });
    const filters: FlowFilterSet = { whitelist: [edgeFilter(dropGroupSelection(key))], blacklist: [] };
    const body: DropGroupDetail = {
      key, since, until, ...detail,
      filterArgs: printObserveArgs({ filters }).map(shellQuote).join(' '),
      command: formatObserveCommand({ filters, since, until }),
      suggestion: suggestPolicy(key, detail.facts),
    };
    return NextResponse.json(body, { headers: NO_STORE });
  } catch (err) {
    if (err instanceof FilterError) return NextResponse.json({ error: err.message }, { status: 400, headers: NO_STORE });
    log.error({ err, key, since, until }, 'GET /api/drops/group failed');
    return NextResponse.json({ error: 'internal error while reading the drop group' }, { status: 500, headers: NO_STORE });
  }
}
