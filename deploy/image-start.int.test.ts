/**
 * What the container runs, run here: the image's CMD from its WORKDIR (the repository root), with
 * the image's ENV and the compose demo profile's environment, on a PostgreSQL schema of its own,
 * free ports and a temporary data folder. It must become healthy and ready, expose its metrics,
 * and on SIGTERM write every flow it received and exit 0. The web build in .next is reused when
 * fresh (server/web-build.ts), else this builds it once, as `npm start` would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/project-root';
import { parseExposition } from '../server/ops/testing/parse-exposition';
import { withTestSchema, type PgTestDb } from '../server/store/test-db';
import { childEnv } from './testing/child-env';
import { readComposeFile, serviceEnv } from './testing/compose-file';
import { execForm, instruction, readDockerfile, stageEnv } from './testing/dockerfile';

const START_TIMEOUT_MS = 300_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface LogLine { level: number; component?: string; msg: string; [key: string]: unknown }

function logLines(stderr: string): LogLine[] {
  return stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

async function poll<T>(what: string, timeoutMs: number, child: ChildProcessWithoutNullStreams, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the dashboard exited (${child.exitCode}) while waiting for ${what}`);
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

describe('the image command, with the compose demo profile environment', () => {
  const runtime = readDockerfile().stages.at(-1)!;
  const argv = execForm(instruction(runtime, 'CMD')!.args);
  let schema: PgTestDb;
  let dataDir: string;
  let child: ChildProcessWithoutNullStreams;
  let base: string;
  let stderr = '';
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    schema = await withTestSchema('image_start');
    dataDir = mkdtempSync(join(tmpdir(), 'hubble-image-start-'));
    const [port, observerPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH ?? '',
      ...stageEnv(runtime),
      ...serviceEnv(readComposeFile().services['dashboard-demo']),
      // Only where this machine differs from the container: its database, ports and folder.
      DATABASE_URL: schema.url,
      PORT: String(port),
      HUBBLE_DASHBOARD_OBSERVER_ADDR: `0.0.0.0:${observerPort}`,
      HUBBLE_DASHBOARD_DATA_DIR: dataDir,
    };
    expect(env).toMatchObject({ HOST: '0.0.0.0', NODE_ENV: 'production' });
    expect(env).not.toHaveProperty('HUBBLE_RELAY_ADDR');
    child = spawn(argv[0], argv.slice(1), { cwd: projectRoot, env: childEnv(env) });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdout.resume();
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }, 30_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
    await schema?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz, then /readyz once the database, migrations and collector are up', async () => {
    await poll('/healthz', START_TIMEOUT_MS, child, async () => ((await fetch(`${base}/healthz`)).status === 200 ? true : undefined));
    const ready = await poll('/readyz', 60_000, child, async () => {
      const res = await fetch(`${base}/readyz`);
      return res.status === 200 ? res.json() : undefined;
    });
    expect(ready).toEqual({
      status: 'ready', checks: { database: 'ok', migrations: 'ok', collector: 'ok' },
      relays: [{ cluster: 'demo', relay: 'demo', state: expect.stringMatching(/^(connecting|connected)$/) }],
    });
    expect((await fetch(`${base}/healthz`)).headers.get('cache-control')).toBe('no-store');
  }, START_TIMEOUT_MS + 70_000);

  it('exposes its metrics in the Prometheus format once flows are stored', async () => {
    const families = await poll('stored flows in /metrics', 60_000, child, async () => {
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const parsed = parseExposition(await res.text());
      const stored = parsed.get('hubble_dashboard_flows_stored_total')?.samples[0]?.value ?? 0;
      return stored > 0 ? parsed : undefined;
    });
    const samples = [...families.values()].flatMap((f) => f.samples);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('hubble_dashboard_relay_connected', { relay: 'demo' })).toBe(1);
    expect(value('hubble_dashboard_database_up')).toBe(1);
    expect(value('hubble_dashboard_database_size_bytes')).toBeGreaterThan(0);
    expect(value('hubble_dashboard_ingest_batch_writes_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(value('hubble_dashboard_ingest_batch_write_seconds_count')).toBeGreaterThan(0);
    expect(value('hubble_dashboard_ingest_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('hubble_dashboard_http_request_duration_seconds_count', { handler: '/readyz', code: '200' })).toBeGreaterThan(0);
    expect(value('hubble_dashboard_process_resident_memory_bytes')).toBeGreaterThan(0);
    for (const name of ['hubble_dashboard_flows_received_total', 'hubble_dashboard_lost_events_total', 'hubble_dashboard_gaps', 'hubble_dashboard_flows_queued']) {
      expect(families.has(name), name).toBe(true);
    }
  }, 70_000);

  it('on SIGTERM writes every flow it received, logs JSON, and exits 0', async () => {
    child.kill('SIGTERM');
    const { code } = await Promise.race([exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 40 s of SIGTERM')), 40_000))]);
    expect(code).toBe(0);
    // A first start may run `next build`, whose output is its own; from listening on, only JSON lines.
    const raw = stderr.split('\n').filter(Boolean);
    const listening = raw.findIndex((l) => l.startsWith('{') && (JSON.parse(l) as LogLine).msg === 'dashboard listening');
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(raw.slice(listening).filter((l) => !l.startsWith('{'))).toEqual([]);
    const lines = logLines(stderr);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.every((l) => typeof l.component === 'string' && typeof l.time === 'string')).toBe(true);
    const stopped = lines.find((l) => l.component === 'collector' && l.msg === 'collector stopped') as
      LogLine & Record<'flowsReceived' | 'flowsStored' | 'duplicateFlows' | 'droppedFlows' | 'queuedFlows', number>;
    expect(stopped).toBeDefined();
    expect(stopped.flowsReceived).toBeGreaterThan(0);
    expect(stopped.queuedFlows).toBe(0);
    expect(stopped.flowsStored + stopped.duplicateFlows + stopped.droppedFlows).toBe(stopped.flowsReceived);
    const [{ n }] = await schema.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
    expect(n).toBe(stopped.flowsStored);
  }, 45_000);
});
