import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { FlowsPage } from '../lib/api/flows-query';
import type { InvestigationCreated } from '../lib/api/investigations';
import { FLOWS_CSV_COLUMNS } from '../lib/export/flows-csv';
import type { FlowsResponse } from '../lib/flow/flow';
import type { StatusResponse } from '../lib/ingest/ingest-status';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const FILTER = '--namespace shop';
/** Flows from other nodes may still arrive for a moment after the newest stored one: freeze a window that ended before. */
const SETTLE_MS = 5_000;
const WINDOW_MS = 20_000;

const uuidOf = (r: FlowsResponse) => r.flow!.uuid!;

function bodyRows(page: Page): Locator {
  // The second row group is the body: the first holds the column headers.
  return page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
}

async function status(request: APIRequestContext): Promise<StatusResponse> {
  const res = await request.get('/api/status');
  expect(res.ok()).toBe(true);
  return (await res.json()) as StatusResponse;
}

/** Every page of a flows API URL (newest first), following nextCursor. */
async function allPages(request: APIRequestContext, url: (cursor?: string) => string): Promise<FlowsResponse[]> {
  const flows: FlowsResponse[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await request.get(url(cursor));
    expect(res.ok(), await res.text()).toBe(true);
    const body = (await res.json()) as FlowsPage;
    flows.push(...body.flows);
    if (!body.nextCursor) return flows;
    cursor = body.nextCursor;
  }
  throw new Error('paging does not end');
}

/** The time cells' full RFC 3339 times (their titles) of the rendered rows. */
async function rowTimes(rows: Locator): Promise<string[]> {
  const out: string[] = [];
  for (const row of await rows.all()) out.push((await row.getByRole('cell').first().getAttribute('title')) ?? '');
  return out;
}

