/**
 * The signed-in session: user, groups and expiry in one signed, HttpOnly cookie, so any dashboard
 * process with the same secret can check it without shared state. Namespaces are worked out from
 * the groups on every request, so a changed HUBBLE_DASHBOARD_ACCESS applies without signing in again.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GroupAccess } from '../config';
import { logger } from '../log/logger';
import type { OidcSettings } from './oidc-settings';
import { clearCookieHeader, openCookieValue, readCookie, sealCookieValue, setCookieHeader } from './signed-cookie';

const log = logger('access');

export interface Session {
  user: string;
  groups: string[];
}

/** Browsers drop cookies over 4096 bytes; stay well below with the name and attributes. */
const MAX_COOKIE_VALUE = 3800;

/** `__Host-` binds the cookie to this origin and path / when it can be Secure. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-hubble-dashboard-session' : 'hubble-dashboard-session';
}

/** The session of a request; undefined when signed out, expired or tampered with. */
export function readSession(oidc: OidcSettings, headers: IncomingHttpHeaders, nowMs: number): Session | undefined {
  const value = readCookie(headers, sessionCookieName(oidc.secureCookies));
  const session = openCookieValue<Session>(oidc.sessionSecret, 'session', value, nowMs);
  if (!session || typeof session.user !== 'string' || !session.user || !Array.isArray(session.groups)) return undefined;
  return { user: session.user, groups: session.groups.filter((g): g is string => typeof g === 'string') };
}

/**
 * The Set-Cookie header for a new session. Someone in hundreds of groups would overflow the
 * cookie: then only the groups HUBBLE_DASHBOARD_ACCESS mentions are kept, the ones that matter.
 */
export function sessionSetCookie(oidc: OidcSettings, access: readonly GroupAccess[], session: Session, nowMs: number): string {
  const expiresAtMs = nowMs + oidc.sessionLifetimeMs;
  let value = sealCookieValue(oidc.sessionSecret, 'session', session, expiresAtMs);
  if (value.length > MAX_COOKIE_VALUE) {
    const granted = new Set(access.map((a) => a.group));
    const kept = session.groups.filter((g) => granted.has(g));
    log.warn({ user: session.user, groups: session.groups.length, kept: kept.length }, 'too many groups for the session cookie: keeping only those HUBBLE_DASHBOARD_ACCESS names');
    value = sealCookieValue(oidc.sessionSecret, 'session', { user: session.user, groups: kept }, expiresAtMs);
  }
  return setCookieHeader(sessionCookieName(oidc.secureCookies), value, {
    path: '/', maxAgeS: Math.floor(oidc.sessionLifetimeMs / 1000), secure: oidc.secureCookies,
  });
}

export function sessionClearCookie(oidc: OidcSettings): string {
  return clearCookieHeader(sessionCookieName(oidc.secureCookies), '/', oidc.secureCookies);
}
