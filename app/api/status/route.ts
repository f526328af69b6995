// GET /api/status — the collector's view of the relay: connection state, counts and rates, and the
// incidents the built-in demo cluster was told to play (HUBBLE_DEMO_INCIDENTS; with several demo
// clusters they play in the first). `relays` lists each relay followed with its `cluster`; with one
// relay the top level is that relay, with several it combines them (lib/ingest/ingest-status.ts).
import type { StatusResponse } from '../../../lib/ingest/ingest-status';
import { liveBus } from '../../../server/live/live-bus';
import { answer, refuse } from '../responses';

export const dynamic = 'force-dynamic';

export function GET() {
  const status = liveBus().status();
  if (!status) {
    return refuse('no collector runs in this process (started with --role=web?)', 503);
  }
  const incidents = liveBus().demoIncidents();
  const body: StatusResponse = incidents.length ? { ...status, demoIncidents: incidents } : status;
  return answer(body);
}
