import { expect, test } from '@playwright/test';

const PAGES = ['/', '/flows', '/map', '/drops', '/investigations'];

test('every page is served with a nonce-based Content Security Policy and runs without violating it', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  for (const path of PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(policy, path).not.toMatch(/unsafe-eval/);
    // The nonce changes with every response.
    const again = await page.request.get(path);
    expect(again.headers()['content-security-policy'], path).not.toBe(policy);
    // Next's client runtime (which sets window.next) ran: its scripts carried the nonce.
    await expect.poll(() => page.evaluate(() => typeof (window as { next?: unknown }).next), { message: path }).toBe('object');
  }
  expect(violations).toEqual([]);
});
