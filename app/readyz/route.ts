// GET /readyz — readiness: 200 when the database answers, its migrations are applied and the
// collector runs; otherwise 503 with {status, reason, checks} saying which check failed and why.
import { NextResponse } from 'next/server';
import { checkReadiness } from '../../server/ops/readiness';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  const body = readiness.ready
    ? { status: 'ready', checks: readiness.checks }
    : { status: 'not ready', reason: readiness.reason, checks: readiness.checks };
  return NextResponse.json(body, { status: readiness.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
