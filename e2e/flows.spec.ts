import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FLOWS_CSV_COLUMNS } from '../lib/export/flows-csv';
import { dropReasonExplanation, dropReasonText } from '../lib/flow/drop-reasons';
import type { FlowsResponse } from '../lib/flow/flow';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const FILTER = '--namespace shop --verdict DROPPED';

function flowRows(page: Page): Locator {
  // The second row group is the body: the first holds the column headers.
  return page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
}

async function rowTexts(rows: Locator): Promise<string[][]> {
  const out: string[][] = [];
  for (const row of await rows.all()) out.push(await row.getByRole('cell').allTextContents());
  return out;
}

test('/flows filters with hubble observe flags, keeps the view in the URL, and shows flag errors inline', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
  await expect(page).toHaveURL(/\/flows$/);

  const filters = page.getByRole('search', { name: 'Flow filters' });
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });
  await flags.fill(FILTER);
  await filters.getByRole('textbox', { name: 'Since' }).fill('24h');
  await flags.press('Enter');
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === FILTER && url.searchParams.get('since') === '24h');

  const table = page.getByRole('table', { name: 'Flows' });
  const headers = await table.getByRole('columnheader').allTextContents();
  expect(headers).toEqual(['Time', 'Source', 'Destination', 'Port/Protocol', 'L7', 'Verdict', 'Drop reason', 'Policy', 'Node']);

  // The demo produces drops within seconds; each Refresh pins a newer end of the window.
  const rows = flowRows(page);
  await expect.poll(async () => {
    const n = await rows.count();
    if (n === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    return n;
  }, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(0);

  const before = await rowTexts(rows);
  for (const [, source, destination, , , verdict] of before) {
    expect(verdict).toBe('DROPPED');
    expect(`${source} ${destination}`).toContain('shop/');
  }

  const command = page.getByRole('region', { name: 'Command' }).getByRole('code');
  const commandText = (await command.textContent()) ?? '';
  expect(commandText).toMatch(/^hubble observe /);
  expect(commandText).toContain('--verdict DROPPED');
  expect(commandText).toContain('--namespace shop');
  await page.getByRole('button', { name: 'Copy as hubble observe command' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(commandText);

  const exportHref = await page.getByRole('link', { name: 'Export jsonpb' }).getAttribute('href');
  expect(new URL(exportHref ?? '', page.url()).searchParams.get('format')).toBe('jsonpb');

  // The URL pins the window's end, so a reload shows the very same rows and command.
  await page.reload();
  await expect(rows.first()).toBeVisible();
  const after = await rowTexts(rows);
  expect(after.slice(0, 10)).toEqual(before.slice(0, 10));
  await expect(command).toHaveText(commandText);
  await expect(flags).toHaveValue(FILTER);

  // A flag the CLI refuses: its message under the input, the previous rows and URL kept.
  const urlBefore = page.url();
  await flags.fill('--verdict dropped');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(filters.getByRole('alert')).toContainText('invalid argument "dropped" for "--verdict" flag');
  expect(page.url()).toBe(urlBefore);
  expect((await rowTexts(rows)).slice(0, 10)).toEqual(before.slice(0, 10));
});

/** Waits until the table shows rows, refreshing the pinned window while the demo has produced none yet. */
async function waitForRows(page: Page): Promise<Locator> {
  const rows = flowRows(page);
  await expect.poll(async () => {
    const n = await rows.count();
    if (n === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    return n;
  }, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(0);
  return rows;
}

test('a row opens the detail drawer: every field, the drop reason explained, the JSON as stored; the URL reopens it', async ({ page }) => {
  await page.goto(`/flows?q=${encodeURIComponent(FILTER)}&since=24h`);
  const rows = await waitForRows(page);
  await rows.first().click();

  const drawer = page.getByRole('complementary', { name: 'Flow details' });
  await expect(drawer).toBeVisible();
  const uuid = new URL(page.url()).searchParams.get('flow');
  expect(uuid).toBeTruthy();
  const json = (await drawer.getByRole('region', { name: 'Original JSON' }).locator('pre').textContent()) ?? '';
  const shown = JSON.parse(json) as FlowsResponse;
  expect(json).toBe(JSON.stringify(shown, null, 2));
  expect(shown.flow?.uuid).toBe(uuid);
  // Exactly the stored line: the API's export of this one flow holds the same JSON.
  const stored = await page.request.get(`/api/flows?q=${encodeURIComponent(`--uuid ${uuid}`)}&since=24h&format=jsonpb`);
  expect(JSON.parse((await stored.text()).trim())).toEqual(shown);

  const reason = shown.flow?.drop_reason_desc ?? shown.flow?.drop_reason;
  const drop = drawer.getByRole('region', { name: 'Drop reason' });
  await expect(drop.getByRole('heading')).toHaveText(`Drop reason: ${dropReasonText(reason)}`);
  await expect(drop).toContainText(dropReasonExplanation(reason));
  for (const group of ['Summary', 'Source', 'Destination', 'L3/L4', 'Node and trace']) {
    await expect(drawer.getByRole('heading', { name: group, exact: true })).toBeVisible();
  }
  await expect(drawer.getByRole('definition').filter({ hasText: uuid! }).first()).toBeVisible();

  await drawer.getByRole('button', { name: 'Copy JSON' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(json);

  // A link with flow= opens the drawer on that flow.
  await page.reload();
  await expect(drawer).toBeVisible();
  await expect(drawer.locator('pre')).toHaveText(json);

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect.poll(() => new URL(page.url()).searchParams.get('flow')).toBeNull();

  // Keyboard: the arrows move the selection, Enter opens the drawer on the selected flow.
  await rows.first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  const second = JSON.parse((await drawer.locator('pre').textContent()) ?? '') as FlowsResponse;
  expect(second.flow?.uuid).not.toBe(uuid);
  expect(new URL(page.url()).searchParams.get('flow')).toBe(second.flow?.uuid);
});

test('live tail: new flows appear on top, Pause holds the rows still and counts what waits, scrolled rows do not jump', async ({ page }) => {
  await page.goto('/flows?since=5m');
  const rows = await waitForRows(page);
  const live = page.getByRole('region', { name: 'Live tail' });
  await live.getByRole('button', { name: 'Live' }).click();
  await expect(live.getByRole('button', { name: 'Live' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBe('1');
  await expect(live.getByRole('status')).toHaveText('Streaming new flows.');
  const liveCount = async () => Number((await page.getByText(/ live\), newest first/).textContent())?.match(/\(([\d,]+) live\)/)?.[1].replace(/,/g, ''));
  await expect.poll(liveCount, { timeout: 20_000 }).toBeGreaterThan(0);

  // Scrolled away from the top, rows added above leave the rows on screen where they are.
  const scroller = page.locator('.flows-scroll');
  await scroller.evaluate((el) => { el.scrollTop = 28 * 40; });
  // Read in one go: a batch arriving between two reads would otherwise be counted on one side only.
  const snapshot = () => scroller.evaluate((el) => ({
    scrollTop: el.scrollTop,
    live: Number(/\(([\d,]+) live\)/.exec(document.body.textContent ?? '')?.[1].replace(/,/g, '')),
    top: (() => {
      const box = el.getBoundingClientRect();
      return document.elementFromPoint(box.left + 40, box.top + 32 + 14)?.closest('[role="row"]')?.textContent ?? '';
    })(),
  }));
  await expect.poll(async () => (await snapshot()).top).not.toBe('');
  const before = await snapshot();
  expect(before.live).toBeGreaterThan(0);
  await expect.poll(async () => (await snapshot()).live, { timeout: 20_000 }).toBeGreaterThan(before.live);
  const after = await snapshot();
  expect(after.top).toBe(before.top);
  expect(after.scrollTop - before.scrollTop).toBe((after.live - before.live) * 28);

  // Paused at the top: nothing moves, the waiting flows are counted, "show" puts them on top.
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await live.getByRole('button', { name: 'Pause' }).click();
  const still = await rowTexts(rows);
  const showNew = live.getByRole('button', { name: /new flows? — show$/ });
  await expect(showNew).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => Number((await showNew.textContent())?.replace(/[^\d]/g, '')), { timeout: 20_000 }).toBeGreaterThan(1);
  expect(await rowTexts(rows)).toEqual(still);
  await showNew.click();
  await expect(showNew).toBeHidden();
  await expect(live.getByRole('button', { name: 'Pause' })).toBeVisible();
  expect((await rowTexts(rows))[0]).not.toEqual(still[0]);

  await live.getByRole('button', { name: 'Live' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBeNull();
  await expect(live.getByRole('button', { name: 'Live' })).toHaveAttribute('aria-pressed', 'false');
});

test('Export CSV downloads the view as a CSV file with the header row', async ({ page }) => {
  await page.goto(`/flows?q=${encodeURIComponent(FILTER)}&since=24h`);
  await waitForRows(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^flows-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
  const text = await readFile((await download.path())!, 'utf8');
  const [header, first] = text.split('\r\n');
  expect(header).toBe(FLOWS_CSV_COLUMNS.join(','));
  expect(first.split(',')[6]).toBe('DROPPED');
});
