import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    screenshot: 'only-on-failure',
  },
  // The same start command as the README and the container image, on its own port.
  webServer: {
    command: 'node bin/hubble-dashboard.mjs start',
    url: `http://127.0.0.1:${port}/api/status`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port), HOST: '127.0.0.1', HUBBLE_DEMO_RATE: '300', LOG_LEVEL: 'warn',
      // A fresh embedded database each run, so "new" drop groups are new to this run.
      HUBBLE_DASHBOARD_DATA_DIR: process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hubble-e2e-')),
      // The policy-change incident at a known moment (reported by /api/status as demoIncidents).
      HUBBLE_DEMO_INCIDENTS: 'policy-change@+60s/10m',
    },
  },
});
