import { expect, test } from '@playwright/test';

test('the home page shows the demo cluster connected and flows arriving', async ({ page }) => {
  await page.goto('/');
  const status = page.getByRole('region', { name: 'Relay status' });
  await expect(status.getByLabel('relay state')).toHaveText('connected');
  await expect(status).toContainText('built-in demo cluster');

  const received = status.getByRole('definition').first();
  const readCount = async () => Number((await received.textContent())?.replace(/,/g, ''));
  await expect.poll(readCount).toBeGreaterThan(0);
  const before = await readCount();
  await expect.poll(readCount, { timeout: 10_000 }).toBeGreaterThan(before);
  await expect(status).toContainText('DROPPED');
});
