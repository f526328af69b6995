import { expect, test, type Locator, type Page } from '@playwright/test';
import type { StatusResponse } from '../lib/ingest/ingest-status';
import { startOwnDashboard, type OwnDashboard } from './support/own-dashboard';

const EDGE = 'shop/frontend → shop/api';
const DENYING_POLICY = 'shop/api-ingress';
/** --bad in app/globals.css. */
const RED = 'rgb(248, 81, 73)';
const RED_WITHIN_MS = 10_000;

// A dashboard of this spec's own, so the policy change starts while the map is open, wherever
// this spec falls in the suite.
const PORT = 3193;
let dashboard: OwnDashboard | undefined;
test.use({ baseURL: `http://127.0.0.1:${PORT}` });
test.beforeAll(async () => {
  test.setTimeout(180_000);
  dashboard = await startOwnDashboard(PORT, { HUBBLE_DEMO_RATE: '300', HUBBLE_DEMO_INCIDENTS: 'policy-change@+45s/10m' });
});
test.afterAll(() => dashboard?.stop());

/** When this spec's demo cluster plays the policy-change incident (its HUBBLE_DEMO_INCIDENTS). */
async function policyChange(page: Page): Promise<{ fromMs: number; toMs: number }> {
  const res = await page.request.get('/api/status');
  expect(res.ok()).toBe(true);
  const status = (await res.json()) as StatusResponse;
  const incident = status.demoIncidents?.find((i) => i.name === 'policy-change');
  expect(incident, 'this spec schedules policy-change with HUBBLE_DEMO_INCIDENTS').toBeDefined();
  return { fromMs: Date.parse(incident!.from), toMs: Date.parse(incident!.to) };
}

/** The edge's row in the table under the map, with every edge listed (the table starts with the first 30). */
async function edgeRow(page: Page, label: string): Promise<Locator> {
  const showAll = page.getByRole('button', { name: /^Show all [\d,]+ edges$/ });
  if (await showAll.isVisible()) await showAll.click();
  const button = page.getByRole('button', { name: label, exact: true });
  return page.getByRole('table', { name: 'Service map edges' }).getByRole('row').filter({ has: button });
}

