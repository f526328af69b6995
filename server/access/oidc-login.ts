/**
 * OpenID Connect sign-in served by the guard, before Next: /auth/login sends the browser to the
 * provider (authorization code flow with PKCE S256, state and nonce, kept in short-lived signed
 * login cookies, login-cookies.ts), /auth/callback turns the code into a verified identity and a
 * session cookie, /auth/logout ends both sessions (after asking, when another site sent the
 * browser there). Failures answer a plain page saying what went wrong, and are logged.
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
import { clearLoginCookies, LOGIN_TTL_S, pendingLogins, startLoginCookies, type LoginState } from './login-cookies';
import { requestSource } from './request-origin';
import { safeReturnPath, storableReturnPath } from './return-path';
import { sessionClearCookie, sessionSetCookie, type Session } from './session-cookie';

const log = logger('access');

export type OidcAuth = Extract<AuthConfig, { mode: 'oidc' }>;

const STATE = /^[\w-]{43}$/;
/** OAuth error codes are short ASCII words (RFC 6749 4.1.2.1); anything else is not shown. */
const ERROR_CODE = /^[a-z_]{1,40}$/;
const SIGN_IN_AGAIN = { href: '/auth/login', text: 'Sign in again' };

export const AUTH_PATHS = ['/auth/login', '/auth/callback', '/auth/logout', '/auth/signed-out'] as const;

const random = () => randomBytes(32).toString('base64url');

/** Keycloak, Entra ID, Google and Okta refuse scopes they do not know, e.g. a bare `groups`. */
function scopeHint(oidc: OidcSettings): string {
  return ` The provider does not accept the scopes asked for (${oidc.scopes.join(' ')}): set HUBBLE_DASHBOARD_OIDC_SCOPES to scopes it knows, e.g. "openid profile email", or create the missing scope at the provider (README, "Signing in with OpenID Connect").`;
}

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
  begin(req: IncomingMessage, res: ServerResponse, returnTo: string | undefined): Promise<void>;
}

