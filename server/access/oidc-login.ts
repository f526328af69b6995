/**
 * OpenID Connect sign-in served by the guard, before Next: /auth/login sends the browser to the
 * provider (authorization code flow with PKCE S256, state and nonce, kept in a short-lived signed
 * cookie named after the state so that two tabs signing in at once do not trip over each other),
 * /auth/callback turns the code into a verified identity and a session cookie, /auth/logout ends
 * both sessions. Failures answer a plain page saying what went wrong, and are logged.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthConfig } from '../config';
import { logger } from '../log/logger';
import { sendAuthPage, sendRedirect } from './auth-pages';
import { IdTokenError, type IdTokenClaims } from './id-token';
import { ProviderError } from './oidc-http';
import { createOidcProvider, type OidcProvider } from './oidc-provider';
import type { OidcSettings } from './oidc-settings';
import { safeReturnPath } from './return-path';
import { sessionClearCookie, sessionSetCookie, type Session } from './session-cookie';
import { clearCookieHeader, openCookieValue, readCookie, sealCookieValue, setCookieHeader } from './signed-cookie';

const log = logger('access');

export type OidcAuth = Extract<AuthConfig, { mode: 'oidc' }>;

interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** Time to type a password and answer a second factor. */
const LOGIN_TTL_S = 600;
const LOGIN_COOKIE_PATH = '/auth/callback';
const STATE = /^[\w-]{43}$/;
const SIGN_IN_AGAIN = { href: '/auth/login', text: 'Sign in again' };

export const AUTH_PATHS = ['/auth/login', '/auth/callback', '/auth/logout', '/auth/signed-out'] as const;

const random = () => randomBytes(32).toString('base64url');
const loginCookieName = (state: string) => `hubble-dashboard-login-${state.slice(0, 16)}`;

/** The user's name: the configured claim, else `sub` (always present in a verified token). */
export function userOfClaims(claims: IdTokenClaims, userClaim: string): string {
  const v = claims[userClaim];
  return typeof v === 'string' && v.trim() ? v.trim() : claims.sub;
}

/** Groups as an array of names; some providers send one string when there is a single group. */
export function groupsOfClaims(claims: IdTokenClaims, groupsClaim: string): string[] {
  const v = claims[groupsClaim];
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (!Array.isArray(v)) return [];
  return v.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
}

export interface OidcLogin {
  /** Serves one of AUTH_PATHS. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Sends the browser to the provider, to come back to `returnTo` once signed in. */
  begin(res: ServerResponse, returnTo: string | undefined): Promise<void>;
}

