/**
 * The front door of the HTTP server: every request but the probes and metrics is authenticated
 * before Next sees it, and carries its viewer to the route handlers in VIEWER_HEADER. In oidc mode
 * it also serves the sign-in routes (/auth/*) and sends signed-out browsers to the provider.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AuthConfig } from '../config';
import { logger } from '../log/logger';
import { SIGN_OUT_HEADER, SIGN_OUT_PATH } from './account-header';
import { sendAuthPage } from './auth-pages';
import { authenticate, type AuthResult } from './authenticate';
import { AUTH_PATHS, createOidcLogin, type OidcLogin } from './oidc-login';
import { safeReturnPath } from './return-path';
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

function failed(res: ServerResponse, err: unknown): void {
  log.error({ err }, 'sign-in route failed');
  if (res.headersSent) return void res.destroy();
  sendAuthPage(res, 500, { title: 'Sign-in failed', message: 'An unexpected error stopped the sign-in; the dashboard log has the details.' });
}

/**
 * oidc mode: a page asked for without a session goes to the provider and comes back to itself;
 * the API answers 401 (a script cannot follow a sign-in); someone without a namespace may sign out.
 */
function refuseOidc(login: OidcLogin, req: IncomingMessage, res: ServerResponse, result: Extract<AuthResult, { ok: false }>, api: boolean): void {
  const page = !api && (req.method === 'GET' || req.method === 'HEAD');
  if (result.status === 401 && page) return void login.begin(res, safeReturnPath(req.url)).catch((err: unknown) => failed(res, err));
  if (result.status === 403 && page) {
    return sendAuthPage(res, 403, { title: 'No namespace to show', message: `Forbidden: ${result.message}.`, links: [{ href: SIGN_OUT_PATH, text: 'Sign out' }] });
  }
  refuse(res, result.status, result.message, api);
}

export function guardRequests(auth: AuthConfig, handler: RequestListener): RequestListener {
  if (auth.mode !== 'none') requireViewerHeader();
  const login = auth.mode === 'oidc' ? createOidcLogin(auth) : undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    delete req.headers[VIEWER_HEADER];
    delete req.headers[SIGN_OUT_HEADER];
    const path = (req.url ?? '/').split('?')[0];
    if (OPEN_PATHS.has(path)) return handler(req, res);
    if (login && (AUTH_PATHS as readonly string[]).includes(path)) {
      return void login.serve(req, res, new URL(req.url ?? '/', 'http://dashboard.invalid')).catch((err: unknown) => failed(res, err));
    }
    const result = authenticate(auth, req.socket.remoteAddress, req.headers);
    if (!result.ok) {
      log.info({ path, remote: req.socket.remoteAddress, status: result.status }, result.message);
      if (login) return refuseOidc(login, req, res, result, path.startsWith('/api/'));
      return refuse(res, result.status, result.message, path.startsWith('/api/'));
    }
    if (auth.mode !== 'none') req.headers[VIEWER_HEADER] = viewerToHeader(result.viewer);
    if (login) req.headers[SIGN_OUT_HEADER] = SIGN_OUT_PATH;
    return handler(req, res);
  };
}
