import { expect, test, type Locator, type Page } from '@playwright/test';

function flowRows(page: Page): Locator {
  // The second row group is the body: the first holds the column headers.
  return page.getByRole('table', { name: 'Flows' }).getByRole('rowgroup').nth(1).getByRole('row');
}

async function rowTexts(rows: Locator): Promise<string[][]> {
  const out: string[][] = [];
  for (const row of await rows.all()) out.push(await row.getByRole('cell').allTextContents());
  return out;
}

/** Waits for rows, pinning a newer window end with Refresh while the demo has not produced any yet. */
async function waitForRows(page: Page): Promise<Locator> {
  const rows = flowRows(page);
  await expect.poll(async () => {
    const n = await rows.count();
    if (n === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    return n;
  }, { timeout: 45_000, intervals: [2_000] }).toBeGreaterThan(0);
  return rows;
}

const qOf = (page: Page) => new URL(page.url()).searchParams.get('q');

/** A `datetime-local` value for the wall time `YYYY-MM-DDTHH:MM:SS`: Chromium leaves out zero seconds. */
function localValue(time: string): RegExp {
  const seconds = time.slice(16, 19);
  return new RegExp(`^${time.slice(0, 16)}${seconds === ':00' ? '(:00)?' : seconds}$`);
}

test('the namespace picker and the verdict toggle edit the flags, the URL and the rows', async ({ page }) => {
  await page.goto('/flows');
  const filters = page.getByRole('search', { name: 'Flow filters' });
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });

  await filters.getByRole('combobox', { name: 'Time range' }).selectOption({ label: 'Last 24 hours' });
  await expect(page).toHaveURL((url) => url.searchParams.get('since') === '24h');

  const picker = filters.getByRole('button', { name: /^Namespaces: / });
  await expect(picker).toHaveText('Namespaces: All namespaces');
  const namespaces = filters.getByRole('group', { name: 'Namespaces' });
  // The demo's namespaces appear as the collector stores its first flows; reopening asks again.
  await expect.poll(async () => {
    if (!(await namespaces.isVisible())) await picker.click();
    const found = await namespaces.getByRole('checkbox', { name: 'shop', exact: true }).count();
    if (found === 0) await picker.click();
    return found;
  }, { timeout: 45_000, intervals: [1_000] }).toBe(1);
  await namespaces.getByRole('checkbox', { name: 'shop', exact: true }).check();
  await expect(flags).toHaveValue('--namespace shop');
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === '--namespace shop');
  await expect(namespaces.getByRole('checkbox', { name: 'All namespaces' })).not.toBeChecked();
  await page.keyboard.press('Escape');
  await expect(namespaces).toBeHidden();
  await expect(picker).toHaveText('Namespaces: shop');

  const verdicts = filters.getByRole('group', { name: 'Verdict' });
  await verdicts.getByRole('checkbox', { name: 'DROPPED' }).check();
  await expect(flags).toHaveValue('--namespace shop --verdict DROPPED');
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === '--namespace shop --verdict DROPPED');

  const rows = await waitForRows(page);
  for (const [, source, destination, , , verdict] of await rowTexts(rows)) {
    expect(verdict).toBe('DROPPED');
    expect(`${source} ${destination}`).toContain('shop/');
  }

  // The URL is the view: a reload shows the same text and the same controls.
  await page.reload();
  await expect(flags).toHaveValue('--namespace shop --verdict DROPPED');
  await expect(verdicts.getByRole('checkbox', { name: 'DROPPED' })).toBeChecked();
  await expect(verdicts.getByRole('checkbox', { name: 'FORWARDED' })).not.toBeChecked();
  await expect(picker).toHaveText('Namespaces: shop');

  // Typing drives the controls; what they cannot show leaves them disabled, saying why.
  await flags.fill('--namespace shop --not --verdict FORWARDED --protocol udp');
  await expect(verdicts.getByRole('checkbox', { name: 'DROPPED' })).toBeDisabled();
  await expect(verdicts).toHaveAccessibleDescription(/--not --verdict FORWARDED excludes rather than selects/);
  await expect(filters.getByRole('group', { name: 'Protocol' }).getByRole('checkbox', { name: 'UDP' })).toBeChecked();
  await flags.fill('--from-namespace shop');
  await expect(picker).toBeDisabled();
  await expect(picker).toHaveAccessibleDescription(/--from-namespace is not something the picker can show/);

  await verdicts.getByRole('checkbox', { name: 'DROPPED' }).check();
  await expect(flags).toHaveValue('--from-namespace shop --verdict DROPPED');
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === '--from-namespace shop --verdict DROPPED');
  await verdicts.getByRole('checkbox', { name: 'DROPPED' }).uncheck();
  await expect(flags).toHaveValue('--from-namespace shop');
});

