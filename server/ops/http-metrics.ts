/**
 * HTTP request latency for /metrics, measured around Next's request handler in server/main.ts.
 * Labels stay few: the path is reduced to the route it reached (`/api/flows`, `/flows`,
 * `/_next`), anything answered 404 is `unmatched` and 401/403 `refused`, so random URLs cannot
 * create series.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { opsMetrics, type OpsMetrics } from './ops-metrics';

const SEGMENT = /^[a-z0-9][a-z0-9-]{0,39}$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The `handler` label for a request path and its status code. */
export function handlerLabel(url: string | undefined, statusCode: number): string {
  if (statusCode === 404) return 'unmatched';
  // Refused before routing (server/access), so the path may be anything a stranger tried.
  if (statusCode === 401 || statusCode === 403) return 'refused';
  const path = (url ?? '/').split(/[?#]/, 1)[0];
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) return '/';
  if (segments[0] === '_next') return '/_next';
  const depth = segments[0] === 'api' ? 2 : 1;
  const kept = segments.slice(0, depth);
  if (!kept.every((s) => SEGMENT.test(s))) return 'other';
  return `/${kept.join('/')}`;
}

/** The `method` label: the usual methods as sent, anything else `other`. */
export function methodLabel(method: string | undefined): string {
  const m = (method ?? '').toUpperCase();
  return METHODS.has(m) ? m : 'other';
}

// Next writes a route's Response headers with setHeader, so they can be read back when it finishes.
function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

/** Wraps a request listener so each finished response is observed in the latency histogram. */
export function timeHttpRequests(listener: RequestListener, metrics: OpsMetrics = opsMetrics()): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // A live stream's duration is how long someone watched, not how fast the server answered.
      if (isEventStream(res)) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpSeconds.observe(seconds, {
        method: methodLabel(req.method),
        handler: handlerLabel(req.url, res.statusCode),
        code: String(res.statusCode),
      });
    });
    listener(req, res);
  };
}
