/**
 * A tiny OpenID provider for tests, on loopback: discovery, an authorize endpoint that signs in
 * whoever the test chose (no login form) and redirects back with a code, a token endpoint that
 * checks the client's credentials, the redirect URI and PKCE before issuing a signed ID token,
 * the JWKS and an end-session endpoint. It checks what a strict real provider checks, so the
 * dashboard cannot pass by sending sloppy requests. Test code only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTestKey, publicJwk, signJwt, type TestAlg, type TestKey } from './jwt-signing';

export interface FakeUser {
  sub: string;
  email?: string;
  groups?: string[];
}

export interface FakeOidcProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The only redirect URI accepted (as registered at a real provider). */
  redirectUri: string;
  alg?: TestAlg;
  /** token_endpoint_auth_methods_supported; unset leaves it out of discovery (meaning basic). */
  tokenAuthMethods?: string[];
  /** Whether discovery lists an end_session_endpoint (default true). */
  endSession?: boolean;
  port?: number;
}

/** What the next ID token gets wrong, for tests of the dashboard's verification. */
export type TokenFault = 'bad-signature' | 'wrong-audience' | 'expired' | 'wrong-nonce';

export interface FakeOidcProvider {
  issuer: string;
  /** Whom /authorize signs in from now on. */
  signInAs(user: FakeUser): void;
  /** While on, /authorize shows a login page and never comes back: a user who gave up there. */
  holdAtLogin(on: boolean): void;
  /** The next /authorize redirects back with this error instead of a code. */
  refuseNext(error: string, description?: string): void;
  /** The next token endpoint call fails with this HTTP status and OAuth error. */
  failNextToken(status: number, error: string): void;
  spoilNextToken(fault: TokenFault): void;
  /** A new signing key (new kid); the old one leaves the JWKS. */
  rotateKey(): void;
  readonly requests: { discovery: number; jwks: number; authorize: number; token: number };
  /** How the client authenticated at the token endpoint, per call. */
  readonly tokenAuth: Array<'basic' | 'post' | 'none'>;
  /** post_logout_redirect_uri of each end-session call. */
  readonly endSessions: string[];
  close(): Promise<void>;
}

interface Grant { user: FakeUser; nonce: string; challenge: string; redirectUri: string }

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
};

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function clientOf(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string; how: 'basic' | 'post' | 'none' } {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
    return { id, secret, how: 'basic' };
  }
  if (form.has('client_secret')) return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined, how: 'post' };
  return { how: 'none' };
}

export async function startFakeOidcProvider(opts: FakeOidcProviderOptions): Promise<FakeOidcProvider> {
  const alg = opts.alg ?? 'RS256';
  let key: TestKey = makeTestKey(alg, 'key-1');
  let keyCount = 1;
  let user: FakeUser = { sub: 'nobody' };
  let refusal: { error: string; description?: string } | undefined;
  let holding = false;
  let tokenFailure: { status: number; error: string } | undefined;
  let fault: TokenFault | undefined;
  const grants = new Map<string, Grant>();
  const requests = { discovery: 0, jwks: 0, authorize: 0, token: 0 };
  const tokenAuth: Array<'basic' | 'post' | 'none'> = [];
  const endSessions: string[] = [];
  let issuer = '';

  function authorize(url: URL, res: ServerResponse): void {
    requests.authorize++;
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== opts.clientId || redirectUri !== opts.redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
    if (holding) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Provider</title><h1>Provider login</h1>');
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    if (refusal) {
      back.searchParams.set('error', refusal.error);
      if (refusal.description) back.searchParams.set('error_description', refusal.description);
      refusal = undefined;
    } else if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('nonce') || !q.get('scope')?.split(' ').includes('openid')) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(16).toString('hex');
      grants.set(code, { user, nonce: q.get('nonce')!, challenge: q.get('code_challenge')!, redirectUri });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  function idToken(grant: Grant): string {
    const nowS = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: issuer, sub: grant.user.sub, aud: opts.clientId, iat: nowS, exp: nowS + 300, nonce: grant.nonce,
      ...(grant.user.email ? { email: grant.user.email } : {}), ...(grant.user.groups ? { groups: grant.user.groups } : {}),
    };
    if (fault === 'wrong-audience') claims.aud = 'someone-else';
    if (fault === 'expired') claims.exp = nowS - 3600;
    if (fault === 'wrong-nonce') claims.nonce = 'not-the-nonce';
    const signingKey = fault === 'bad-signature' ? makeTestKey(alg, key.kid) : key;
    fault = undefined;
    return signJwt(claims, signingKey);
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.token++;
    const form = await formBody(req);
    const client = clientOf(req, form);
    tokenAuth.push(client.how);
    if (tokenFailure) {
      const { status, error } = tokenFailure;
      tokenFailure = undefined;
      return json(res, status, { error, error_description: 'the fake provider was told to fail' });
    }
    const allowed = opts.tokenAuthMethods ?? ['client_secret_basic'];
    if (client.id !== opts.clientId || client.secret !== opts.clientSecret || !allowed.includes(`client_secret_${client.how}`)) {
      return json(res, 401, { error: 'invalid_client' });
    }
    const grant = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri
      || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    json(res, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken(grant) });
  }

  function discovery(res: ServerResponse): void {
    requests.discovery++;
    json(res, 200, {
      issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: [alg],
      code_challenge_methods_supported: ['S256'],
      ...(opts.tokenAuthMethods ? { token_endpoint_auth_methods_supported: opts.tokenAuthMethods } : {}),
      ...(opts.endSession === false ? {} : { end_session_endpoint: `${issuer}/end_session` }),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    switch (url.pathname) {
      case '/.well-known/openid-configuration': return discovery(res);
      case '/authorize': return authorize(url, res);
      case '/token': return void token(req, res).catch(() => json(res, 500, { error: 'server_error' }));
      case '/jwks':
        requests.jwks++;
        return json(res, 200, { keys: [publicJwk(key)] });
      case '/end_session': {
        const back = url.searchParams.get('post_logout_redirect_uri') ?? '';
        endSessions.push(back);
        return back ? void res.writeHead(302, { location: back }).end() : json(res, 200, { ok: true });
      }
      default: return json(res, 404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer, requests, tokenAuth, endSessions,
    signInAs: (u) => void (user = u),
    holdAtLogin: (on) => void (holding = on),
    refuseNext: (error, description) => void (refusal = { error, description }),
    failNextToken: (status, error) => void (tokenFailure = { status, error }),
    spoilNextToken: (f) => void (fault = f),
    rotateKey: () => void (key = makeTestKey(alg, `key-${++keyCount}`)),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
