import { expect, test, type Locator, type Page } from '@playwright/test';
import { parse } from 'yaml';
import type { DemoIncident, StatusResponse } from '../lib/ingest/ingest-status';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** The demo incident this spec measures; playwright.config.ts schedules it (HUBBLE_DEMO_INCIDENTS). */
const INCIDENT = 'policy-change';
/** What issue #6 asks: the new drop group shows on /drops within 10 s of the incident's start. */
const APPEAR_WITHIN_MS = 10_000;
/** The group as the inbox names it (server/demo/incidents.ts: frontend → api on TCP 8080). */
const GROUP_LINK = 'Open drop group shop/frontend → shop/api 8080/TCP';

async function policyChange(page: Page): Promise<DemoIncident> {
  const res = await page.request.get('/api/status');
  expect(res.ok()).toBe(true);
  const status = (await res.json()) as StatusResponse;
  const incident = status.demoIncidents?.find((i) => i.name === INCIDENT);
  expect(incident, `the e2e server must run with HUBBLE_DEMO_INCIDENTS=${INCIDENT}@+60s/10m (playwright.config.ts)`).toBeDefined();
  return incident!;
}

function groupRow(page: Page): Locator {
  return page.getByRole('table', { name: 'Drop groups' }).getByRole('row').filter({ has: page.getByRole('link', { name: GROUP_LINK }) });
}

test('the demo policy change shows on /drops as a new group within 10 s, and its page suggests the policy that allows it', async ({ page }) => {
  test.setTimeout(180_000);
  const incident = await policyChange(page);
  const fromMs = Date.parse(incident.from);
  expect(Date.now(), 'the incident started before this test, so the 10 s cannot be measured: run drops.spec.ts right after the server starts')
    .toBeLessThan(fromMs);

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drops' }).click();
  await expect(page).toHaveURL(/\/drops$/);
  // The demo's background drops (or none yet) show first; the policy change has not started.
  const loaded = page.getByRole('table', { name: 'Drop groups' }).or(page.getByText('No dropped flows in this window.'));
  await expect(loaded).toBeVisible({ timeout: 45_000 });
  expect(Date.now(), 'the inbox took until the incident to load').toBeLessThan(fromMs);
  await expect(groupRow(page)).toHaveCount(0);

  // The inbox refreshes itself; nothing is clicked while waiting.
  const row = groupRow(page);
  await expect(row).toBeVisible({ timeout: Math.max(1, fromMs + APPEAR_WITHIN_MS - Date.now()) });
  const appearedMs = Date.now() - fromMs;
  test.info().annotations.push({ type: 'appeared', description: `${appearedMs} ms after the incident started` });
  expect(appearedMs).toBeLessThanOrEqual(APPEAR_WITHIN_MS);
  await expect(row.getByText('new', { exact: true }), 'frontend → api must not have dropped in the 24 h before: the e2e server needs a fresh data folder')
    .toBeVisible();
  await expect(row).toContainText('Policy denied');
  await expect(row).toContainText('shop/api-ingress');
  await expect(row.getByRole('img', { name: /^Drops per / })).toBeVisible();

  await row.getByRole('link', { name: GROUP_LINK }).click();
  await expect(page).toHaveURL(/\/drops\/group\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('since')).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(url.searchParams.get('until')).toMatch(/^\d{4}-\d\d-\d\dT/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('shop/frontend → shop/api');
  await expect(page.getByRole('heading', { name: 'Why it was dropped: Policy denied' })).toBeVisible();

  const policies = page.getByRole('table', { name: 'Denying policies' });
  await expect(policies.getByRole('row').filter({ hasText: 'api-ingress' })).toContainText('CiliumNetworkPolicy');
  await expect(page.getByRole('table', { name: 'Sample flows' }).getByRole('row').nth(1)).toContainText('shop/api');
  const command = (await page.getByRole('region', { name: 'Command' }).getByRole('code').textContent()) ?? '';
  expect(command).toMatch(/^hubble observe .*--from-workload frontend --to-workload api/);
  const flowsLink = new URL((await page.getByRole('link', { name: 'Show these flows in Flows' }).getAttribute('href')) ?? '', 'http://x');
  expect(flowsLink.pathname).toBe('/flows');
  expect(flowsLink.searchParams.get('q')).toContain('--drop-reason-desc POLICY_DENIED');

  const shown = (await page.getByLabel('Suggested policy YAML').textContent()) ?? '';
  await page.getByRole('button', { name: 'Copy policy YAML' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  const policy = parse(copied);
  expect(policy).toMatchObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { namespace: 'shop' } });
  expect(policy.spec.endpointSelector).toEqual({ matchLabels: { app: 'api' } });
  expect(policy.spec.ingress).toEqual([{
    fromEndpoints: [{ matchLabels: { app: 'frontend' } }],
    toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
  }]);
  await expect(page.getByRole('list', { name: 'Policy warnings' })).toHaveCount(0);

  if (process.env.E2E_SCREENSHOTS) {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/drop-group.png' });
  }
});

test('/drops refuses a bad filter inline and keeps the groups shown', async ({ page }) => {
  await page.goto('/drops?since=1h');
  await expect(page.getByRole('table', { name: 'Drop groups' }).or(page.getByText('No dropped flows in this window.'))).toBeVisible({ timeout: 45_000 });
  const filters = page.getByRole('search', { name: 'Flow filters' });
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });
  await flags.fill('--namespace shop --to-port 8080');
  await flags.press('Enter');
  // A filter the rollups cannot answer is grouped from raw flows, and says so.
  await expect(page).toHaveURL((u) => u.searchParams.get('q') === '--namespace shop --to-port 8080');
  await expect(page.getByText(/Counted from the raw dropped flows/)).toBeVisible();
  // The demo's background drops include shop → 8080 (a Service without endpoints, stale pod addresses).
  const bodyRows = page.getByRole('table', { name: 'Drop groups' }).getByRole('rowgroup').nth(1).getByRole('row');
  await expect.poll(() => bodyRows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  for (const text of await bodyRows.allTextContents()) expect(text).toContain('8080/TCP');

  await page.getByRole('combobox', { name: 'Sort' }).selectOption('recency');
  await expect(page).toHaveURL((u) => u.searchParams.get('sort') === 'recency');

  const res = await page.request.get('/api/drops?q=--namespace+shop+--to-port+8080&since=24h');
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toMatch(/raw flows .* windows of up to 6 h/);
});
