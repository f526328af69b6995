// GET /api/drops/group?from=&to=&port=&protocol=&reason=&policies=[&from-cluster=&to-cluster=&to-name=]&since=&until=
// A drop group's page (DropGroupDetail): count, sample flows and their facts, the hubble observe
// command for its flows, and the suggested CiliumNetworkPolicy. Contract: lib/api/drops.ts.
import { dropGroupSelection } from '../../../../lib/api/drop-groups';
import { DROP_GROUP_SAMPLE_LIMIT, parseDropGroupQuery, type DropGroupDetail } from '../../../../lib/api/drops';
import { suggestPolicy } from '../../../../lib/drops/suggested-policy';
import { edgeFilter } from '../../../../lib/filter/edge-filter';
import type { FlowFilterSet } from '../../../../lib/filter/flow-filter';
import { formatObserveCommand, printObserveArgs, shellQuote } from '../../../../lib/filter/print-observe-args';
import { logger } from '../../../../server/log/logger';
import { readDropGroupDetail } from '../../../../server/store/drop-group-detail';
import { sharedDb } from '../../../../server/store/shared-db';
import { scopeOf } from '../../../../server/access/request-scope';
import { answer, failed, refuse } from '../../responses';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-drops-group');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseDropGroupQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  const { key, since, until } = parsed.query;
  const scope = scopeOf(request);
  if (scope !== '*' && !scope.includes(key.source.namespace) && !scope.includes(key.destination.namespace)) {
    return refuse('this drop group is outside the namespaces you may see', 403);
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
    return answer(body);
  } catch (err) {
    return failed(err, log, { key, since, until }, 'internal error while reading the drop group');
  }
}
