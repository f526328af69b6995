/**
 * Who may read the operational endpoints in oidc mode, where the dashboard faces the ingress
 * directly and nothing else stands in front of them. /metrics and a detailed /readyz name relays,
 * clusters and their errors: they go to loopback (kubectl port-forward) and to Prometheus with
 * the bearer token HUBBLE_DASHBOARD_METRICS_TOKEN. Probes come from the kubelet on the node's
 * address without any token, so /healthz and /readyz keep their status codes for everyone, with
 * /readyz's details left out. In proxy and none mode the guard leaves these paths open: there the
 * proxy or the network policy decides who reaches the port at all.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type OpsPath = '/healthz' | '/readyz' | '/metrics';
export const OPS_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'] satisfies OpsPath[];

/** Whether the ready checks pass; the detailed answer is /readyz's own. */
export type ReadinessCheck = () => Promise<boolean>;

/**
 * Exactly 127.0.0.1 and ::1, as kubectl port-forward connects: not all of 127/8, because a
 * sidecar proxy such as Istio's forwards every outside request from 127.0.0.6.
 */
export function isLoopbackPeer(remoteAddress: string | undefined): boolean {
  return remoteAddress === '127.0.0.1' || remoteAddress === '::1' || remoteAddress === '::ffff:127.0.0.1';
}

/** Compares digests, so neither the token's length nor its first differing byte shows in the timing. */
export function bearerTokenMatches(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization) return false;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}

function forbidden(res: ServerResponse, tokenSet: boolean): void {
  res.statusCode = 403;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const how = tokenSet
    ? 'send Authorization: Bearer <HUBBLE_DASHBOARD_METRICS_TOKEN>'
    : 'set HUBBLE_DASHBOARD_METRICS_TOKEN (or _FILE) and give Prometheus that bearer token';
  res.end(`Forbidden: with HUBBLE_DASHBOARD_AUTH=oidc, /metrics is served to loopback (kubectl port-forward) or to a request with the metrics token; ${how}\n`);
}

async function minimalReadiness(res: ServerResponse, ready: ReadinessCheck): Promise<void> {
  const ok = await ready().catch(() => false);
  res.statusCode = ok ? 200 : 503;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ status: ok ? 'ready' : 'not ready', details: 'only from loopback or with HUBBLE_DASHBOARD_METRICS_TOKEN' }));
}

/**
 * Serves `path` in oidc mode: passes it to `next` when the caller may see everything, else
 * answers itself. `ready` runs only for an outside /readyz.
 */
export function serveOpsPath(path: OpsPath, req: IncomingMessage, res: ServerResponse, metricsToken: string | undefined, ready: ReadinessCheck, next: () => void): void {
  const trusted = isLoopbackPeer(req.socket.remoteAddress) || bearerTokenMatches(req.headers.authorization, metricsToken);
  switch (path) {
    case '/healthz':
      return next();
    case '/readyz':
      return trusted ? next() : void minimalReadiness(res, ready);
    case '/metrics':
      return trusted ? next() : forbidden(res, metricsToken !== undefined);
  }
}
