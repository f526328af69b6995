/**
 * The front door of the HTTP server: every request but the probes and metrics is authenticated
 * before Next sees it, and carries its viewer to the route handlers in VIEWER_HEADER. In oidc mode
 * it also serves the sign-in routes (/auth/*), sends signed-out browsers to sign in, lets Next's
 * static build files through, and keeps /metrics and /readyz's details to loopback and Prometheus.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AuthConfig } from '../config';
import { logger } from '../log/logger';
import { SIGN_OUT_HEADER, SIGN_OUT_PATH } from './account-header';
import { sendAuthPage, sendRedirect } from './auth-pages';
import { authenticate, type AuthResult } from './authenticate';
import { AUTH_PATHS, createOidcLogin } from './oidc-login';
import { OPS_PATHS, serveOpsPath, type OpsPath, type ReadinessCheck } from './ops-access';
import { isTopLevelNavigation } from './request-origin';
import { storableReturnPath } from './return-path';
import { requireViewerHeader, VIEWER_HEADER, viewerToHeader } from './viewer-header';

const log = logger('access');

export interface GuardOptions {
  /** Whether /readyz's checks pass, for its minimal answer in oidc mode (default: server/ops/readiness). */
  ready?: ReadinessCheck;
}

const checkReady: ReadinessCheck = async () => (await (await import('../ops/readiness')).checkReadiness()).ready;

/**
 * Next's build output (scripts, styles, fonts) and the icon: the same for everyone, no data. Only
 * /_next/static: /_next/data, /_next/image and the RSC payloads (page paths) stay guarded.
 */
function isPublicAsset(method: string | undefined, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/favicon.ico') return true;
  if (!path.startsWith('/_next/static/')) return false;
  // No way out of the folder: no dot segments, encoded or not, no encoded slashes or backslashes.
  return !/%2e|%2f|%5c|\\/i.test(path) && !path.split('/').some((segment) => segment === '.' || segment === '..');
}

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

function failed(res: ServerResponse, err: unknown): void {
  log.error({ err }, 'sign-in route failed');
  if (res.headersSent) return void res.destroy();
  sendAuthPage(res, 500, { title: 'Sign-in failed', message: 'An unexpected error stopped the sign-in; the dashboard log has the details.' });
}

/**
 * oidc mode: a page navigated to without a session goes to sign in (/auth/login, which keeps the
 * login cookies in bounds) and comes back to itself; the API and whatever a page fetches answer
 * 401 (a script cannot follow a sign-in); someone without a namespace may sign out.
 */
function refuseOidc(req: IncomingMessage, res: ServerResponse, result: Extract<AuthResult, { ok: false }>, api: boolean): void {
  const page = !api && isTopLevelNavigation(req.method, req.headers);
  if (result.status === 401 && page) return sendRedirect(res, `/auth/login?return=${encodeURIComponent(storableReturnPath(req.url))}`);
  if (result.status === 403 && page) {
    return sendAuthPage(res, 403, { title: 'No namespace to show', message: `Forbidden: ${result.message}.`, links: [{ href: SIGN_OUT_PATH, text: 'Sign out' }] });
  }
  refuse(res, result.status, result.message, api);
}

/** The path as Next routes it, percent-decoded: `/%6detrics` must meet the rules of /metrics. */
function routePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

export function guardRequests(auth: AuthConfig, handler: RequestListener, opts: GuardOptions = {}): RequestListener {
  if (auth.mode !== 'none') requireViewerHeader();
  const login = auth.mode === 'oidc' ? createOidcLogin(auth) : undefined;
  const metricsToken = auth.mode === 'oidc' ? auth.oidc.metricsToken : undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    delete req.headers[VIEWER_HEADER];
    delete req.headers[SIGN_OUT_HEADER];
    const rawPath = (req.url ?? '/').split('?')[0];
    const path = routePath(rawPath);
    if (OPS_PATHS.includes(path)) {
      // proxy and none: the proxy, or the network policy, decides who reaches the port at all.
      if (!login) return handler(req, res);
      return serveOpsPath(path as OpsPath, req, res, metricsToken, opts.ready ?? checkReady, () => handler(req, res));
    }
    if (login && (AUTH_PATHS as readonly string[]).includes(path)) {
      return void login.serve(req, res, new URL(req.url ?? '/', 'http://dashboard.invalid')).catch((err: unknown) => failed(res, err));
    }
    if (login && isPublicAsset(req.method, rawPath)) return handler(req, res);
    const result = authenticate(auth, req.socket.remoteAddress, req.headers);
    if (!result.ok) {
      log.info({ path, remote: req.socket.remoteAddress, status: result.status }, result.message);
      if (login) return refuseOidc(req, res, result, path.startsWith('/api/'));
      return refuse(res, result.status, result.message, path.startsWith('/api/'));
    }
    if (auth.mode !== 'none') req.headers[VIEWER_HEADER] = viewerToHeader(result.viewer);
    if (login) req.headers[SIGN_OUT_HEADER] = SIGN_OUT_PATH;
    return handler(req, res);
  };
}
