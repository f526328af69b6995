// GET /healthz — liveness: the process answers HTTP. Nothing else is checked, so a database or relay
// outage never gets the dashboard restarted (it retries both by itself); readiness is /readyz.
import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(): Response {
  return NextResponse.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
