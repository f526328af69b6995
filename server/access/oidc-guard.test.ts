/**
 * The guard in oidc mode against a fake provider, driven hop by hop like a browser: the redirect
 * to the provider and back to the page asked for, 401 for the API, 403 naming a user without
 * namespaces, sign-out, and each way a sign-in can fail answering a clear page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_OUT_HEADER } from './account-header';
import { sessionCookieName } from './session-cookie';
import { startOidcGuardedServer, TEST_CLIENT, type GuardedServer } from './testing/oidc-guarded-server';
import { NAVIGATION_HEADERS, TestBrowser } from './testing/test-browser';
import { VIEWER_HEADER } from './viewer-header';

const SESSION = sessionCookieName(false);
const ANA = { sub: 'u-ana', email: 'ana@example.com', groups: ['team-a', 'everyone'] };
const EVE = { sub: 'u-eve', email: 'eve@example.com', groups: ['interns'] };

/** Echoes the path, the viewer and the sign-out path the guard passed on. */
const echo = (req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ url: req.url, viewer: JSON.parse(decodeURIComponent(String(req.headers[VIEWER_HEADER]))), signOut: req.headers[SIGN_OUT_HEADER] }));
};

let dash: GuardedServer | undefined;
afterEach(async () => {
  await dash?.close();
  dash = undefined;
});

async function signedIn(user = ANA, path = '/flows'): Promise<{ browser: TestBrowser; res: Response }> {
  dash!.provider.signInAs(user);
  const browser = new TestBrowser();
  return { browser, res: await browser.visit(`${dash!.url}${path}`) };
}