test('a share link opened in a fresh browser, after newer flows arrived, shows exactly the frozen rows; exports; delete', async ({ page, browser }) => {
  await page.goto(`/flows?q=${encodeURIComponent(FILTER)}&since=5m`);
  await expect.poll(async () => {
    const n = await bodyRows(page).count();
    if (n === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    return n;
  }, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(0);

  // Wait until the collector has stored enough history for the whole window.
  let newest = 0;
  await expect.poll(async () => {
    newest = Date.parse((await status(page.request)).newestStoredFlowTime ?? '') || 0;
    return newest;
  }, { timeout: 45_000 }).toBeGreaterThan(Date.now() - 60_000);
  const until = new Date(newest - SETTLE_MS).toISOString();
  const since = new Date(newest - SETTLE_MS - WINDOW_MS).toISOString();
  const flowsUrl = (cursor?: string) => `/api/flows?${new URLSearchParams({ q: FILTER, since, until, limit: '1000', ...(cursor ? { cursor } : {}) })}`;
  const expected = await allPages(page.request, flowsUrl);
  expect(expected.length).toBeGreaterThan(20);

  const title = `shop at ${until} (${test.info().workerIndex}-${Date.now()})`;
  const res = await page.request.post('/api/investigations', { data: { kind: 'flows', title, notes: 'frontend → api refused\nsee the policy change', q: FILTER, since, until } });
  expect(res.status(), await res.text()).toBe(201);
  const created = (await res.json()) as InvestigationCreated;
  expect(created.investigation).toMatchObject({ flowCount: expected.length, truncated: false, since, until, q: FILTER });
  const frozenUrl = (cursor?: string) => `/api/investigations/${created.investigation.id}/flows?limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
  expect((await allPages(page.request, frozenUrl)).map(uuidOf)).toEqual(expected.map(uuidOf));

  // The demo moves on: newer flows are stored after the frozen window and the creation.
  const createdAtMs = Date.now();
  await expect.poll(async () => Date.parse((await status(page.request)).newestStoredFlowTime ?? ''), { timeout: 30_000 })
    .toBeGreaterThan(createdAtMs + 2_000);
  const newer = await page.request.get(`/api/flows?${new URLSearchParams({ q: FILTER, since: until, limit: '5' })}`);
  expect(((await newer.json()) as FlowsPage).flows.length).toBeGreaterThan(0);

  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    const fresh = await context.newPage();
    await fresh.goto(created.url);
    await expect(fresh.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(fresh.getByRole('region', { name: 'Notes' })).toHaveText('frontend → api refused\nsee the policy change');
    const frozenWindow = fresh.getByRole('region', { name: 'Frozen window' });
    await expect(frozenWindow).toContainText(`${since} → ${until}`);
    await expect(frozenWindow.getByText(/^Local \(.+\)$/)).toBeVisible();
    await expect(fresh.getByRole('region', { name: 'Command' }).getByRole('code')).toHaveText(`hubble observe --namespace shop --since ${since} --until ${until}`);
    await expect(fresh.getByRole('note')).toContainText(`${expected.length.toLocaleString('en-US')} flows frozen`);

    // Exactly the frozen rows, newest first: the rows on screen are the newest frozen ones, none of
    // the flows stored since; paging down to the end reaches the oldest, and the table then holds
    // as many rows as were frozen.
    const table = fresh.getByRole('table', { name: 'Flows' });
    const rows = bodyRows(fresh);
    await expect(rows.first()).toBeVisible();
    const shown = await rowTimes(rows);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown).toEqual(expected.slice(0, shown.length).map((r) => r.flow!.time));
    await rows.first().click();
    await fresh.getByRole('button', { name: 'Close flow details' }).click();
    await rows.first().focus();
    await expect.poll(async () => {
      await fresh.keyboard.press('End');
      return table.getAttribute('aria-rowcount');
    }, { timeout: 30_000, intervals: [500] }).toBe(String(expected.length + 1));
    await fresh.keyboard.press('End');
    const last = table.locator('[role="row"][aria-selected="true"]');
    await expect(last.getByRole('cell').first()).toHaveAttribute('title', expected.at(-1)!.flow!.time!);

    const [jsonpb] = await Promise.all([fresh.waitForEvent('download'), fresh.getByRole('link', { name: 'Export jsonpb' }).click()]);
    expect(jsonpb.suggestedFilename()).toBe(`investigation-${created.investigation.id}.jsonpb`);
    const lines = (await readFile((await jsonpb.path())!, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as FlowsResponse);
    expect(lines.map(uuidOf)).toEqual([...expected].reverse().map(uuidOf));
    const [csv] = await Promise.all([fresh.waitForEvent('download'), fresh.getByRole('link', { name: 'Export CSV' }).click()]);
    const records = (await readFile((await csv.path())!, 'utf8')).split('\r\n').filter(Boolean);
    expect(records[0]).toBe(FLOWS_CSV_COLUMNS.join(','));
    expect(records).toHaveLength(expected.length + 1);

    await fresh.getByRole('button', { name: 'Delete', exact: true }).click();
    await fresh.getByRole('alertdialog', { name: `Delete ${title}` }).getByRole('button', { name: 'Yes, delete' }).click();
    await expect(fresh).toHaveURL(/\/investigations$/);
    await expect(fresh.getByRole('heading', { level: 1, name: 'Investigations' })).toBeVisible();
    await expect(fresh.getByRole('link', { name: title, exact: true })).toHaveCount(0);
    expect((await fresh.goto(created.url))?.status()).toBe(404);
  } finally {
    await context.close();
  }
});

test('Share freezes a filter from a dialog that states the count and the cap, and hands out a copyable permalink', async ({ page }) => {
  await page.goto('/investigations/new');
  const form = page.getByRole('region', { name: 'Freeze flows' });
  await form.getByRole('textbox', { name: 'hubble observe flags' }).fill('--verdict FORWARDED');
  await form.getByRole('textbox', { name: 'Since' }).fill('30s');
  await form.getByRole('button', { name: 'Share' }).click();

  const dialog = page.getByRole('dialog', { name: 'Share as an investigation' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status').first()).toHaveText(/^(More than 50,000 flows match|[\d,]+ flows? match).*50,000/);
  const title = `forwarded, last 30 s (${Date.now()})`;
  await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
  await dialog.getByRole('textbox', { name: 'Notes' }).fill('baseline before the rollout');
  await dialog.getByRole('button', { name: 'Create investigation' }).click();

  const permalink = dialog.getByRole('textbox', { name: 'Permalink' });
  await expect(permalink).toHaveValue(/\/i\/[A-Za-z0-9_-]{22}$/);
  const link = await permalink.inputValue();
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  await dialog.getByRole('link', { name: 'Open investigation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Command' }).getByRole('code')).toHaveText(/^hubble observe --verdict FORWARDED --since \S+Z --until \S+Z$/);
  await expect(bodyRows(page).first()).toBeVisible();

  await page.goto('/investigations');
  const list = page.getByRole('table', { name: 'Investigations' });
  await expect(list.getByRole('link', { name: title, exact: true })).toBeVisible();
  const row = list.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
  const [csv] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `Export ${title} as CSV` }).click()]);
  expect((await readFile((await csv.path())!, 'utf8')).split('\r\n')[0]).toBe(FLOWS_CSV_COLUMNS.join(','));
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(list.getByRole('link', { name: title, exact: true })).toHaveCount(0);
});

test('a map investigation draws the stored graph; a drop group one names its group and freezes its flows', async ({ page }) => {
  const until = new Date().toISOString();
  const since = new Date(Date.now() - 10 * 60_000).toISOString();
  const node = (namespace: string, name: string) => ({ id: `/${namespace}/${name}`, kind: 'workload', name, namespace, cluster: '', services: [], worldNames: [] });
  const counts = (key: string, flows: number) => [{ key, flows }];
  const map = {
    since, until, resolution: 'minute', truncated: false, timeline: [{ time: since, flows: 120, drops: 40 }],
    nodes: [node('shop', 'frontend'), node('shop', 'api'), node('shop', 'db')],
    edges: [
      { id: '/shop/frontend->/shop/api', source: '/shop/frontend', target: '/shop/api', flows: 80, flowsPerS: 0.13, verdicts: counts('DROPPED', 40), ports: counts('8080/TCP', 80), l7: [], dropReasons: counts('POLICY_DENIED', 40), policies: counts('shop/api-ingress', 40) },
      { id: '/shop/api->/shop/db', source: '/shop/api', target: '/shop/db', flows: 40, flowsPerS: 0.07, verdicts: counts('FORWARDED', 40), ports: counts('5432/TCP', 40), l7: [], dropReasons: [], policies: [] },
    ],
  };
  const title = `map snapshot (${Date.now()})`;
  const mapRes = await page.request.post('/api/investigations', {
    data: { kind: 'map', title, q: '--namespace shop', since, until, view: { namespaces: ['shop'], hide: ['host'], edge: map.edges[0].id }, map },
  });
  expect(mapRes.status(), await mapRes.text()).toBe(201);
  const mapped = (await mapRes.json()) as InvestigationCreated;
  await page.goto(mapped.url);
  const frozen = page.getByRole('region', { name: 'Frozen service map' });
  await expect(frozen).toContainText('3 nodes, 2 edges at minute resolution');
  await expect(frozen).toContainText('Hidden: host.');
  const edges = page.getByRole('table', { name: 'Service map edges' });
  await expect(edges.getByRole('row')).toHaveCount(3);
  await expect(edges.getByRole('button', { name: 'shop/frontend → shop/api' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Edge details' })).toBeVisible();
  await expect(frozen.getByRole('img', { name: 'Service map: 3 nodes, 2 edges, 1 with drops' })).toBeVisible();

  // Sent without its graph, a map investigation keeps the map the server draws for its window.
  const drawnRes = await page.request.post('/api/investigations', { data: { kind: 'map', title: `drawn ${title}`, since: '2m', view: { namespaces: ['shop'] } } });
  expect(drawnRes.status(), await drawnRes.text()).toBe(201);
  const drawn = (await drawnRes.json()) as InvestigationCreated;
  await page.goto(drawn.url);
  await expect(page.getByRole('region', { name: 'Frozen service map' }).getByRole('img', { name: /^Service map: \d+ nodes, [1-9]\d* edges/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Service map edges' }).getByRole('row').nth(1)).toBeVisible();

  const group = {
    source: { cluster: '', namespace: 'shop', entity: 'frontend' }, destination: { cluster: '', namespace: 'shop', entity: 'api' },
    destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
  };
  // A window that ended before the newest stored flow, so no late flow can still join it.
  const newest = Date.parse((await status(page.request)).newestStoredFlowTime ?? '');
  expect(newest).toBeGreaterThan(0);
  const groupWindow = { since: new Date(newest - SETTLE_MS - 10 * 60_000).toISOString(), until: new Date(newest - SETTLE_MS).toISOString() };
  const groupRes = await page.request.post('/api/investigations', { data: { kind: 'drop-group', title: `group ${title}`, ...groupWindow, view: { group } } });
  expect(groupRes.status(), await groupRes.text()).toBe(201);
  const grouped = (await groupRes.json()) as InvestigationCreated;
  expect(grouped.investigation.q).toContain('--verdict DROPPED');
  // The group's own filter froze exactly what the flows API selects with it.
  const live = await allPages(page.request, (cursor) => `/api/flows?${new URLSearchParams({ q: grouped.investigation.q, ...groupWindow, limit: '1000', ...(cursor ? { cursor } : {}) })}`);
  const frozenGroup = await allPages(page.request, (cursor) => `/api/investigations/${grouped.investigation.id}/flows?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
  expect(frozenGroup.map(uuidOf)).toEqual(live.map(uuidOf));
  for (const r of frozenGroup) expect(r.flow).toMatchObject({ verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED' });
  await page.goto(grouped.url);
  const key = page.getByRole('region', { name: 'Drop group' });
  await expect(key).toContainText('shop/frontend');
  await expect(key).toContainText('8080/TCP');
  await expect(key.getByRole('link', { name: 'Open this drop group on the Drops page' })).toHaveAttribute('href', /^\/drops\/group\?from=shop%2Ffrontend&to=shop%2Fapi/);
  await expect(page.getByRole('note')).toContainText(`${grouped.investigation.flowCount.toLocaleString('en-US')} flow`);

  for (const { investigation } of [mapped, drawn, grouped]) expect((await page.request.delete(`/api/investigations/${investigation.id}`)).status()).toBe(204);
});

test('Share is on the flows, map and drop group views, and freezes what each one shows', async ({ page }) => {
  const views: Array<[string, string]> = [
    ['/flows?q=--verdict+FORWARDED&since=1m', 'flows'],
    ['/map?since=15m', 'map'],
  ];
  for (const [path, kind] of views) {
    await page.goto(path);
    const share = page.getByRole('button', { name: 'Share' }).first();
    await expect(share, path).toBeVisible({ timeout: 30_000 });
    await share.click();
    const dialog = page.getByRole('dialog', { name: 'Share as an investigation' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill(`${kind} view (${Date.now()})`);
    await dialog.getByRole('button', { name: 'Create investigation' }).click();
    await expect(dialog.getByRole('textbox', { name: 'Permalink' }), path).toHaveValue(/\/i\/[A-Za-z0-9_-]{22}$/);
    const link = await dialog.getByRole('textbox', { name: 'Permalink' }).inputValue();
    const detail = await page.request.get(`/api/investigations/${link.split('/i/')[1]}`);
    expect(((await detail.json()) as { kind: string }).kind, path).toBe(kind);
  }
  // A drop group's page, reached from the inbox.
  await page.goto('/drops?since=15m');
  await page.getByRole('table', { name: 'Drop groups' }).getByRole('link', { name: /^Open drop group/ }).first().click();
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share as an investigation' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(`drop group (${Date.now()})`);
  await dialog.getByRole('button', { name: 'Create investigation' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Permalink' })).toHaveValue(/\/i\/[A-Za-z0-9_-]{22}$/);
});
