import { expect, test, type Locator, type Page } from '@playwright/test';

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