describe('the guard with HUBBLE_DASHBOARD_AUTH=oidc', () => {
  it('sends a page request to the provider and back to the page, signed in with the groups\' namespaces', async () => {
    dash = await startOidcGuardedServer(echo);
    const { browser, res } = await signedIn(ANA, '/flows?since=1h&q=--verdict%20DROPPED');
    const [first, login, toProvider, callback, back] = browser.hops;
    expect(first).toMatchObject({ status: 302, location: `/auth/login?return=${encodeURIComponent('/flows?since=1h&q=--verdict%20DROPPED')}` });
    expect(login.status).toBe(302);
    const authorize = new URL(login.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${dash.provider.issuer}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code', client_id: TEST_CLIENT.clientId, redirect_uri: `${dash.url}/auth/callback`,
      scope: 'openid profile email groups', code_challenge_method: 'S256',
    });
    expect(toProvider.status).toBe(302);
    expect(callback).toMatchObject({ status: 302, location: '/flows?since=1h&q=--verdict%20DROPPED' });
    expect(back.status).toBe(200);
    expect(await res.json()).toEqual({
      url: '/flows?since=1h&q=--verdict%20DROPPED',
      viewer: { user: 'ana@example.com', groups: ['team-a', 'everyone'], namespaces: ['shop'] },
      signOut: '/auth/logout',
    });
    expect(dash.provider.tokenAuth).toEqual(['basic']);
    // The session serves the API too, and the guard alone sets what pages read; the login cookie was single-use.
    const api = await browser.fetch(`${dash.url}/api/flows`, { headers: { [SIGN_OUT_HEADER]: 'https://evil.example.com/' } });
    expect((await api.json()).signOut).toBe('/auth/logout');
    expect(browser.cookieHeader(`${dash.url}/auth/callback`)).not.toMatch(/hubble-dashboard-login-/);
  });

  it('answers the API 401 without a session, and treats a forged or altered cookie as none', async () => {
    dash = await startOidcGuardedServer(echo);
    const anon = await fetch(`${dash.url}/api/flows`, { redirect: 'manual' });
    expect(anon.status).toBe(401);
    expect((await anon.json()).error).toMatch(/not signed in/);
    const { browser } = await signedIn();
    const real = browser.cookie(SESSION)!;
    const [payload, sig] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.data.groups = ['sre'];
    for (const forged of [`${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`, `${payload}.${sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, 'garbage']) {
      browser.setCookie(SESSION, forged);
      expect((await browser.fetch(`${dash.url}/api/flows`)).status, forged).toBe(401);
      const page = await browser.fetch(`${dash.url}/map`, { headers: NAVIGATION_HEADERS });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/auth/login?return=%2Fmap');
    }
  });

  it('answers 403 naming the user and groups when the groups grant no namespace, and still lets them sign out', async () => {
    dash = await startOidcGuardedServer(echo);
    const { browser, res } = await signedIn(EVE);
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toMatch(/eve@example\.com \(groups: interns\) may see no namespace/);
    expect(page).toContain('href="/auth/logout"');
    const api = await browser.fetch(`${dash.url}/api/service-map`);
    expect(api.status).toBe(403);
    expect((await api.json()).error).toMatch(/eve@example\.com \(groups: interns\)/);
  });

  it('signs out at the provider too, and the old session is gone', async () => {
    dash = await startOidcGuardedServer(echo);
    const { browser } = await signedIn();
    const out = await browser.visit(`${dash.url}/auth/logout`);
    expect(out.status).toBe(200);
    expect(await out.text()).toMatch(/You have signed out/);
    expect(dash.provider.endSessions).toEqual([`${dash.url}/auth/signed-out`]);
    expect(browser.cookie(SESSION)).toBeUndefined();
    expect((await browser.fetch(`${dash.url}/api/flows`)).status).toBe(401);
  });

  it('signs out locally when the provider has no end-session endpoint (Dex)', async () => {
    dash = await startOidcGuardedServer(echo, { endSession: false });
    const { browser } = await signedIn();
    const out = await browser.fetch(`${dash.url}/auth/logout`);
    expect(out.headers.get('location')).toBe('/auth/signed-out');
    expect(browser.cookie(SESSION)).toBeUndefined();
  });

  it('never returns to another origin after signing in', async () => {
    dash = await startOidcGuardedServer(echo);
    for (const target of ['//evil.example.com/x', 'https://evil.example.com/', '/\\evil.example.com']) {
      const { browser, res } = await signedIn(ANA, `/auth/login?return=${encodeURIComponent(target)}`);
      expect(browser.hops.at(-2)?.location, target).toBe('/');
      expect(res.status).toBe(200);
    }
  });

  it('uses client_secret_post when discovery does not offer basic, and verifies ES256 tokens', async () => {
    dash = await startOidcGuardedServer(echo, { alg: 'ES256', tokenAuthMethods: ['client_secret_post'] });
    const { res } = await signedIn();
    expect(res.status).toBe(200);
    expect(dash.provider.tokenAuth).toEqual(['post']);
  });
});

describe('sign-in failures', () => {
  const noStackTrace = (html: string) => expect(html).not.toMatch(/\n\s+at |Error:/);

  it('the provider refusing the user answers 403 saying so', async () => {
    dash = await startOidcGuardedServer(echo);
    dash.provider.refuseNext('access_denied', 'user is not assigned to this application');
    const { res } = await signedIn();
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toMatch(/access_denied: user is not assigned to this application/);
    noStackTrace(html);
  });

  it('a callback with an unknown state answers 400 and signs nobody in', async () => {
    dash = await startOidcGuardedServer(echo);
    const browser = new TestBrowser();
    const res = await browser.visit(`${dash.url}/auth/callback?code=stolen&state=${'x'.repeat(43)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/unknown or expired/);
    expect(browser.cookie(SESSION)).toBeUndefined();
    expect(dash.provider.requests.token).toBe(0);
  });

  it.each([
    ['a token endpoint failure', (d: GuardedServer) => d.provider.failNextToken(500, 'server_error'), /token endpoint .* answered 500: server_error/],
    ['a bad signature', (d: GuardedServer) => d.provider.spoilNextToken('bad-signature'), /signature does not verify/],
    ['another audience', (d: GuardedServer) => d.provider.spoilNextToken('wrong-audience'), /meant for &#34;someone-else&#34;/],
    ['an expired token', (d: GuardedServer) => d.provider.spoilNextToken('expired'), /expired at/],
    ['a nonce mismatch', (d: GuardedServer) => d.provider.spoilNextToken('wrong-nonce'), /nonce does not match/],
  ])('%s answers 502 naming the problem', async (_, spoil, message) => {
    dash = await startOidcGuardedServer(echo);
    spoil(dash);
    const { browser, res } = await signedIn();
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toMatch(message);
    noStackTrace(html);
    expect(browser.cookie(SESSION)).toBeUndefined();
  });

  it('a provider that cannot be reached answers 502, and discovery is read again afterwards', async () => {
    dash = await startOidcGuardedServer(echo);
    dash.provider.failNextToken(503, 'temporarily_unavailable');
    expect((await signedIn()).res.status).toBe(502);
    const discoveries = dash.provider.requests.discovery;
    expect((await signedIn()).res.status).toBe(200);
    expect(dash.provider.requests.discovery).toBe(discoveries + 1);
    // Once it works, discovery is cached.
    expect((await signedIn()).res.status).toBe(200);
    expect(dash.provider.requests.discovery).toBe(discoveries + 1);
  });
});
