// GET /metrics — the dashboard's own metrics in the Prometheus text format 0.0.4: ingest, batch
// writes, relay connection, gaps, database size, HTTP latency, process. Metric names and meanings:
// README "Operations".
import { METRICS_CONTENT_TYPE, renderMetrics } from '../../server/ops/render-metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  return new Response(await renderMetrics(), {
    headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}
