// GET /api/status — the collector's view of the relay: connection state, counts and rates.
import { NextResponse } from 'next/server';
import { liveBus } from '../../../server/live/live-bus';

export const dynamic = 'force-dynamic';

export function GET() {
  const status = liveBus().status();
  if (!status) {
    return NextResponse.json({ error: 'no collector runs in this process (started with --role=web?)' }, { status: 503 });
  }
  return NextResponse.json(status, { headers: { 'cache-control': 'no-store' } });
}