export function createOidcLogin(auth: OidcAuth, nowMs: () => number = Date.now, provider: OidcProvider = createOidcProvider(auth.oidc, nowMs)): OidcLogin {
  const oidc: OidcSettings = auth.oidc;
  // Read discovery at start-up, so a wrong issuer shows in the log before the first user trips on it.
  provider.metadata().catch((err: unknown) => {
    log.warn({ issuer: oidc.issuer, error: err instanceof Error ? err.message : String(err) }, 'cannot read the provider\'s discovery document yet: sign-ins fail until it can be read');
  });

  function providerTrouble(res: ServerResponse, err: unknown, step: string): void {
    if (err instanceof ProviderError || err instanceof IdTokenError) {
      log.warn({ step, error: err.message }, 'sign-in failed');
      return sendAuthPage(res, 502, { title: 'Sign-in failed', message: `The identity provider could not complete the sign-in: ${err.message}.`, links: [SIGN_IN_AGAIN] });
    }
    log.error({ step, err }, 'sign-in failed unexpectedly');
    return sendAuthPage(res, 500, { title: 'Sign-in failed', message: 'An unexpected error stopped the sign-in; the dashboard log has the details.', links: [SIGN_IN_AGAIN] });
  }

  async function begin(res: ServerResponse, returnTo: string | undefined): Promise<void> {
    const login: LoginState = { state: random(), nonce: random(), verifier: random(), returnTo: returnTo ?? '/' };
    const codeChallenge = createHash('sha256').update(login.verifier).digest('base64url');
    let location: string;
    try {
      location = await provider.authorizationUrl({ state: login.state, nonce: login.nonce, codeChallenge });
    } catch (err) {
      return providerTrouble(res, err, 'discovery');
    }
    const value = sealCookieValue(oidc.sessionSecret, 'login', login, nowMs() + LOGIN_TTL_S * 1000);
    res.setHeader('set-cookie', setCookieHeader(loginCookieName(login.state), value, { path: LOGIN_COOKIE_PATH, maxAgeS: LOGIN_TTL_S, secure: oidc.secureCookies }));
    sendRedirect(res, location);
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const state = q.get('state') ?? '';
    const cookie = STATE.test(state) ? loginCookieName(state) : undefined;
    const login = cookie ? openCookieValue<LoginState>(oidc.sessionSecret, 'login', readCookie(req.headers, cookie), nowMs()) : undefined;
    // The login cookie is single-use whatever happens next.
    const cookies = cookie ? [clearCookieHeader(cookie, LOGIN_COOKIE_PATH, oidc.secureCookies)] : [];
    res.setHeader('set-cookie', cookies);
    const error = q.get('error')?.slice(0, 100);
    if (error) {
      // Anyone can craft this URL: the text is escaped on the page and kept short.
      const description = q.get('error_description')?.slice(0, 300);
      log.warn({ error, description }, 'the provider refused the sign-in');
      const message = `The identity provider answered ${error}${description ? `: ${description}` : ''}.`;
      return sendAuthPage(res, error === 'access_denied' ? 403 : 502, { title: 'Sign-in refused', message, links: [SIGN_IN_AGAIN] });
    }
    if (!login || login.state !== state) {
      log.warn({ hasState: Boolean(state), hasCookie: Boolean(cookie && readCookie(req.headers, cookie)) }, 'sign-in callback with an unknown or expired state');
      return sendAuthPage(res, 400, {
        title: 'Sign-in expired',
        message: `This sign-in is unknown or expired: it must finish within ${LOGIN_TTL_S / 60} minutes, in the browser that started it, at ${oidc.publicUrl} (HUBBLE_DASHBOARD_PUBLIC_URL).`,
        links: [SIGN_IN_AGAIN],
      });
    }
    const code = q.get('code');
    if (!code) return sendAuthPage(res, 400, { title: 'Sign-in failed', message: 'The identity provider sent neither a code nor an error.', links: [SIGN_IN_AGAIN] });
    let claims: IdTokenClaims;
    try {
      claims = await provider.signIn(code, login.verifier, login.nonce);
    } catch (err) {
      return providerTrouble(res, err, 'token');
    }
    const session: Session = { user: userOfClaims(claims, oidc.userClaim), groups: groupsOfClaims(claims, oidc.groupsClaim) };
    if (claims._claim_names && typeof claims._claim_names === 'object' && oidc.groupsClaim in claims._claim_names) {
      log.warn({ user: session.user }, 'the provider left the groups out of the ID token (too many groups; Entra ID "groups overage"): assign the application fewer groups or emit app roles');
    }
    log.info({ user: session.user, groups: session.groups }, 'signed in');
    res.setHeader('set-cookie', [...cookies, sessionSetCookie(oidc, auth.access, session, nowMs())]);
    sendRedirect(res, safeReturnPath(login.returnTo) ?? '/');
  }

  async function logout(res: ServerResponse): Promise<void> {
    res.setHeader('set-cookie', sessionClearCookie(oidc));
    const signedOut = `${oidc.publicUrl}/auth/signed-out`;
    let location = '/auth/signed-out';
    try {
      location = (await provider.endSessionUrl(signedOut)) ?? location;
    } catch (err) {
      // Signed out here all the same; the provider's session may outlive it.
      log.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not reach the provider to end its session');
    }
    sendRedirect(res, location);
  }

  return {
    begin,
    async serve(req, res, url) {
      switch (url.pathname as (typeof AUTH_PATHS)[number]) {
        case '/auth/login':
          return begin(res, safeReturnPath(url.searchParams.get('return')));
        case '/auth/callback':
          return callback(req, res, url);
        case '/auth/logout':
          return logout(res);
        case '/auth/signed-out':
          return sendAuthPage(res, 200, { title: 'Signed out', message: 'You have signed out of the Hubble Flow Dashboard.', links: [SIGN_IN_AGAIN] });
      }
    },
  };
}
