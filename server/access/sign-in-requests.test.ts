/**
 * Which requests start a sign-in in oidc mode, and how many login cookies a browser can be made
 * to carry: only top-level navigations go to sign in, the rest answer 401 without a cookie; Next's
 * static files pass without a session; at most MAX_PENDING_SIGN_INS login cookies exist, with a
 * capped return path, and the callback clears them all, so the Cookie header cannot outgrow a
 * proxy's limit and lock the user out.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_SIGN_INS } from './login-cookies';
import { sessionCookieName } from './session-cookie';
import { startOidcGuardedServer, type GuardedServer } from './testing/oidc-guarded-server';
import { NAVIGATION_HEADERS, TestBrowser } from './testing/test-browser';

const ANA = { sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] };
const served = (req: IncomingMessage, res: ServerResponse) => res.end(`served ${req.url}`);
const loginCookies = (b: TestBrowser) => b.cookieNames().filter((n) => n.startsWith('hubble-dashboard-login-'));

let dash: GuardedServer | undefined;
afterEach(async () => {
  await dash?.close();
  dash = undefined;
});

interface RawAnswer { status: number; location?: string; setCookie: string[]; body: string }

/**
 * A GET with exactly these headers and the path exactly as written: fetch adds Sec-Fetch-Mode
 * itself and resolves dot segments first.
 */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    httpRequest(`${url}${path}`, { path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, setCookie: res.headers['set-cookie'] ?? [], body });
      });
    }).on('error', reject).end();
  });
}

describe('requests without a session', () => {
  it.each([
    ['an RSC fetch of a page', { rsc: '1', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', accept: '*/*' }],
    ['a router prefetch', { rsc: '1', 'next-router-prefetch': '1', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }],
    ['a script', { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script', accept: '*/*' }],
    ['an image', { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', accept: 'image/avif,image/webp,*/*' }],
    ['a browser prefetch of a page', { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch' }],
    ['curl', { accept: '*/*' }],
  ])('%s answers 401 and leaves no login cookie', async (_, headers) => {
    dash = await startOidcGuardedServer(served);
    const res = await rawGet(dash.url, '/flows?since=1h', headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/Not signed in/);
    expect(res.setCookie).toEqual([]);
  });

  it.each([
    ['a browser navigation', NAVIGATION_HEADERS],
    ['Sec-Fetch-Dest document alone', { 'sec-fetch-dest': 'document' }],
    ['a client without Sec-Fetch headers that accepts HTML', { accept: 'text/html' }],
  ])('%s goes to sign in, returning to the page', async (_, headers) => {
    dash = await startOidcGuardedServer(served);
    const res = await rawGet(dash.url, '/flows?since=1h', headers);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/auth/login?return=${encodeURIComponent('/flows?since=1h')}`);
  });

  it('serves Next\'s static files and the icon, and nothing else under /_next', async () => {
    dash = await startOidcGuardedServer(served);
    const browser = new TestBrowser();
    for (const path of ['/_next/static/chunks/app/page-3f2a.js', '/_next/static/css/app.css', '/favicon.ico']) {
      const res = await browser.fetch(`${dash.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(`served ${path}`);
    }
    for (const path of ['/_next/data/build/flows.json', '/_next/image?url=%2Fx.png&w=64&q=75', '/_next/static', '/favicon.ico.js']) {
      expect((await browser.fetch(`${dash.url}${path}`)).status, path).toBe(401);
    }
    for (const path of ['/_next/static/../../api/flows', '/_next/static/%2e%2e/%2e%2e/api/flows', '/_next/static/..%2f..%2fapi/flows', '/_next/static/x/..\\..\\api']) {
      expect((await rawGet(dash.url, path)).status, path).toBe(401);
    }
    expect((await browser.fetch(`${dash.url}/_next/static/chunks/x.js`, { method: 'POST' })).status).toBe(401);
  });
});

describe('login cookies', () => {
  it(`stay at most ${MAX_PENDING_SIGN_INS} however many sign-ins are started from long URLs, and the newest still completes`, async () => {
    dash = await startOidcGuardedServer(served);
    dash.provider.signInAs(ANA);
    const browser = new TestBrowser();
    const longPage = `/flows?q=${'--pod%20shop%2Fcheckout-'.repeat(80)}`;
    let toProvider = '';
    for (let i = 0; i < 12; i++) {
      const res = await browser.fetch(`${dash.url}/auth/login?return=${encodeURIComponent(longPage)}`);
      expect(res.status).toBe(302);
      toProvider = res.headers.get('location')!;
      expect(loginCookies(browser).length).toBeLessThanOrEqual(MAX_PENDING_SIGN_INS);
    }
    const cookieBytes = browser.cookieHeader(`${dash.url}/auth/callback`).length;
    // Far below the 8 KB ingress-nginx allows per header, with room for a session cookie (≤ 4 KB).
    expect(cookieBytes).toBeLessThan(3_500);
    const landed = await browser.visit(toProvider);
    expect(landed.status).toBe(200);
    // The query was too long to keep: back on the page without it.
    expect(await landed.text()).toBe('served /flows');
    expect(loginCookies(browser)).toEqual([]);
    expect(browser.cookie(sessionCookieName(false))).toBeDefined();
  });

  it('are all cleared by the callback, whichever sign-in it finishes', async () => {
    dash = await startOidcGuardedServer(served);
    dash.provider.signInAs(ANA);
    const browser = new TestBrowser();
    const first = (await browser.fetch(`${dash.url}/auth/login?return=%2Fmap`)).headers.get('location')!;
    await browser.fetch(`${dash.url}/auth/login?return=%2Fdrops`);
    expect(loginCookies(browser).length).toBe(2);
    const landed = await browser.visit(first);
    expect(await landed.text()).toBe('served /map');
    expect(loginCookies(browser)).toEqual([]);
  });

  it('refuse a forged or expired login cookie, and clear it', async () => {
    dash = await startOidcGuardedServer(served);
    const browser = new TestBrowser();
    browser.setCookie('hubble-dashboard-login-AAAAAAAAAAAAAAAA', 'forged.value');
    const res = await browser.fetch(`${dash.url}/auth/callback?code=x&state=${'A'.repeat(43)}`);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^hubble-dashboard-login-AAAAAAAAAAAAAAAA=; Path=\/auth; Max-Age=0/)]);
    expect(dash.provider.requests.token).toBe(0);
  });
});
