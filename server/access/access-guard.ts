/**
 * The front door of the HTTP server: every request but the probes and metrics is authenticated
 * before Next sees it, and carries its viewer to the route handlers in VIEWER_HEADER.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AuthConfig } from '../config';
import { logger } from '../log/logger';
import { authenticate } from './authenticate';
import { requireViewerHeader, VIEWER_HEADER, viewerToHeader } from './viewer-header';

const log = logger('access');

/** Probes and scrapes come from the kubelet and Prometheus, not through the proxy; they show no flow. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function refuse(res: ServerResponse, status: number, message: string, wantsJson: boolean): void {
  res.statusCode = status;
  res.setHeader('cache-control', 'no-store');
  if (wantsJson) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: message }));
  } else {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`${status === 401 ? 'Not signed in' : 'Forbidden'}: ${message}\n`);
  }
}

export function guardRequests(auth: AuthConfig, handler: RequestListener): RequestListener {
  if (auth.mode !== 'none') requireViewerHeader();
  return (req: IncomingMessage, res: ServerResponse) => {
    delete req.headers[VIEWER_HEADER];
    const path = (req.url ?? '/').split('?')[0];
    if (OPEN_PATHS.has(path)) return handler(req, res);
    const result = authenticate(auth, req.socket.remoteAddress, req.headers);
    if (!result.ok) {
      log.info({ path, remote: req.socket.remoteAddress, status: result.status }, result.message);
      return refuse(res, result.status, result.message, path.startsWith('/api/'));
    }
    if (auth.mode !== 'none') req.headers[VIEWER_HEADER] = viewerToHeader(result.viewer);
    return handler(req, res);
  };
}
