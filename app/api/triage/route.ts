// GET /api/triage[?at=<time>][&cluster=<name>...] — the on-call triage: drop rates per namespace
// against 1 h and 24 h before, drop groups new in the last 15 minutes, the top dropped pairs, relay
// health and data completeness over the last day, and the collector's live status; with `cluster`,
// all of it for flows with a side in those clusters and for their relays. Contract: lib/api/triage.ts.
import { parseTriageQuery, type TriageResponse } from '../../../lib/api/triage';
import { scopeNamespaces } from '../../../server/access/request-scope';
import { liveBus } from '../../../server/live/live-bus';
import { logger } from '../../../server/log/logger';
import { sharedDb } from '../../../server/store/shared-db';
import { readTriage } from '../../../server/store/triage';
import { answer, failed, refuse } from '../responses';
import { ingestOfClusters, relaysOfClusters } from './triage-relays';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = logger('api-triage');

export async function GET(request: Request): Promise<Response> {
  const parsed = parseTriageQuery(new URL(request.url).searchParams, Date.now());
  if (!parsed.ok) return refuse(parsed.error, parsed.status);
  try {
    const db = await sharedDb();
    const { nowMs, clusters } = parsed.query;
    const status = liveBus().status();
    const namespaces = scopeNamespaces(request);
    const read = await readTriage(db, { nowMs, clusters, relays: relaysOfClusters(clusters, status), namespaces });
    // A restricted viewer's namespaces narrow every list and count in the store, before lists are cut.
    const body: TriageResponse = { ...read, ingest: ingestOfClusters(clusters, status) };
    return answer(body);
  } catch (err) {
    return failed(err, log, {}, 'internal error while reading the triage');
  }
}