export function createOidcLogin(auth: OidcAuth, nowMs: () => number = Date.now, provider: OidcProvider = createOidcProvider(auth.oidc, nowMs)): OidcLogin {
  const oidc: OidcSettings = auth.oidc;
  // Read discovery at start-up, so a wrong issuer shows in the log before the first user trips on it.
  provider.metadata().catch((err: unknown) => {
    log.warn({ issuer: oidc.issuer, error: err instanceof Error ? err.message : String(err) }, 'cannot read the provider\'s discovery document yet: sign-ins fail until it can be read');
  });

  function providerTrouble(res: ServerResponse, err: unknown, step: string): void {
    if (err instanceof ProviderError || err instanceof IdTokenError) {
      const hint = /\binvalid_scope\b/.test(err.message) ? scopeHint(oidc) : '';
      log.warn({ step, error: err.message, scopes: hint ? oidc.scopes : undefined }, 'sign-in failed');
      return sendAuthPage(res, 502, { title: 'Sign-in failed', message: `The identity provider could not complete the sign-in: ${err.message}.${hint}`, links: [SIGN_IN_AGAIN] });
    }
    log.error({ step, err }, 'sign-in failed unexpectedly');
    return sendAuthPage(res, 500, { title: 'Sign-in failed', message: 'An unexpected error stopped the sign-in; the dashboard log has the details.', links: [SIGN_IN_AGAIN] });
  }

  async function begin(req: IncomingMessage, res: ServerResponse, returnTo: string | undefined): Promise<void> {
    const login: LoginState = { state: random(), nonce: random(), verifier: random(), returnTo: storableReturnPath(returnTo), startedAtMs: nowMs() };
    const codeChallenge = createHash('sha256').update(login.verifier).digest('base64url');
    let location: string;
    try {
      location = await provider.authorizationUrl({ state: login.state, nonce: login.nonce, codeChallenge });
    } catch (err) {
      return providerTrouble(res, err, 'discovery');
    }
    res.setHeader('set-cookie', startLoginCookies(oidc.sessionSecret, oidc.secureCookies, req.headers, login, nowMs()));
    sendRedirect(res, location);
  }

  /** The provider's refusal; its own words only when the state proves it answers our sign-in. */
  function refused(res: ServerResponse, q: URLSearchParams, login: LoginState | undefined): void {
    const error = q.get('error') ?? '';
    const code = ERROR_CODE.test(error) ? error : 'an error';
    // Anyone can craft this URL: without a matching login cookie, none of its text is shown.
    const description = login ? q.get('error_description')?.slice(0, 300) : undefined;
    log.warn({ error: error.slice(0, 100), description, stateMatches: Boolean(login) }, 'the provider refused the sign-in');
    const hint = login && error === 'invalid_scope' ? scopeHint(oidc) : '';
    const message = login
      ? `The identity provider answered ${code}${description ? `: ${description}` : ''}.${hint}`
      : `The sign-in was refused (${code}), or it is unknown or expired. Try again.`;
    sendAuthPage(res, error === 'access_denied' ? 403 : login ? 502 : 400, { title: 'Sign-in refused', message, links: [SIGN_IN_AGAIN] });
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const state = q.get('state') ?? '';
    const pending = pendingLogins(oidc.sessionSecret, req.headers, nowMs());
    const login = STATE.test(state) ? pending.find((p) => p.login?.state === state)?.login : undefined;
    // Login cookies are single-use: this sign-in ends here, and any others left unfinished go too.
    const cookies = clearLoginCookies(pending.map((p) => p.name), oidc.secureCookies);
    res.setHeader('set-cookie', cookies);
    if (q.has('error')) return refused(res, q, login);
    if (!login) {
      log.warn({ hasState: Boolean(state), loginCookies: pending.length }, 'sign-in callback with an unknown or expired state');
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

  async function endSessionUrl(): Promise<string | undefined> {
    try {
      return await provider.endSessionUrl(`${oidc.publicUrl}/auth/signed-out`);
    } catch (err) {
      // Signed out here all the same; the provider's session may outlive it.
      log.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not reach the provider to end its session');
      return undefined;
    }
  }

  /**
   * Another site must not sign people out behind their back (logout CSRF): a GET it sent, or a
   * POST not proven to come from the dashboard's own pages, gets a page with a button instead.
   */
  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendAuthPage(res, 405, { title: 'Sign out', message: 'Sign out with GET or POST.' });
    }
    const source = requestSource(req.headers, oidc.publicUrl);
    const endSession = await endSessionUrl();
    if (source === 'other' || (req.method === 'POST' && source !== 'same')) {
      log.info({ method: req.method, site: req.headers['sec-fetch-site'], origin: req.headers.origin }, 'sign-out asked for from elsewhere: asking the user to confirm');
      return sendAuthPage(res, 200, {
        title: 'Sign out?',
        message: 'This sign-out did not come from the dashboard\'s own pages: another site may have sent you here. Sign out of the Hubble Flow Dashboard?',
        form: { action: '/auth/logout', button: 'Sign out', redirectsTo: endSession },
      });
    }
    res.setHeader('set-cookie', sessionClearCookie(oidc));
    sendRedirect(res, endSession ?? '/auth/signed-out');
  }

  return {
    begin,
    async serve(req, res, url) {
      switch (url.pathname as (typeof AUTH_PATHS)[number]) {
        case '/auth/login':
          return begin(req, res, safeReturnPath(url.searchParams.get('return')));
        case '/auth/callback':
          return callback(req, res, url);
        case '/auth/logout':
          return logout(req, res);
        case '/auth/signed-out':
          return sendAuthPage(res, 200, { title: 'Signed out', message: 'You have signed out of the Hubble Flow Dashboard.', links: [SIGN_IN_AGAIN] });
      }
    },
  };
}
