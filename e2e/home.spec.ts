import { expect, test, type Page } from '@playwright/test';
import { parseDropGroupParams } from '../lib/api/drop-groups';
import type { DemoIncident, StatusResponse } from '../lib/ingest/ingest-status';

/** The demo incident this spec waits for; playwright.config.ts schedules it (HUBBLE_DEMO_INCIDENTS). */
const INCIDENT = 'policy-change';
/** A group stays "new" for 15 minutes after it first drops; leave time to look at it. */
const NEW_FOR_MS = 14 * 60_000;

async function policyChange(page: Page): Promise<DemoIncident> {
  const res = await page.request.get('/api/status');
  expect(res.ok()).toBe(true);
  const status = (await res.json()) as StatusResponse;
  const incident = status.demoIncidents?.find((i) => i.name === INCIDENT);
  expect(incident, `the e2e server must run with HUBBLE_DEMO_INCIDENTS=${INCIDENT}@+60s/10m (playwright.config.ts)`).toBeDefined();
  return incident!;
}

test('the triage page shows the relay connected, flows arriving, relay health and data completeness', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Triage' })).toBeVisible();

  const status = page.getByRole('region', { name: 'Relay status' });
  await expect(status.getByLabel('relay state')).toHaveText('connected');
  await expect(status).toContainText('built-in demo cluster');
  const received = status.getByRole('definition').first();
  const readCount = async () => Number((await received.textContent())?.replace(/,/g, ''));
  await expect.poll(readCount).toBeGreaterThan(0);
  const before = await readCount();
  // The page refreshes itself every 5 s.
  await expect.poll(readCount, { timeout: 15_000 }).toBeGreaterThan(before);
  await expect(status).toContainText('DROPPED');

  const health = page.getByRole('region', { name: 'Relay health' });
  await expect(health.getByRole('group', { name: /^Relay / }).first()).toContainText('answering');
  await expect(health.getByRole('definition').first()).not.toHaveText('—');
  const data = page.getByRole('region', { name: 'Data completeness' });
  await expect(data.getByText(/^Data complete (for|since) /)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText(/Data complete/);
  await expect(page.getByRole('img', { name: /Flows per minute over the last 24 hours/ })).toBeVisible();

  // Paused, the page stops refreshing; resumed, it goes on.
  const pause = page.getByRole('button', { name: 'Pause auto-refresh' });
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  // A refresh already on its way when the button was pressed may still land.
  await page.waitForTimeout(2_000);
  const frozen = await readCount();
  await page.waitForTimeout(6_000);
  expect(await readCount()).toBe(frozen);
  await pause.click();
  await expect.poll(readCount, { timeout: 15_000 }).toBeGreaterThan(frozen);
});

test('the demo policy change appears as a new frontend → api drop group that opens its page', async ({ page }) => {
  test.setTimeout(180_000);
  const incident = await policyChange(page);
  const fromMs = Date.parse(incident.from);
  expect(Date.now() - fromMs, 'this test must run within 14 minutes of the incident start to see it as new').toBeLessThan(NEW_FOR_MS);
  await page.goto('/');
  const waitMs = fromMs - Date.now();
  if (waitMs > 0) await page.waitForTimeout(waitMs);

  const fresh = page.getByRole('region', { name: 'New in the last 15 minutes' });
  const group = fresh.getByRole('link', { name: 'shop/frontend → shop/api', exact: true });
  await expect(group, 'frontend → api must not have dropped in the 24 h before: the e2e server needs a fresh data folder')
    .toBeVisible({ timeout: 45_000 });
  const item = fresh.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'shop/frontend → shop/api', exact: true }) });
  await expect(item).toContainText('8080/TCP');
  await expect(item).toContainText('Policy denied by shop/api-ingress');
  await expect(page.getByRole('region', { name: 'Summary' }).getByRole('link', { name: /new in the last 15 minutes/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Top dropped pairs' }).getByRole('link', { name: 'shop/frontend → shop/api', exact: true })).toBeVisible();
  const rates = page.getByRole('table', { name: 'Drop rate by namespace' });
  await expect(rates.getByRole('row').filter({ has: page.getByRole('link', { name: 'Drops of shop in the last hour' }) })).toBeVisible();

  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/triage.png', fullPage: true });

  const href = (await group.getAttribute('href')) ?? '';
  const params = new URL(href, 'http://x').searchParams;
  expect(parseDropGroupParams(params)).toMatchObject({
    source: { namespace: 'shop', entity: 'frontend' }, destination: { namespace: 'shop', entity: 'api' }, port: 8080, protocol: 'TCP',
    dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
  });
  await group.click();
  await expect(page).toHaveURL((url) => url.pathname === '/drops/group' && url.searchParams.get('from') === 'shop/frontend');
  await expect(page.getByRole('main')).toContainText('shop/api');
});
