/**
 * OpenID Connect sign-in in a real browser: a dashboard of its own with HUBBLE_DASHBOARD_AUTH=oidc
 * and a fake provider started here. The browser follows the real redirects to the provider and
 * back, lands on the page it asked for, sees only flows with a side in team-a's namespace (shop),
 * and signs out. Abandoned sign-ins leave at most three login cookies, and a sign-out sent by
 * another site is confirmed with a button (a form POST under the page's CSP) first.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startFakeOidcProvider, type FakeOidcProvider } from '../server/access/testing/fake-oidc-provider';
import { startOwnDashboard, type OwnDashboard } from './support/own-dashboard';

const PORT = 3194;
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENT = { clientId: 'hubble-dashboard', clientSecret: 'e2e-client-secret' };
let provider: FakeOidcProvider | undefined;
let dashboard: OwnDashboard | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  provider = await startFakeOidcProvider({ ...CLIENT, redirectUri: `${BASE}/auth/callback` });
  dashboard = await startOwnDashboard(PORT, {
    HUBBLE_DEMO_RATE: '300', HUBBLE_DASHBOARD_AUTH: 'oidc', HUBBLE_DASHBOARD_ACCESS: 'sre=*;team-a=shop',
    HUBBLE_DASHBOARD_OIDC_ISSUER: provider.issuer, HUBBLE_DASHBOARD_OIDC_CLIENT_ID: CLIENT.clientId,
    HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: CLIENT.clientSecret, HUBBLE_DASHBOARD_PUBLIC_URL: BASE,
    HUBBLE_DASHBOARD_SESSION_SECRET: 'an-e2e-session-secret-of-forty-characters',
  });
});

test.afterAll(async () => {
  dashboard?.stop();
  await provider?.close();
});

function flowRows(page: Page): Locator {
  // The second row group is the body: the first holds the column headers.
  return page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
}

test('signs in through the provider, back on the page asked for, sees only team-a\'s flows, and signs out', async ({ page }) => {
  test.setTimeout(60_000);
  provider!.signInAs({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
  const asked = `${BASE}/flows?since=10m`;
  const visited: string[] = [];
  page.on('request', (r) => { if (r.isNavigationRequest()) visited.push(r.url()); });
  await page.goto(asked);
  await expect(page).toHaveURL(asked);
  expect(visited.some((u) => u.startsWith(`${provider!.issuer}/authorize?`)), visited.join('\n')).toBe(true);
  expect(visited.some((u) => u.startsWith(`${BASE}/auth/callback?`))).toBe(true);

  const banner = page.getByRole('banner');
  await expect(banner).toContainText('ana@example.com');

  // The demo produces flows within seconds; each Refresh pins a newer end of the window.
  const rows = flowRows(page);
  await expect.poll(async () => {
    const n = await rows.count();
    if (n === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    return n;
  }, { timeout: 30_000, intervals: [2_000] }).toBeGreaterThan(0);
  for (const row of await rows.all()) {
    const [, source, destination] = await row.getByRole('cell').allTextContents();
    expect(`${source} ${destination}`).toContain('shop/');
  }
  // The session cookie serves the API the page uses, scoped the same way.
  const api = await page.request.get(`${BASE}/api/flows?since=10m&limit=500`);
  expect(api.status()).toBe(200);
  const { flows } = (await api.json()) as { flows: { flow: { source?: { namespace?: string }; destination?: { namespace?: string } } }[] };
  expect(flows.length).toBeGreaterThan(0);
  expect(flows.filter((r) => r.flow.source?.namespace !== 'shop' && r.flow.destination?.namespace !== 'shop')).toEqual([]);

  await banner.getByRole('link', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  expect(provider!.endSessions).toEqual([`${BASE}/auth/signed-out`]);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('hubble-dashboard-session');
  expect((await page.request.get(`${BASE}/api/flows?since=10m`)).status()).toBe(401);
});

test('abandoned sign-ins leave at most three login cookies, and the next sign-in still works', async ({ page }) => {
  test.setTimeout(60_000);
  provider!.signInAs({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
  const long = `${BASE}/flows?since=10m&q=${encodeURIComponent('--pod shop/checkout-'.repeat(90))}`;
  // The user gives up at the provider's login page each time: the sign-in never comes back.
  provider!.holdAtLogin(true);
  try {
    for (let i = 0; i < 7; i++) {
      await page.goto(long);
      await expect(page.getByRole('heading', { name: 'Provider login' })).toBeVisible();
    }
  } finally {
    provider!.holdAtLogin(false);
  }
  const pending = (await page.context().cookies()).filter((c) => c.name.startsWith('hubble-dashboard-login-'));
  expect(pending.length).toBe(3);
  expect(pending.every((c) => c.path === '/auth')).toBe(true);
  await page.goto(long);
  // The query was too long to keep in a login cookie: back on the page without it, signed in.
  await expect(page).toHaveURL((url) => url.origin === BASE && url.pathname === '/flows' && !url.search.includes('checkout'));
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  expect((await page.context().cookies()).filter((c) => c.name.startsWith('hubble-dashboard-login-'))).toEqual([]);
});

test('a sign-out sent by another site asks first; its button signs out', async ({ page }) => {
  test.setTimeout(60_000);
  provider!.signInAs({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
  await page.goto(`${BASE}/flows?since=10m`);
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  const ends = provider!.endSessions.length;

  await page.goto(`${BASE}/auth/logout`, { referer: 'https://evil.example.com/' });
  await expect(page.getByRole('heading', { name: 'Sign out?' })).toBeVisible();
  expect((await page.request.get(`${BASE}/api/flows?since=10m`)).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  expect(provider!.endSessions.length).toBe(ends + 1);
  expect((await page.request.get(`${BASE}/api/flows?since=10m`)).status()).toBe(401);
});

test('a client-side navigation after the session is gone signs in again and lands on the page', async ({ page }) => {
  test.setTimeout(60_000);
  provider!.signInAs({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
  await page.goto(`${BASE}/flows?since=10m`);
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  const authorizes = provider!.requests.authorize;
  // As if the session expired mid-use: Next's RSC fetch for the link now gets 401, not a sign-in.
  await page.context().clearCookies({ name: 'hubble-dashboard-session' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
  await expect(page).toHaveURL((url) => url.origin === BASE && url.pathname === '/map');
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  expect(provider!.requests.authorize).toBe(authorizes + 1);
});

test('a page left open when the session ends says so, and its reload link signs in again', async ({ page }) => {
  test.setTimeout(60_000);
  provider!.signInAs({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
  await page.goto(`${BASE}/map`);
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  await page.context().clearCookies({ name: 'hubble-dashboard-session' });
  // The live map asks again every 2 s; its next answer is 401.
  const alert = page.getByRole('alert').filter({ hasText: 'You are no longer signed in' });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await alert.getByRole('link', { name: 'Reload to sign in again' }).click();
  await expect(page).toHaveURL((url) => url.origin === BASE && url.pathname === '/map');
  await expect(page.getByRole('banner')).toContainText('ana@example.com');
  await expect(alert).toHaveCount(0);
});
