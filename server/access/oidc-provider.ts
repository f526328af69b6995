/**
 * The OpenID provider as the dashboard uses it: discovery (cached; dropped when a later step
 * fails, so a provider that moved an endpoint is found again on the next sign-in), the
 * authorization URL, the code exchange at the token endpoint, ID token verification against the
 * JWKS, and the end-session URL.
 */
import { logger } from '../log/logger';
import { createJwks } from './jwks';
import { verifyIdToken, type IdTokenClaims } from './id-token';
import { fetchJson, ProviderError } from './oidc-http';
import type { OidcSettings } from './oidc-settings';

const log = logger('access');

export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  endSessionEndpoint?: string;
  tokenAuthMethod: TokenAuthMethod;
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
}

export interface OidcProvider {
  metadata(): Promise<ProviderMetadata>;
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /** Exchanges an authorization code for the verified ID token's claims. */
  signIn(code: string, codeVerifier: string, nonce: string): Promise<IdTokenClaims>;
  /** Where to send the browser to end the provider's session too; undefined when it has none. */
  endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined>;
}

/** Discovery is re-read this often even when nothing fails, to notice configuration changes. */
const DISCOVERY_TTL_MS = 60 * 60_000;

function absoluteUrl(doc: Record<string, unknown>, field: string, where: string): string {
  const v = doc[field];
  if (typeof v !== 'string' || !URL.canParse(v)) throw new ProviderError(`the provider's discovery document (${where}) has no valid ${field}`);
  return v;
}

function tokenAuthMethod(doc: Record<string, unknown>, where: string): TokenAuthMethod {
  const methods = doc.token_endpoint_auth_methods_supported;
  // Absent means client_secret_basic (OpenID Connect Discovery 1.0, section 3).
  if (!Array.isArray(methods) || methods.includes('client_secret_basic')) return 'client_secret_basic';
  if (methods.includes('client_secret_post')) return 'client_secret_post';
  throw new ProviderError(`the provider (${where}) accepts only ${methods.join(', ')} at its token endpoint; this dashboard sends client_secret_basic or client_secret_post`);
}

export function parseDiscovery(doc: Record<string, unknown>, expectedIssuer: string, where: string): ProviderMetadata {
  if (doc.issuer !== expectedIssuer) {
    throw new ProviderError(`the provider at ${where} calls itself ${JSON.stringify(doc.issuer)}; HUBBLE_DASHBOARD_OIDC_ISSUER must be exactly that`);
  }
  const challenges = doc.code_challenge_methods_supported;
  if (Array.isArray(challenges) && !challenges.includes('S256')) log.warn({ challenges }, 'the provider does not list PKCE S256; sending it anyway');
  const endSession = doc.end_session_endpoint;
  return {
    issuer: expectedIssuer,
    authorizationEndpoint: absoluteUrl(doc, 'authorization_endpoint', where),
    tokenEndpoint: absoluteUrl(doc, 'token_endpoint', where),
    jwksUri: absoluteUrl(doc, 'jwks_uri', where),
    endSessionEndpoint: typeof endSession === 'string' && URL.canParse(endSession) ? endSession : undefined,
    tokenAuthMethod: tokenAuthMethod(doc, where),
  };
}

/** RFC 6749 2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

export function createOidcProvider(oidc: OidcSettings, nowMs: () => number = Date.now): OidcProvider {
  const discoveryUrl = `${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let cached: { metadata: ProviderMetadata; atMs: number } | undefined;
  let inFlight: Promise<ProviderMetadata> | undefined;
  const jwks = createJwks({ jwksUri: async () => (await metadata()).jwksUri, nowMs });

  function metadata(): Promise<ProviderMetadata> {
    if (cached && nowMs() - cached.atMs < DISCOVERY_TTL_MS) return Promise.resolve(cached.metadata);
    inFlight ??= (async () => {
      try {
        const { status, body } = await fetchJson('the provider\'s discovery document', discoveryUrl);
        if (status !== 200) throw new ProviderError(`the provider's discovery document (${discoveryUrl}) answered ${status}`);
        const next = parseDiscovery(body, oidc.issuer, discoveryUrl);
        if (cached && cached.metadata.jwksUri !== next.jwksUri) jwks.reset();
        cached = { metadata: next, atMs: nowMs() };
        log.info({ issuer: oidc.issuer, tokenAuthMethod: next.tokenAuthMethod, endSession: Boolean(next.endSessionEndpoint) }, 'read the provider\'s discovery document');
        return next;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  /** A failure after discovery may mean the document is stale: read it again next time. */
  async function rediscoveringOnFailure<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof ProviderError) cached = undefined;
      throw err;
    }
  }

  async function exchange(code: string, codeVerifier: string): Promise<string> {
    const meta = await metadata();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: oidc.redirectUri, code_verifier: codeVerifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (meta.tokenAuthMethod === 'client_secret_basic') {
      headers.authorization = basicAuth(oidc.clientId, oidc.clientSecret);
    } else {
      form.set('client_id', oidc.clientId);
      form.set('client_secret', oidc.clientSecret);
    }
    const { status, body } = await fetchJson('the provider\'s token endpoint', meta.tokenEndpoint, { method: 'POST', headers, body: form.toString() });
    if (status !== 200 || typeof body.id_token !== 'string') {
      const why = typeof body.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : 'no id_token in the answer';
      throw new ProviderError(`the provider's token endpoint (${meta.tokenEndpoint}) answered ${status}: ${why}`);
    }
    return body.id_token;
  }

  return {
    metadata,
    async authorizationUrl({ state, nonce, codeChallenge }) {
      const url = new URL((await metadata()).authorizationEndpoint);
      const params = {
        response_type: 'code', client_id: oidc.clientId, redirect_uri: oidc.redirectUri, scope: oidc.scopes.join(' '),
        state, nonce, code_challenge: codeChallenge, code_challenge_method: 'S256',
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      return url.toString();
    },
    signIn: (code, codeVerifier, nonce) => rediscoveringOnFailure(async () => {
      const idToken = await exchange(code, codeVerifier);
      return verifyIdToken(idToken, { issuer: oidc.issuer, clientId: oidc.clientId, nonce, nowMs: nowMs() }, (kid, alg) => jwks.keysFor(kid, alg));
    }),
    async endSessionUrl(postLogoutRedirectUri) {
      const endpoint = (await metadata()).endSessionEndpoint;
      if (!endpoint) return undefined;
      const url = new URL(endpoint);
      url.searchParams.set('client_id', oidc.clientId);
      url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
      return url.toString();
    },
  };
}
