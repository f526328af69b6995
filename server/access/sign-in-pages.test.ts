/**
 * The pages the sign-in answers when something is off: a provider's error shown only for a
 * sign-in this browser started, a scope the provider refuses naming HUBBLE_DASHBOARD_OIDC_SCOPES,
 * and sign-out asked for by another site confirmed with a button first (logout CSRF).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionCookieName } from './session-cookie';
import { startOidcGuardedServer, type GuardedServer } from './testing/oidc-guarded-server';
import { TestBrowser } from './testing/test-browser';

const SESSION = sessionCookieName(false);
const ANA = { sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] };
const served = (req: IncomingMessage, res: ServerResponse) => res.end(`served ${req.url}`);

let dash: GuardedServer | undefined;
afterEach(async () => {
  await dash?.close();
  dash = undefined;
});

async function signedIn(): Promise<TestBrowser> {
  dash!.provider.signInAs(ANA);
  const browser = new TestBrowser();
  expect((await browser.visit(`${dash!.url}/flows`)).status).toBe(200);
  return browser;
}

describe('a provider error at the callback', () => {
  it('shows no text from the URL when no sign-in of this browser matches its state', async () => {
    dash = await startOidcGuardedServer(served);
    const lure = encodeURIComponent('Your account is locked. Call +1 555 0100 to unlock it');
    for (const query of [`error=access_denied&error_description=${lure}`, `error=access_denied&error_description=${lure}&state=${'s'.repeat(43)}`, `error=${lure}`]) {
      const res = await new TestBrowser().visit(`${dash.url}/auth/callback?${query}`);
      const html = await res.text();
      expect(html, query).not.toMatch(/locked|555/);
      expect(html).toMatch(/refused \((access_denied|an error)\), or it is unknown or expired/);
    }
  });

  it('names HUBBLE_DASHBOARD_OIDC_SCOPES when the provider refuses a scope, at the redirect or the token endpoint', async () => {
    dash = await startOidcGuardedServer(served);
    dash.provider.signInAs(ANA);
    dash.provider.refuseNext('invalid_scope', 'Invalid scopes: openid profile email groups');
    const refused = await new TestBrowser().visit(`${dash.url}/flows`);
    expect(refused.status).toBe(502);
    const html = await refused.text();
    expect(html).toMatch(/invalid_scope: Invalid scopes: openid profile email groups/);
    expect(html).toMatch(/set HUBBLE_DASHBOARD_OIDC_SCOPES to scopes it knows, e\.g\. &#34;openid profile email&#34;/);
    dash.provider.failNextToken(400, 'invalid_scope');
    const atToken = await new TestBrowser().visit(`${dash.url}/flows`);
    expect(atToken.status).toBe(502);
    expect(await atToken.text()).toMatch(/answered 400: invalid_scope.*HUBBLE_DASHBOARD_OIDC_SCOPES/);
  });
});

describe('/auth/logout', () => {
  const evil = 'https://evil.example.com';

  it.each([
    ['a cross-site GET', 'GET', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site GET (another subdomain)', 'GET', { 'sec-fetch-site': 'same-site' }],
    ['a GET referred by another site', 'GET', { referer: `${evil}/page` }],
    ['a GET with another Origin', 'GET', { origin: evil }],
    ['a POST from another site', 'POST', { origin: evil, 'sec-fetch-site': 'cross-site' }],
    ['a POST proving no origin', 'POST', { origin: 'null' }],
  ])('%s asks first, with a form and no script, and keeps the session', async (_, method, headers) => {
    dash = await startOidcGuardedServer(served);
    const browser = await signedIn();
    const res = await browser.fetch(`${dash.url}/auth/logout`, { method, headers });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1>Sign out\?<\/h1>/);
    expect(html).toContain('<form method="post" action="/auth/logout"><button type="submit">Sign out</button></form>');
    expect(html).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toMatch(new RegExp(`default-src 'none';.* form-action 'self' ${dash.provider.issuer};`));
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await browser.fetch(`${dash.url}/api/flows`)).status).toBe(200);
    expect(dash.provider.endSessions).toEqual([]);
  });

  it.each([
    ['the header\'s link (a same-origin GET)', 'GET', { 'sec-fetch-site': 'same-origin', referer: 'ORIGIN/flows' }],
    ['a typed or bookmarked URL', 'GET', { 'sec-fetch-site': 'none' }],
    ['curl (no header says where from)', 'GET', {}],
    ['the confirmation form (a same-origin POST)', 'POST', { origin: 'ORIGIN', 'sec-fetch-site': 'same-origin' }],
    ['a same-origin POST from a no-referrer page', 'POST', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
  ])('%s signs out', async (_, method, headers) => {
    dash = await startOidcGuardedServer(served);
    const browser = await signedIn();
    const withOrigin = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('ORIGIN', dash!.url)]));
    const res = await browser.fetch(`${dash.url}/auth/logout`, { method, headers: withOrigin });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${dash.provider.issuer}/end_session\\?`));
    expect(browser.cookie(SESSION)).toBeUndefined();
  });

  it('answers 405 to other methods', async () => {
    dash = await startOidcGuardedServer(served);
    const browser = await signedIn();
    const res = await browser.fetch(`${dash.url}/auth/logout`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(browser.cookie(SESSION)).toBeDefined();
  });
});
