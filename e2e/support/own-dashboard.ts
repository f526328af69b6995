/**
 * A dashboard of a spec's own, started with the same command as the image and the README, for
 * specs that need settings of their own (access control, a replayed capture, an incident timed
 * for them). The web build is the one the main e2e server has just made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnDashboard {
  baseURL: string;
  stop(): void;
}

/** Runs `hubble-dashboard <args>` with `env` on top of a fresh data folder, loopback and quiet logs. */
export function runDashboard(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['bin/hubble-dashboard.mjs', ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', HUBBLE_DASHBOARD_OBSERVER_ADDR: 'off',
      HUBBLE_DASHBOARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'hubble-e2e-own-')), ...env,
    },
  });
}

/** Starts `start` on `port`; resolves once /healthz answers (within `timeoutMs`). */
export async function startOwnDashboard(port: number, env: Record<string, string>, timeoutMs = 120_000): Promise<OwnDashboard> {
  const child = runDashboard(['start'], { PORT: String(port), ...env });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard on port ${port} exited with code ${child.exitCode}`);
    const ok = await fetch(`${baseURL}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the dashboard on port ${port} did not answer /healthz within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { baseURL, stop: () => child.kill('SIGTERM') };
}