const windowText = async (page: Page) => /Pinned window, (.*?) \(/.exec((await page.getByRole('status').filter({ hasText: 'Pinned window' }).textContent()) ?? '')?.[1];

test('the policy change turns frontend → api red on the live map within 10 s; the edge opens its dropped flows and the denying policy', async ({ page }) => {
  test.setTimeout(240_000);
  const incident = await policyChange(page);
  expect(Date.now(), 'the incident is still running').toBeLessThan(incident.toMs - 60_000);

  await page.goto('/map?live=1&namespace=shop');
  const map = page.getByRole('img', { name: /^Service map: \d+ nodes/ });
  await expect(map).toBeVisible();
  const line = map.locator(`line.map-edge[data-label="${EDGE}"]`);
  await expect(page.getByRole('table', { name: 'Service map edges' })).toBeVisible();
  const row = await edgeRow(page, EDGE);
  // frontend calls api all the time: the edge is there long before the incident.
  await expect(row).toBeVisible({ timeout: 30_000 });
  // A straight-across line has no height, which Playwright counts as hidden: its band takes the clicks.
  await expect(line).toHaveCount(1);
  await expect(map.locator(`polygon.map-edge-hit[data-label="${EDGE}"]`)).toBeVisible();

  expect(Date.now(), 'the map is open before the policy change starts').toBeLessThan(incident.fromMs - 2_000);
  await expect(line, 'no drops on frontend → api before the policy change').not.toHaveAttribute('data-tone', 'drop');
  await expect(row.getByRole('cell').nth(3)).toHaveText('0');
  await page.waitForTimeout(incident.fromMs - Date.now());
  // The live map polls on its own: no reload from here on.
  const deadline = incident.fromMs + RED_WITHIN_MS;
  await expect(line).toHaveAttribute('data-tone', 'drop', { timeout: Math.max(1, deadline - Date.now()) });
  expect(Date.now(), `red within ${RED_WITHIN_MS / 1000} s of the incident`).toBeLessThanOrEqual(deadline);
  await expect(line).toHaveCSS('stroke', RED);
  await expect(row.getByRole('cell').nth(3)).not.toHaveText('0');
  await expect(row.getByRole('cell').nth(5)).toContainText(DENYING_POLICY);

  // A click on the drawn edge opens its details: the drop breakdown, with links to its flows.
  await map.locator(`polygon.map-edge-hit[data-label="${EDGE}"]`).click();
  const panel = page.getByRole('complementary', { name: 'Edge details' });
  await expect(panel.getByRole('heading', { name: EDGE })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Drop reasons' })).toContainText('Policy denied');
  await expect(panel.getByRole('region', { name: 'Denying policies' })).toContainText(DENYING_POLICY);
  await expect(page).toHaveURL((url) => url.searchParams.get('edge')?.endsWith('/shop/api') === true);
  if (process.env.E2E_SCREENSHOTS) {
    // The README's picture: filters, timeline and map with the red edge open, from the top of the page.
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('button', { name: 'Fit to screen' }).click();
    await page.waitForTimeout(600);
    await page.screenshot({ path: 'docs/screenshots/map.png' });
  }

  // The URL holds the view: a reload opens the same edge.
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Edge details' }).getByRole('heading', { name: EDGE })).toBeVisible();

  await page.getByRole('complementary', { name: 'Edge details' }).getByRole('link', { name: 'Dropped flows' }).click();
  await expect(page).toHaveURL(/\/flows\?/);
  const flags = page.getByRole('search', { name: 'Flow filters' }).getByRole('textbox', { name: 'hubble observe flags' });
  for (const flag of ['--from-workload frontend', '--to-workload api', '--verdict DROPPED']) await expect(flags).toHaveValue(new RegExp(flag));
  const rows = page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
  await expect(rows.first()).toBeVisible();
  for (const cells of (await rows.all()).slice(0, 20)) {
    const [, source, destination, , , verdict, dropReason, policy] = await cells.getByRole('cell').allTextContents();
    expect(verdict).toBe('DROPPED');
    expect(source).toContain('shop/frontend');
    expect(destination).toContain('shop/api');
    expect(dropReason).toBe('Policy denied');
    expect(policy).toContain(`ingress denied by ${DENYING_POLICY}`);
  }
});

test('the map keeps its view in the URL: scope, noise toggles, a pinned window picked from the menu, the selected node', async ({ page }) => {
  await page.goto('/map');
  const filters = page.getByRole('search', { name: 'Map filters' });
  await expect(filters.getByRole('button', { name: 'Live' }), 'a bare /map is live').toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('img', { name: /^Service map: \d+ nodes/ })).toBeVisible();

  // Every app namespace resolves names through cluster DNS; the toggle takes those edges away.
  const dns = page.getByRole('img', { name: /^Service map/ }).locator('line.map-edge[data-label="shop/frontend → kube-system/coredns"]');
  await expect(dns).toHaveCount(1);
  await filters.getByRole('checkbox', { name: 'kube-dns' }).check();
  await expect(page).toHaveURL((url) => url.searchParams.getAll('hide').join() === 'kube-dns');
  await expect(dns).toHaveCount(0);

  await filters.getByRole('combobox', { name: 'Window' }).selectOption({ label: 'Last hour' });
  await expect(page).toHaveURL((url) => url.searchParams.get('since') === '1h' && url.searchParams.get('live') === null && url.searchParams.get('until') !== null);
  await expect(filters.getByRole('button', { name: 'Live' })).toHaveAttribute('aria-pressed', 'false');

  // A bad flag is refused with the CLI's message and changes nothing.
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });
  const before = page.url();
  await flags.fill('--verdict dropped');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(filters.getByRole('alert')).toContainText('invalid argument "dropped" for "--verdict" flag');
  expect(page.url()).toBe(before);

  await page.getByRole('search', { name: 'Find on the map' }).getByRole('combobox', { name: 'Find a workload' }).fill('checkout');
  await page.getByRole('search', { name: 'Find on the map' }).getByRole('button', { name: 'Find' }).click();
  const panel = page.getByRole('complementary', { name: 'Node details' });
  await expect(panel.getByRole('heading', { name: 'shop/checkout' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Pods' }).getByRole('listitem').first()).toContainText('checkout-');
  await expect(page).toHaveURL((url) => url.searchParams.get('node')?.endsWith('/shop/checkout') === true);

  // Opened elsewhere, the link shows the same window, toggles and node.
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await expect(other.getByRole('complementary', { name: 'Node details' }).getByRole('heading', { name: 'shop/checkout' })).toBeVisible();
  await expect(other.getByRole('search', { name: 'Map filters' }).getByRole('checkbox', { name: 'kube-dns' })).toBeChecked();
  await expect(other.getByRole('status').filter({ hasText: 'Pinned window' })).toBeVisible();
  expect(await windowText(other)).toBe(await windowText(page));
  expect(await windowText(page)).toMatch(/\d.*–.*\d/);
});