test('autocomplete offers flags and values seen in the demo data', async ({ page }) => {
  await page.goto('/flows?since=24h');
  const filters = page.getByRole('search', { name: 'Flow filters' });
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });
  await waitForRows(page);

  await flags.click();
  await flags.pressSequentially('--names');
  const flagOptions = filters.getByRole('listbox', { name: 'Flags' });
  await expect(flagOptions.getByRole('option').first()).toHaveText('--namespace');
  await flags.press('Tab');
  await expect(flags).toHaveValue('--namespace ');
  await expect(flags).toBeFocused();

  await flags.pressSequentially('sh');
  const values = filters.getByRole('listbox', { name: 'Values for --namespace' });
  await expect(values.getByRole('option', { name: 'shop', exact: true })).toBeVisible();
  await flags.press('ArrowDown');
  const active = await flags.getAttribute('aria-activedescendant');
  expect(active).toBeTruthy();
  await expect(page.locator(`[id="${active}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator(`[id="${active}"]`)).toHaveText('shop');
  await flags.press('Enter');
  await expect(flags).toHaveValue('--namespace shop ');
  await expect(values).toBeHidden();
  // Enter took the value and did not apply the filters.
  expect(qOf(page)).toBeNull();

  await flags.pressSequentially('--verdict D');
  const verdicts = filters.getByRole('listbox', { name: 'Values for --verdict' });
  await verdicts.getByRole('option', { name: 'DROPPED' }).click();
  await expect(flags).toHaveValue('--namespace shop --verdict DROPPED ');
  await flags.pressSequentially('--pod shop/');
  const pods = filters.getByRole('listbox', { name: 'Values for --pod' });
  await expect(pods.getByRole('option').first()).toHaveText(/^shop\/\S+$/);
  await flags.press('Escape');
  await expect(pods).toBeHidden();
  await flags.press('Enter');
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === '--namespace shop --verdict DROPPED --pod shop/');
});

test('an invalid flag shows its error inline before Apply, and Apply is refused', async ({ page }) => {
  await page.goto('/flows?since=15m');
  const filters = page.getByRole('search', { name: 'Flow filters' });
  const flags = filters.getByRole('textbox', { name: 'hubble observe flags' });
  const urlBefore = page.url();

  await flags.fill('--namespace shop --verdcit DROPPED');
  await expect(filters.getByRole('alert')).toHaveText('unknown flag: --verdcit');
  await expect(flags).toHaveAttribute('aria-invalid', 'true');
  await expect(filters.getByRole('group', { name: 'Verdict' }).getByRole('checkbox', { name: 'DROPPED' })).toBeDisabled();
  await flags.press('Enter');
  await expect(filters.getByRole('alert')).toHaveText('unknown flag: --verdcit');
  expect(page.url()).toBe(urlBefore);

  await flags.fill('--namespace shop --verdict dropped');
  await expect(filters.getByRole('alert')).toHaveText('invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped');
  await flags.fill('--namespace shop --verdict DROPPED');
  await expect(filters.getByRole('alert')).toBeHidden();
  await expect(flags).not.toHaveAttribute('aria-invalid', 'true');

  await filters.getByRole('textbox', { name: 'Since' }).fill('yesterday');
  await expect(filters.getByRole('alert')).toContainText('since: failed to convert yesterday to time');
  // The range is at fault, not the flags.
  await expect(flags).not.toHaveAttribute('aria-invalid', 'true');
  await filters.getByRole('button', { name: 'Apply' }).click();
  expect(page.url()).toBe(urlBefore);

  // Flags the parser takes but the store cannot match are refused by the API, and marked as at fault.
  await filters.getByRole('textbox', { name: 'Since' }).fill('15m');
  await flags.fill('--http-method PÖST');
  await expect(filters.getByRole('alert')).toBeHidden();
  await flags.press('Enter');
  await expect(filters.getByRole('alert')).toContainText('http_method');
  await expect(flags).toHaveAttribute('aria-invalid', 'true');
  expect(page.url()).toBe(urlBefore);
});

test.describe('in Berlin', () => {
  test.use({ timezoneId: 'Europe/Berlin' });

  test('an absolute time range shows its time zone and survives a reload', async ({ page }) => {
    await page.goto('/flows?since=1h');
    const filters = page.getByRole('search', { name: 'Flow filters' });
    await waitForRows(page);

    await filters.getByRole('combobox', { name: 'Time range' }).selectOption({ label: 'Absolute range' });
    const from = filters.getByLabel('From', { exact: true });
    const to = filters.getByLabel('To', { exact: true });
    await expect(from).toBeVisible();
    await expect(filters.getByRole('textbox', { name: 'Since' })).toBeHidden();
    const toLocal = await to.inputValue();

    // 15 January is winter time in Berlin: UTC+01:00, whatever today is.
    await from.fill('2026-01-15T10:00:00');
    await expect(filters.getByText('Europe/Berlin, UTC+01:00', { exact: true })).toBeVisible();
    await expect(from).toHaveAccessibleDescription('Europe/Berlin, UTC+01:00');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('since') === '2026-01-15T09:00:00Z' && url.searchParams.get('until') !== null);
    const until = new URL(page.url()).searchParams.get('until')!;
    expect(until).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    // The inputs show UTC when asked, which is what the URL holds.
    await filters.getByRole('checkbox', { name: 'UTC' }).check();
    await expect(from).toHaveValue(localValue('2026-01-15T09:00:00'));
    await expect(to).toHaveValue(localValue(until));
    await expect(from).toHaveAccessibleDescription('UTC');

    // The URL is the whole view: each load of it shows the same inputs, zone and rows.
    const rows = flowRows(page);
    let before: string[][] | undefined;
    for (let load = 0; load < 2; load++) {
      await page.reload();
      await expect(from).toHaveValue(localValue('2026-01-15T10:00:00'));
      await expect(to).toHaveValue(localValue(toLocal.length === 16 ? `${toLocal}:00` : toLocal));
      await expect(filters.getByText('Europe/Berlin, UTC+01:00', { exact: true })).toBeVisible();
      await expect(filters.getByRole('combobox', { name: 'Time range' })).toHaveValue('absolute');
      await expect(rows.first()).toBeVisible();
      const shown = (await rowTexts(rows)).slice(0, 10);
      if (before) expect(shown).toEqual(before);
      before = shown;
    }

    // A summer start is summer time, and the label follows it.
    await from.fill('2026-07-15T10:00:00');
    await expect(filters.getByText('Europe/Berlin, UTC+02:00', { exact: true })).toBeVisible();
  });
});
