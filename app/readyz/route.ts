// GET /readyz — readiness: 200 when the database answers, its migrations are applied and the
// collector runs; otherwise 503 with {status, reason, checks} saying which check failed and why.
// `relays` lists each relay followed ({cluster, relay, state, lastError?}); a relay that is down
// does not make the process unready (the stored history is still worth serving).
import { NextResponse } from 'next/server';
import { checkReadiness } from '../../server/ops/readiness';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  const body = {
    ...(readiness.ready ? { status: 'ready' } : { status: 'not ready', reason: readiness.reason }),
    checks: readiness.checks,
    ...(readiness.relays && { relays: readiness.relays }),
  };
  return NextResponse.json(body, { status: readiness.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
