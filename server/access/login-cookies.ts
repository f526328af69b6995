/**
 * The short-lived cookies that carry an unfinished sign-in (state, nonce, PKCE verifier, where to
 * return) from /auth/login to /auth/callback. Each is named after its state so that two tabs can
 * sign in at once; left alone they would pile up (every abandoned sign-in leaves one for ten
 * minutes) until the Cookie header outgrows what a proxy accepts and every sign-in fails with 431.
 * So at most MAX_PENDING_SIGN_INS exist: /auth/login drops the oldest before adding one, and the
 * callback drops all of them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { clearCookieHeader, openCookieValue, setCookieHeader, sealCookieValue } from './signed-cookie';

export interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** When /auth/login started it, to find the oldest. */
  startedAtMs: number;
}

/** Time to type a password and answer a second factor. */
export const LOGIN_TTL_S = 600;
/** Sent to /auth/login (which counts them) and /auth/callback (which uses one), never to pages or the API. */
export const LOGIN_COOKIE_PATH = '/auth';
const PREFIX = 'hubble-dashboard-login-';
/**
 * Three cookies of at most ~1 KB each (the stored return path is capped) plus a session cookie
 * of at most ~4 KB stay under the 8 KB per header that ingress-nginx allows by default.
 */
export const MAX_PENDING_SIGN_INS = 3;

export const loginCookieName = (state: string) => `${PREFIX}${state.slice(0, 16)}`;

interface Pending {
  name: string;
  login?: LoginState;
}

/** Every login cookie the request carries, opened when valid (undefined when expired or forged). */
export function pendingLogins(secret: string, headers: IncomingHttpHeaders, nowMs: number): Pending[] {
  const out: Pending[] = [];
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq < 0 || !name.startsWith(PREFIX)) continue;
    out.push({ name, login: openCookieValue<LoginState>(secret, 'login', part.slice(eq + 1).trim(), nowMs) });
  }
  return out;
}

export function clearLoginCookies(names: readonly string[], secure: boolean): string[] {
  return [...new Set(names)].map((name) => clearCookieHeader(name, LOGIN_COOKIE_PATH, secure));
}

/**
 * Set-Cookie headers for a new sign-in: its own cookie, and deletions that leave at most
 * MAX_PENDING_SIGN_INS in the browser (invalid ones first, then the oldest).
 */
export function startLoginCookies(secret: string, secure: boolean, headers: IncomingHttpHeaders, login: LoginState, nowMs: number): string[] {
  const pending = pendingLogins(secret, headers, nowMs);
  const valid = pending.filter((p) => p.login).sort((a, b) => b.login!.startedAtMs - a.login!.startedAtMs);
  const dropped = [...pending.filter((p) => !p.login), ...valid.slice(MAX_PENDING_SIGN_INS - 1)].map((p) => p.name);
  const value = sealCookieValue(secret, 'login', login, nowMs + LOGIN_TTL_S * 1000);
  const name = loginCookieName(login.state);
  return [
    ...clearLoginCookies(dropped.filter((n) => n !== name), secure),
    setCookieHeader(name, value, { path: LOGIN_COOKIE_PATH, maxAgeS: LOGIN_TTL_S, secure }),
  ];
}
