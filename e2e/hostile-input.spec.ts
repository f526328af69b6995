/**
 * Flows full of attacker-controlled text (e2e/fixtures/hostile-flows.jsonl), replayed by the demo
 * cluster into a dashboard of their own, must render as inert text on every page and leave CSV
 * exports without live spreadsheet formulas.
 */
import { expect, test, type Page } from '@playwright/test';
import { runDashboard, startOwnDashboard, type OwnDashboard } from './support/own-dashboard';

const RELAY_PORT = 4391;
const WEB_PORT = 3191;
const BASE = `http://127.0.0.1:${WEB_PORT}`;
let dashboard: OwnDashboard | undefined;
let relay: ReturnType<typeof runDashboard> | undefined;

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  relay = runDashboard(['demo', '--listen', `127.0.0.1:${RELAY_PORT}`, '--replay', 'e2e/fixtures/hostile-flows.jsonl', '--speed', '4']);
  dashboard = await startOwnDashboard(WEB_PORT, { HUBBLE_RELAY_ADDR: `127.0.0.1:${RELAY_PORT}` });
  // Every fixture flow stored: 13 a loop.
  await expect.poll(async () => {
    const res = await request.get(`${BASE}/api/flows?q=${encodeURIComponent('--verdict DROPPED --verdict FORWARDED')}&since=1h&limit=100`).catch(() => undefined);
    return res?.ok() ? ((await res.json()) as { flows: unknown[] }).flows.length : 0;
  }, { timeout: 200_000, intervals: [2_000] }).toBeGreaterThanOrEqual(13);
});

test.afterAll(() => {
  dashboard?.stop();
  relay?.kill('SIGTERM');
});

/** Fails on any script the fixture managed to run: a dialog, the marker global, or a CSP report. */
function watch(page: Page): () => Promise<void> {
  const problems: string[] = [];
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return async () => {
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
  };
}

test('hostile text renders inert on the flows page, in the drawer, the map and the drop pages', async ({ page }) => {
  const check = watch(page);
  const q = encodeURIComponent('--namespace hostile');
  await page.goto(`${BASE}/flows?q=${q}&since=1h`);
  const rows = page.getByRole('table', { name: 'Flows' }).getByRole('row');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
  await expect(page.getByText('<script>window.__xss=1</script>').first()).toBeVisible();
  // Open every row's details: the drawer shows every field and the original JSON.
  const body = page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
  const n = Math.min(await body.count(), 13);
  for (let i = 0; i < n; i++) {
    await body.nth(i).click();
    await expect(page.getByRole('complementary', { name: 'Flow details' })).toBeVisible();
    await page.keyboard.press('Escape');
  }
  for (const path of ['/', `/map?since=1h`, `/drops?since=1h`]) {
    await page.goto(`${BASE}${path}`);
    await page.waitForLoadState('networkidle');
  }
  // The fixture's policy drops form groups; open each one's page (suggested policy included).
  const groups = page.getByRole('table', { name: 'Drop groups' }).getByRole('link', { name: /^Open drop group/ });
  await expect.poll(() => groups.count(), { timeout: 30_000 }).toBeGreaterThan(1);
  const hrefs = await groups.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
  for (const href of hrefs) {
    await page.goto(`${BASE}${href}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  await check();
});

test('CSV exports neutralize spreadsheet formulas', async ({ request }) => {
  const res = await request.get(`${BASE}/api/flows?q=${encodeURIComponent('--namespace hostile')}&since=1h&format=csv`);
  expect(res.ok()).toBe(true);
  const text = await res.text();
  expect(text).toContain('HYPERLINK');
  // No cell starts with a formula character (RFC 4180 fields, quotes and line ends inside them included).
  const cells = parseCsv(text).slice(1).flat();
  expect(cells.length).toBeGreaterThan(13);
  expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
});

/** RFC 4180 records, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
