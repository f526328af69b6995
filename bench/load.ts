/**
 * Load benchmark (issue #7): browser sessions on live views, simulated with HTTP clients on loopback,
 * against the real dashboard process while a relay offers it flows at a fixed rate. Targets:
 * ingest does not fall behind, and API p95 ≤ 300 ms.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test flock /tmp/e2e.lock npx tsx bench/load.ts
 *       [--rate 20000] [--sessions 50] [--seconds 60] [--warmup 20] [--views flows-live,service-map,triage,drops]
 *       [--port 3212] [--relay-port 4412] [--relay replay|demo] [--keep] [--cpu-prof DIR]
 *
 * Two child processes: the relay and `hubble-dashboard start` (the image's command). The relay is
 * bench/replay-relay.ts by default (demo flows encoded once, about 2 µs of CPU a flow, as in
 * bench/ingest.ts), so that the two cores go to the dashboard, PostgreSQL and the sessions, as
 * they would next to a real relay on other nodes; `--relay demo` runs `hubble-dashboard demo`,
 * which simulates every flow (about 15 µs a flow). The dashboard runs on a fresh schema of DATABASE_URL, dropped at the end unless --keep. `start`
 * rebuilds .next when the sources are newer than it, hence the flock. After --warmup seconds, the
 * sessions open round-robin over the --views (default all four) and do what those pages do:
 *   - flows, live: GET /api/status (to pin the window's end), GET /api/flows?since=5m&until=…&limit=100,
 *     then hold GET /api/flows/live?after=<until> (SSE), reconnecting like EventSource after 3 s;
 *   - service map, live: GET /api/service-map?since=5m&timelineSince=1h every 2 s;
 *   - triage: GET /api/triage every 5 s;   - drops inbox: GET /api/drops?since=1h every 5 s.
 * Polls keep TanStack Query's rhythm: a tick every interval from the session's start, and a tick
 * that falls while the previous request is still out is skipped (counted). Session starts are
 * spread over 5 s so that their polls are out of phase, as real users' are.
 * GET /api/status is also sampled every second throughout (not counted as a session request) to
 * follow the collector. Prints PASS/FAIL per target; exits 0 either way.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, get } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { dropsUrl } from '../lib/api/drops';
import { flowsLiveUrl } from '../lib/api/flows-live';
import { flowsUrl } from '../lib/api/flows-query';
import { triageUrl } from '../lib/api/triage';
import type { IngestStatus } from '../lib/ingest/ingest-status';
import { dropsViewFromSearch, DROPS_REFRESH_MS } from '../components/drops/drops-query';
import { flowsApiParams, flowsViewFromSearch, flowsWindowEnd } from '../components/flows-table/flows-query';
import { LIVE_REFRESH_MS } from '../components/service-map/map-query';
import { DEFAULT_MAP_VIEW, mapApiUrl } from '../components/service-map/map-view';
import { TRIAGE_REFRESH_MS } from '../components/triage/triage-query';
import { loadConfig } from '../server/config';
import { RelayClient } from '../server/hubble/relay-client';
import { setLogLevel } from '../server/log/logger';
import { projectRoot } from '../server/project-root';
import type { Db } from '../server/store/db';
import { webBuildIsFresh } from '../server/web-build';
import { scratchSchema } from './bench-db';
import { percentile } from './bench-stats';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '20000' }, sessions: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '20' }, views: { type: 'string', default: 'flows-live,service-map,triage,drops' },
    port: { type: 'string', default: '3212' }, 'relay-port': { type: 'string', default: '4412' }, keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' }, relay: { type: 'string', default: 'replay' },
  },
});

function positiveInt(name: string): number {
  const n = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} ${values[name as keyof typeof values]}: expected a positive whole number`);
  return n;
}

const API_TARGET_MS = 300;
const REQUEST_IDLE_TIMEOUT_MS = 30_000;
/** EventSource waits this long before it reconnects (the stream's `retry: 3000`). */
const SSE_RETRY_MS = 3_000;
const SAMPLE_MS = 1_000;
const RAMP_MS = 5_000;
/** Lag at the start and end of the loaded period: the median of this many samples, to smooth out batch flushes. */
const LAG_EDGE_SAMPLES = 10;
const LAG_GROWTH_MAX_S = 2;
const STORED_SHARE_MIN = 0.95;
const READY_TIMEOUT_MS = 15 * 60_000;
/** Set on the dashboard's connections (in its DATABASE_URL) so that its PostgreSQL backends can be found. */
const APPLICATION_NAME = `hubble-bench-load-${process.pid}`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms0 = (n: number) => (Number.isFinite(n) ? `${fmt(n)} ms` : '–');
const s1 = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '–' : `${(ms / 1000).toFixed(1)} s`);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const signed = (n: number) => {
  const tenths = Math.round(n * 10) / 10 || 0;
  return `${tenths > 0 ? '+' : ''}${tenths.toFixed(1)}`;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const pause = (ms: number, signal?: AbortSignal) => delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function median(xs: readonly number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

// ---------------------------------------------------------------- child processes

interface Child {
  name: string;
  proc: ChildProcess;
  /** The last lines it printed, shown when it fails. */
  tail: string[];
  warnings: number;
  errors: number;
  lastProblem?: string;
}

const children: Child[] = [];

/** Starts `node <argv>` in the project (a bin/hubble-dashboard.mjs command unless --import given), keeping its output's tail and counting pino warnings/errors. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const profile = values['cpu-prof'] && name === 'dashboard' ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const script = args[0] === '--import' ? [] : [join(projectRoot, 'bin', 'hubble-dashboard.mjs')];
  const proc = spawn(process.execPath, [...profile, ...script, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env });
  const child: Child = { name, proc, tail: [], warnings: 0, errors: 0 };
  const onLine = (line: string) => {
    child.tail.push(line.slice(0, 400));
    if (child.tail.length > 15) child.tail.shift();
    const level = /"level":(\d+)/.exec(line);
    if (!level) return;
    if (Number(level[1]) >= 50) child.errors++;
    else if (Number(level[1]) >= 40) child.warnings++;
    if (Number(level[1]) >= 40) child.lastProblem = line.slice(0, 300);
  };
  for (const stream of [proc.stdout!, proc.stderr!]) createInterface({ input: stream }).on('line', onLine);
  children.push(child);
  return child;
}

const exited = (c: Child) => c.proc.exitCode !== null || c.proc.signalCode !== null;
const deathNote = (c: Child) => `${c.name} exited (${c.proc.exitCode ?? c.proc.signalCode}); its last output:\n  ${c.tail.join('\n  ')}`;

async function stopChild(c: Child): Promise<void> {
  if (exited(c)) return;
  const gone = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
  c.proc.kill('SIGTERM');
  // The dashboard flushes its collector on SIGTERM; it gets a while before it is killed.
  if (await Promise.race([gone.then(() => true), pause(15_000).then(() => false)])) return;
  c.proc.kill('SIGKILL');
  await gone;
}

/** Peak and current resident set (MiB) and CPU time (s) of a process, from /proc. */
function procStats(pid: number): { peakRssMb: number; rssMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name, which may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

// ---------------------------------------------------------------- HTTP clients

interface Answer { status: number; body?: Buffer }

/**
 * One GET; the body is kept when asked for or when the status is not 2xx (for the error message).
 * A kept-alive connection the server closed just as it was reused (its keep-alive timeout is 5 s,
 * the triage and drops polls' period) is retried once on a new one, as browsers do.
 */
function httpGet(port: number, agent: Agent, path: string, signal: AbortSignal, keepBody = false, retried = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent, signal, headers: { accept: 'application/json' } }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (keepBody || status >= 300) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status, body: chunks.length ? Buffer.concat(chunks) : undefined }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_IDLE_TIMEOUT_MS, () => req.destroy(new Error(`nothing received for ${REQUEST_IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) resolve(httpGet(port, agent, path, signal, keepBody, true));
      else reject(err);
    });
  });
}

interface RouteStats { ms: number[]; failed: number; skipped: number; firstError?: string }

class Recorder {
  readonly routes = new Map<string, RouteStats>();

  private route(name: string): RouteStats {
    let r = this.routes.get(name);
    if (!r) this.routes.set(name, (r = { ms: [], failed: 0, skipped: 0 }));
    return r;
  }

  /** Every request counts, a failed one with the time it took to fail: the user waited that long too. */
  record(name: string, ms: number, error?: string): void {
    const r = this.route(name);
    r.ms.push(ms);
    if (error === undefined) return;
    r.failed++;
    r.firstError ??= error;
  }

  skip(name: string): void {
    this.route(name).skipped++;
  }
}

interface Session { port: number; agent: Agent; signal: AbortSignal; recorder: Recorder; live: LiveStats }

/** A timed GET as a page makes it; resolves to the body when asked for and the answer is 2xx. */
async function timedGet(s: Session, route: string, path: string, keepBody = false): Promise<Buffer | undefined> {
  const started = performance.now();
  try {
    const answer = await httpGet(s.port, s.agent, path, s.signal, keepBody);
    if (s.signal.aborted) return undefined;
    const ok = answer.status >= 200 && answer.status < 300;
    s.recorder.record(route, performance.now() - started, ok ? undefined : `HTTP ${answer.status}: ${answer.body?.toString('utf8', 0, 200)}`);
    return ok ? answer.body : undefined;
  } catch (err) {
    if (!s.signal.aborted) s.recorder.record(route, performance.now() - started, errorText(err));
    return undefined;
  }
}

/** TanStack Query's refetchInterval: ticks from the start; a tick while the last fetch is out is skipped. */
async function poll(s: Session, route: string, path: () => string, intervalMs: number): Promise<void> {
  let next = performance.now();
  while (!s.signal.aborted) {
    await timedGet(s, route, path());
    next += intervalMs;
    for (const now = performance.now(); next < now; next += intervalMs) s.recorder.skip(route);
    await pause(next - performance.now(), s.signal);
  }
}

// ---------------------------------------------------------------- the live flows stream

interface LiveStats {
  streams: number;
  readyMs: number[];
  incompleteBackfills: number;
  flowsEvents: number;
  heartbeats: number;
  bytes: number;
  /** now − the `flows` event's id (the newest flow time sent), at receipt. */
  deliveryLagMs: number[];
  lostFlows: number;
  reconnects: number;
  failures: string[];
}

/**
 * Splits an SSE byte stream into messages without decoding the (large) `flows` payloads: only the
 * first bytes of each message are kept, enough for its `event:` and `id:` lines and for the small
 * `ready` and `lost` data. JSON escapes newlines, so a blank line only ever ends a message.
 */
class SseSplitter {
  private head: Buffer[] = [];
  private headBytes = 0;
  private endsWithNewline = false;

  constructor(private readonly onMessage: (text: string) => void, private readonly headMax = 512) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      // Index of the terminator's second newline; the first may have ended the previous chunk.
      let last: number;
      if (start === 0 && this.endsWithNewline && chunk[0] === 0x0a) last = 0;
      else {
        const blank = chunk.indexOf('\n\n', start);
        if (blank < 0) {
          this.keep(chunk.subarray(start));
          this.endsWithNewline = chunk[chunk.length - 1] === 0x0a;
          return;
        }
        last = blank + 1;
      }
      this.keep(chunk.subarray(start, last + 1));
      this.onMessage(Buffer.concat(this.head).toString('utf8'));
      this.head = [];
      this.headBytes = 0;
      this.endsWithNewline = false;
      start = last + 1;
    }
  }

  private keep(part: Buffer): void {
    if (this.headBytes >= this.headMax) return;
    const slice = part.subarray(0, this.headMax - this.headBytes);
    this.head.push(slice);
    this.headBytes += slice.length;
  }
}

function onLiveMessage(live: LiveStats, text: string, opened: number, onId: (id: string) => void): void {
  if (text.startsWith(':')) {
    live.heartbeats++;
    return;
  }
  const field = (name: string) => new RegExp(`^${name}: ?(.*)$`, 'm').exec(text)?.[1];
  const event = field('event');
  if (event === 'ready') {
    live.readyMs.push(performance.now() - opened);
    if (!(JSON.parse(field('data') ?? '{}') as { complete?: boolean }).complete) live.incompleteBackfills++;
  } else if (event === 'lost') {
    live.lostFlows += (JSON.parse(field('data') ?? '{}') as { count?: number }).count ?? 0;
  } else if (event === 'flows') {
    live.flowsEvents++;
    const id = field('id');
    if (!id) return;
    onId(id);
    live.deliveryLagMs.push(Date.now() - Date.parse(id));
  }
}

/** One EventSource: reconnects with Last-Event-ID after a dropped stream, gives up on a refused one. */
async function followLive(s: Session, path: string): Promise<void> {
  let lastId: string | undefined;
  while (!s.signal.aborted) {
    const opened = performance.now();
    const refused = await new Promise<string | undefined>((resolve, reject) => {
      const headers = { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) };
      const req = get({ host: '127.0.0.1', port: s.port, path, agent: s.agent, signal: s.signal, headers }, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8', 0, 200)}`));
          return;
        }
        s.live.streams++;
        const splitter = new SseSplitter((text) => onLiveMessage(s.live, text, opened, (id) => (lastId = id)));
        res.on('data', (chunk: Buffer) => {
          s.live.bytes += chunk.length;
          splitter.push(chunk);
        });
        res.on('end', () => reject(new Error('the server ended the stream')));
        res.on('error', reject);
      });
      req.on('error', reject);
    }).catch((err: unknown) => {
      if (!s.signal.aborted) s.live.failures.push(errorText(err));
      return undefined;
    });
    if (s.signal.aborted) return;
    if (refused) {
      s.live.failures.push(`refused: ${refused}`);
      return;
    }
    s.live.reconnects++;
    await pause(SSE_RETRY_MS, s.signal);
  }
}

// ---------------------------------------------------------------- sessions

type View = 'flows-live' | 'service-map' | 'triage' | 'drops';
const VIEWS: readonly View[] = ['flows-live', 'service-map', 'triage', 'drops'];

/** The flows page with Live on: pin the window's end at the newest stored flow, load it, then tail. */
async function flowsLiveSession(s: Session): Promise<void> {
  const body = await timedGet(s, 'GET /api/status', '/api/status', true);
  const status = body ? (JSON.parse(body.toString('utf8')) as IngestStatus) : undefined;
  const view = { ...flowsViewFromSearch(new URLSearchParams({ since: '5m', live: '1' })), until: flowsWindowEnd(Date.now(), status?.newestStoredFlowTime) };
  await timedGet(s, 'GET /api/flows', flowsUrl(flowsApiParams(view)));
  if (!s.signal.aborted) await followLive(s, flowsLiveUrl({ q: view.q, after: view.until }));
}

function runSession(view: View, s: Session): Promise<void> {
  switch (view) {
    case 'flows-live':
      return flowsLiveSession(s);
    case 'service-map':
      return poll(s, 'GET /api/service-map', () => mapApiUrl(DEFAULT_MAP_VIEW, Date.now()), LIVE_REFRESH_MS);
    case 'triage':
      return poll(s, 'GET /api/triage', () => triageUrl(), TRIAGE_REFRESH_MS);
    case 'drops':
      return poll(s, 'GET /api/drops', () => dropsUrl(dropsViewFromSearch(new URLSearchParams())), DROPS_REFRESH_MS);
  }
}

/** Opens `count` sessions (each with its own keep-alive connections, six at most like a browser) until `signal`. */
async function runSessions(views: readonly View[], count: number, port: number, signal: AbortSignal, recorder: Recorder, live: LiveStats): Promise<void> {
  const agents: Agent[] = [];
  const sessions = Array.from({ length: count }, async (_, i) => {
    await pause((i / count) * RAMP_MS, signal);
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    agents.push(agent);
    await runSession(views[i % views.length], { port, agent, signal, recorder, live });
  });
  await Promise.all(sessions);
  for (const agent of agents) agent.destroy();
}

// ---------------------------------------------------------------- the collector, followed

interface StatusSample {
  benchMs: number;
  atMs: number;
  received: number;
  stored: number;
  queued: number;
  lost: number;
  dropped: number;
  /** The dashboard's clock at the snapshot − the newest stored flow's time. */
  lagMs?: number;
}

function sampleOf(status: IngestStatus): StatusSample {
  const newest = status.newestStoredFlowTime ? Date.parse(status.newestStoredFlowTime) : NaN;
  return {
    benchMs: performance.now(), atMs: status.atMs, received: status.flowsReceived, stored: status.flowsStored ?? 0,
    queued: status.queuedFlows ?? 0, lost: status.lostEvents, dropped: status.droppedFlows ?? 0,
    ...(Number.isNaN(newest) ? {} : { lagMs: status.atMs - newest }),
  };
}

/** GET /api/status every second into `samples` until `signal`; failed samples are counted. */
async function sampleStatus(port: number, samples: StatusSample[], failures: { n: number }, signal: AbortSignal): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let next = performance.now();
  while (!signal.aborted) {
    try {
      const answer = await httpGet(port, agent, '/api/status', signal, true);
      if (answer.status === 200 && answer.body) samples.push(sampleOf(JSON.parse(answer.body.toString('utf8')) as IngestStatus));
      else failures.n++;
    } catch {
      if (!signal.aborted) failures.n++;
    }
    next += SAMPLE_MS;
    while (next < performance.now()) next += SAMPLE_MS;
    await pause(next - performance.now(), signal);
  }
  agent.destroy();
}

async function waitForRelay(address: string, demo: Child): Promise<void> {
  const client = new RelayClient({ address });
  try {
    for (let i = 0; i < 150; i++) {
      if (exited(demo)) throw new Error(deathNote(demo));
      try {
        await client.serverStatus();
        return;
      } catch {
        await pause(200);
      }
    }
    throw new Error(`the ${demo.name} on ${address} did not come up within 30 s`);
  } finally {
    client.close();
  }
}

/** Until the dashboard answers /api/status with a connected relay and stored flows. */
async function waitForDashboard(port: number, dashboard: Child): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  const started = performance.now();
  let last = 'no answer yet';
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (exited(dashboard)) throw new Error(deathNote(dashboard));
    try {
      const answer = await httpGet(port, agent, '/api/status', AbortSignal.timeout(5_000), true);
      const status = answer.body ? (JSON.parse(answer.body.toString('utf8')) as IngestStatus) : undefined;
      if (answer.status === 200 && status?.state === 'connected' && (status.flowsStored ?? 0) > 0) return;
      last = `HTTP ${answer.status}, state ${status?.state}, ${status?.flowsStored ?? 0} flows stored`;
    } catch (err) {
      last = errorText(err);
    }
    await pause(1_000);
  }
  throw new Error(`the dashboard on port ${port} was not ready within ${READY_TIMEOUT_MS / 60_000} min (last: ${last})`);
}

// ---------------------------------------------------------------- the report

const inWindow = (samples: readonly StatusSample[], fromMs: number, toMs: number) => samples.filter((s) => s.benchMs >= fromMs && s.benchMs <= toMs);

/** Stored flows/s and the latest lag over a run of samples, for the progress lines. */
function ingestNow(samples: readonly StatusSample[]): string {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.atMs <= first.atMs) return 'no status samples yet';
  const storedPerS = (last.stored - first.stored) / ((last.atMs - first.atMs) / 1000);
  return `stored ${fmt(storedPerS)} flows/s, lag ${s1(last.lagMs)}, ${fmt(last.queued)} queued`;
}

interface GapRow { kind: string; n: number; lost: number; during: number; lostDuring: number }

/** Gaps recorded in the run's schema, by kind; `during` counts those overlapping [from, to]. */
function readGaps(admin: Db, schema: string, from: Date, to: Date): Promise<GapRow[]> {
  return admin.query<GapRow>(
    `SELECT kind, count(*)::int AS n, coalesce(sum(lost_flows), 0)::float8 AS lost,
            (count(*) FILTER (WHERE from_time <= $2 AND to_time >= $1))::int AS during,
            coalesce(sum(lost_flows) FILTER (WHERE from_time <= $2 AND to_time >= $1), 0)::float8 AS "lostDuring"
       FROM "${schema}".gaps GROUP BY kind ORDER BY kind`,
    [from, to],
  );
}

function apiReport(recorder: Recorder): string[] {
  const rows = [...recorder.routes.entries()].sort(([a], [b]) => a.localeCompare(b));
  const all = rows.flatMap(([, r]) => r.ms).sort((a, b) => a - b);
  const failed = rows.reduce((n, [, r]) => n + r.failed, 0);
  const lines = ['  API, per route (latency to the last byte of the body; failed requests count with the time they took to fail):'];
  lines.push(`    ${'route'.padEnd(22)} ${'requests'.padStart(8)} ${'failed'.padStart(6)} ${'skipped'.padStart(7)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`);
  for (const [name, r] of rows) {
    const sorted = [...r.ms].sort((a, b) => a - b);
    lines.push(`    ${name.padEnd(22)} ${fmt(r.ms.length).padStart(8)} ${fmt(r.failed).padStart(6)} ${fmt(r.skipped).padStart(7)} ${ms0(percentile(sorted, 50)).padStart(9)} ${ms0(percentile(sorted, 95)).padStart(9)} ${ms0(sorted.at(-1) ?? NaN).padStart(9)}`);
    if (r.firstError) lines.push(`      first failure: ${r.firstError}`);
  }
  lines.push('    (skipped: poll ticks that fell while the previous request of the session was still out)');
  const p95 = percentile(all, 95);
  lines.push(`  ${verdict(all.length > 0 && p95 <= API_TARGET_MS && failed === 0)} API p95 ≤ ${API_TARGET_MS} ms with no failed request, all ${fmt(all.length)} session requests pooled: p95 ${ms0(p95)}, p50 ${ms0(percentile(all, 50))}, max ${ms0(all.at(-1) ?? NaN)}, ${fmt(failed)} failed`);
  return lines;
}

function liveReport(live: LiveStats, flowsSessions: number, loadS: number): string[] {
  const ready = [...live.readyMs].sort((a, b) => a - b);
  const lag = [...live.deliveryLagMs].sort((a, b) => a - b);
  const lines = [
    `  live flows streams (SSE, not in the API p95): ${flowsSessions} sessions, ${live.streams} streams opened, ready after p50 ${ms0(percentile(ready, 50))} / max ${ms0(ready.at(-1) ?? NaN)} (${live.incompleteBackfills} incomplete backfills)`,
    `    ${fmt(live.flowsEvents)} flows events, ${(live.bytes / 2 ** 20).toFixed(0)} MiB (${(live.bytes / 2 ** 20 / loadS / Math.max(1, flowsSessions)).toFixed(1)} MiB/s per session), ${fmt(live.heartbeats)} heartbeats`,
    `    delivery lag (receipt − newest flow time in the event): p50 ${s1(percentile(lag, 50))}, p95 ${s1(percentile(lag, 95))}, max ${s1(lag.at(-1))}`,
    `    flows the server dropped for these readers (lost events): ${fmt(live.lostFlows)}; reconnects ${live.reconnects}`,
  ];
  for (const failure of [...new Set(live.failures)].slice(0, 3)) lines.push(`    stream failure: ${failure}`);
  return lines;
}

const KEEPS_UP_RULE = `keeps up = lag growth (median lag of the last ${LAG_EDGE_SAMPLES} one-second samples of the loaded period − median of the first ${LAG_EDGE_SAMPLES}) ≤ ${LAG_GROWTH_MAX_S} s, `
  + `no flow lost (the collector's lostEvents and droppedFlows unchanged, no gap overlapping the period) and stored ≥ ${STORED_SHARE_MIN * 100}% of the offered rate`;

/** When the relay reported lost flows (seconds into the period) and how full the write queue was then. */
function lossTimeline(window: readonly StatusSample[]): string {
  const losses: string[] = [];
  for (let i = 1; i < window.length; i++) {
    const lost = window[i].lost - window[i - 1].lost;
    if (lost > 0) losses.push(`+${((window[i].atMs - window[0].atMs) / 1000).toFixed(0)} s: ${fmt(lost)} (queued ${fmt(window[i].queued)})`);
  }
  const peak = Math.max(...window.map((s) => s.queued));
  return `write queue peak ${fmt(peak)} flows in the 1 s samples; losses ${losses.length ? losses.slice(0, 8).join(', ') + (losses.length > 8 ? `, … ${losses.length - 8} more` : '') : 'none'}`;
}

function ingestReport(window: readonly StatusSample[], rate: number, gaps: readonly GapRow[], failedSamples: number): string[] {
  const first = window[0];
  const last = window.at(-1);
  if (!first || !last || last.atMs <= first.atMs) return [`  FAIL keeps up: fewer than two status samples in the loaded period (${failedSamples} failed)`];
  const spanS = (last.atMs - first.atMs) / 1000;
  const receivedPerS = (last.received - first.received) / spanS;
  const storedPerS = (last.stored - first.stored) / spanS;
  const lags = window.flatMap((s) => (s.lagMs === undefined ? [] : [s.lagMs]));
  const k = Math.min(LAG_EDGE_SAMPLES, Math.max(1, Math.floor(lags.length / 3)));
  const lagStart = median(lags.slice(0, k));
  const lagEnd = median(lags.slice(-k));
  const growthS = (lagEnd - lagStart) / 1000;
  const lost = last.lost - first.lost;
  const dropped = last.dropped - first.dropped;
  const gapsDuring = gaps.reduce((n, g) => n + g.during, 0);
  const keepsUp = growthS <= LAG_GROWTH_MAX_S && lost === 0 && dropped === 0 && gapsDuring === 0 && storedPerS >= STORED_SHARE_MIN * rate;
  const gapText = gaps.length
    ? gaps.map((g) => `${g.kind} ×${g.n} (${g.during} during load, ${fmt(g.lostDuring)} flows lost then; ${fmt(g.lost)} in all)`).join('; ')
    : 'none';
  return [
    `  ingest over the loaded period (${window.length} status samples over ${spanS.toFixed(0)} s${failedSamples ? `, ${failedSamples} samples failed` : ''}):`,
    `    offered ${fmt(rate)} flows/s (${values.relay} relay --rate), received ${fmt(receivedPerS)} flows/s, stored ${fmt(storedPerS)} flows/s (${((storedPerS / rate) * 100).toFixed(0)}% of offered)`,
    `    lag (status time − newest stored flow): start ${s1(lagStart)}, end ${s1(lagEnd)}, max ${s1(Math.max(...lags))}; queued ${fmt(first.queued)} → ${fmt(last.queued)} flows`,
    `    lost events reported by the relay ${fmt(lost)}, flows the collector dropped ${fmt(dropped)}; gaps in the schema: ${gapText}`,
    `    ${lossTimeline(window)}`,
    `  rule: ${KEEPS_UP_RULE}`,
    `  ${verdict(keepsUp)} keeps up: lag growth ${signed(growthS)} s, ${fmt(lost + dropped)} lost, ${gapsDuring} gaps, stored ${((storedPerS / rate) * 100).toFixed(0)}%`,
  ];
}

// ---------------------------------------------------------------- the run

let dropSchema: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;

/** Stops the dashboard (first, so it does not log the relay going away), then the relay, then drops the schema. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of [...children].reverse()) await stopChild(child);
    await dropSchema?.();
  })();
  return cleaning;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    process.stderr.write(`load benchmark: ${signal}: stopping the dashboard and the ${values.relay} relay${values.keep ? '' : ', dropping the schema'}\n`);
    void cleanUp().finally(() => process.exit(code));
  });
}
// Last resort when the process ends some other way: no child outlives it.
process.on('exit', () => children.forEach((c) => exited(c) || c.proc.kill('SIGKILL')));

/** Waits `ms`, printing the collector's progress every 10 s; throws when the dashboard dies. */
async function phase(name: string, ms: number, dashboard: Child, samples: readonly StatusSample[], extra = () => ''): Promise<void> {
  const started = performance.now();
  for (;;) {
    const left = ms - (performance.now() - started);
    // A timer may wake a little early: the few milliseconds left are waited out without another line.
    if (left < 100) return pause(left);
    await pause(Math.min(10_000, left));
    if (exited(dashboard)) throw new Error(deathNote(dashboard));
    const now = performance.now();
    out(`  ${name} ${((now - started) / 1000).toFixed(0)} s: ${ingestNow(inWindow(samples, now - 10_000, now))}${extra()}`);
  }
}

interface Options { rate: number; sessions: number; seconds: number; warmup: number; port: number; relayPort: number; views: View[]; relay: 'replay' | 'demo' }

function relayKind(text: string): 'replay' | 'demo' {
  if (text !== 'replay' && text !== 'demo') throw new Error(`--relay ${text}: expected replay or demo`);
  return text;
}

function parseViews(text: string): View[] {
  const views = text.split(',').map((v) => v.trim()).filter(Boolean);
  const unknown = views.filter((v) => !(VIEWS as readonly string[]).includes(v));
  if (unknown.length || !views.length) throw new Error(`--views ${text}: expected a comma-separated list of ${VIEWS.join(', ')}`);
  return views as View[];
}

function readOptions(): Options {
  const warmup = Number(values.warmup);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup ${values.warmup}: expected a whole number of seconds`);
  return {
    rate: positiveInt('rate'), sessions: positiveInt('sessions'), seconds: positiveInt('seconds'), warmup,
    port: positiveInt('port'), relayPort: positiveInt('relay-port'), views: parseViews(values.views), relay: relayKind(values.relay),
  };
}

/** The two children, up and ingesting. */
async function startProcesses(o: Options, databaseUrl: string): Promise<{ demo: Child; dashboard: Child }> {
  const relayAddr = `127.0.0.1:${o.relayPort}`;
  const demo = o.relay === 'replay'
    ? startChild('replay relay', ['--import', 'tsx', 'bench/replay-relay.ts', '--listen', relayAddr, '--rate', String(o.rate)], process.env)
    : startChild('demo relay', ['demo', '--listen', relayAddr, '--rate', String(o.rate)], { ...process.env, LOG_LEVEL: 'warn' });
  await waitForRelay(relayAddr, demo);
  if (!webBuildIsFresh()) out('  the web build in .next is older than the sources: `start` rebuilds it first');
  const started = performance.now();
  const dashboard = startChild('dashboard', ['start'], {
    ...process.env, HUBBLE_RELAY_ADDR: relayAddr, DATABASE_URL: databaseUrl, HUBBLE_DASHBOARD_OBSERVER_ADDR: 'off',
    LOG_LEVEL: 'warn', PORT: String(o.port), HOST: '127.0.0.1',
  });
  await waitForDashboard(o.port, dashboard);
  out(`  dashboard ready (relay connected, flows stored) after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { demo, dashboard };
}

/** Where the machine's CPU went, as seconds used so far (the report takes differences). */
interface CpuSnapshot {
  dashboard: ReturnType<typeof procStats>;
  demoS: number;
  clientS: number;
  machineBusyS: number;
  /** The dashboard's PostgreSQL backends alive now, by pid (empty when the database is not on this machine). */
  backends: Map<number, number>;
}

/** Busy CPU time of the whole machine (s), from /proc/stat's first line (idle and iowait left out). */
function machineBusyS(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) / CLOCK_TICKS;
}

async function cpuSnapshot(dashboard: Child, demo: Child, admin: Db): Promise<CpuSnapshot> {
  const rows = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME]);
  const backends = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      backends.set(pid, procStats(pid).cpuS);
    } catch {
      // Ended meanwhile, or the database runs on another machine.
    }
  }
  const client = process.cpuUsage();
  return {
    dashboard: procStats(dashboard.proc.pid!), demoS: procStats(demo.proc.pid!).cpuS, clientS: (client.user + client.system) / 1e6,
    machineBusyS: machineBusyS(), backends,
  };
}

function cpuReport(before: CpuSnapshot, after: CpuSnapshot, loadS: number, loopDelay: IntervalHistogram): string[] {
  const pct = (s: number) => `${((s / loadS) * 100).toFixed(0)}%`;
  let backendS = 0;
  for (const [pid, s] of after.backends) backendS += s - (before.backends.get(pid) ?? 0);
  const machineS = after.machineBusyS - before.machineBusyS;
  const dashboardS = after.dashboard.cpuS - before.dashboard.cpuS;
  const oursS = dashboardS + backendS + (after.demoS - before.demoS) + (after.clientS - before.clientS);
  return [
    `  dashboard process: peak RSS (VmHWM) ${fmt(after.dashboard.peakRssMb)} MiB, RSS ${fmt(before.dashboard.rssMb)} → ${fmt(after.dashboard.rssMb)} MiB over the load`,
    `  CPU over the load, in % of one core (the machine has ${availableParallelism() * 100}%): machine busy ${pct(machineS)} = dashboard ${pct(dashboardS)}`
      + ` + its PostgreSQL backends ${after.backends.size ? pct(backendS) : 'not readable'} (those alive at the end) + ${values.relay} relay ${pct(after.demoS - before.demoS)}`
      + ` + this client ${pct(after.clientS - before.clientS)} + everything else ${pct(Math.max(0, machineS - oursS))}`,
    `  this client's event loop delay p99 ${ms0(loopDelay.percentile(99) / 1e6)}, max ${ms0(loopDelay.max / 1e6)}: client-side waiting is inside the latencies above`,
  ];
}

interface LoadRun { recorder: Recorder; live: LiveStats; fromMs: number; toMs: number; gaps: GapRow[]; cpu: string[]; loadAtEnd: string }

/** The sessions for o.seconds, with the CPU used meanwhile and the gaps recorded. */
async function loadPhase(o: Options, procs: { demo: Child; dashboard: Child }, samples: StatusSample[], admin: Db, schema: string): Promise<LoadRun> {
  const recorder = new Recorder();
  const live: LiveStats = { streams: 0, readyMs: [], incompleteBackfills: 0, flowsEvents: 0, heartbeats: 0, bytes: 0, deliveryLagMs: [], lostFlows: 0, reconnects: 0, failures: [] };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const before = await cpuSnapshot(procs.dashboard, procs.demo, admin);
  const stop = new AbortController();
  // Every session's requests and pauses listen to it at once.
  setMaxListeners(o.sessions * 4 + 10, stop.signal);
  const from = { ms: performance.now(), wall: new Date() };
  const sessions = runSessions(o.views, o.sessions, o.port, stop.signal, recorder, live);
  const soFar = () => {
    const all = [...recorder.routes.values()].flatMap((r) => r.ms).sort((a, b) => a - b);
    return `; ${fmt(all.length)} requests, p95 so far ${ms0(percentile(all, 95))}, ${live.streams} live streams`;
  };
  await phase('load', o.seconds * 1000, procs.dashboard, samples, soFar);
  const to = { ms: performance.now(), wall: new Date() };
  const loadAtEnd = load();
  const after = await cpuSnapshot(procs.dashboard, procs.demo, admin);
  stop.abort();
  await sessions;
  loopDelay.disable();
  const cpu = cpuReport(before, after, (to.ms - from.ms) / 1000, loopDelay);
  return { recorder, live, fromMs: from.ms, toMs: to.ms, gaps: await readGaps(admin, schema, from.wall, to.wall), cpu, loadAtEnd };
}

async function run(o: Options, schema: string, databaseUrl: string, admin: Db): Promise<void> {
  const loadBefore = load();
  out(`load benchmark: ${o.relay} relay --rate ${fmt(o.rate)} on 127.0.0.1:${o.relayPort} → dashboard (hubble-dashboard start) on 127.0.0.1:${o.port} → PostgreSQL schema ${schema}`);
  out(`  ${o.sessions} sessions for ${o.seconds} s after ${o.warmup} s of warm-up; ${availableParallelism()} cores, load average ${loadBefore} before start`);
  const procs = await startProcesses(o, databaseUrl);
  const samples: StatusSample[] = [];
  const sampleFailures = { n: 0 };
  const sampling = new AbortController();
  const sampler = sampleStatus(o.port, samples, sampleFailures, sampling.signal);
  await phase('warm-up', o.warmup * 1000, procs.dashboard, samples);
  const r = await loadPhase(o, procs, samples, admin, schema);
  // One more sample so that the loaded period's last second is in.
  await pause(SAMPLE_MS);
  sampling.abort();
  await sampler;

  const loadS = (r.toMs - r.fromMs) / 1000;
  const perView = o.views.map((v, i) => ({ view: v, sessions: Math.ceil((o.sessions - i) / o.views.length) }));
  out('');
  out(`results, loaded period ${loadS.toFixed(0)} s, ${o.sessions} sessions (${perView.map((p) => `${p.sessions} ${p.view}`).join(', ')}):`);
  for (const line of apiReport(r.recorder)) out(line);
  const flowsSessions = perView.find((p) => p.view === 'flows-live')?.sessions ?? 0;
  if (flowsSessions) for (const line of liveReport(r.live, flowsSessions, loadS)) out(line);
  for (const line of ingestReport(inWindow(samples, r.fromMs, r.toMs + SAMPLE_MS), o.rate, r.gaps, sampleFailures.n)) out(line);
  for (const line of r.cpu) out(line);
  const d = procs.dashboard;
  out(`  dashboard log: ${d.warnings} warnings, ${d.errors} errors${d.lastProblem ? `; last: ${d.lastProblem}` : ''}`);
  out(`  load average (1, 5, 15 min): ${loadBefore} before start, ${r.loadAtEnd} at the end of the load; ${availableParallelism()} cores`);
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const o = readOptions();
  const base = loadConfig().databaseUrl;
  if (!base) throw new Error('DATABASE_URL is required (e.g. postgres://postgres@127.0.0.1:5432/test): the dashboard runs on a fresh schema of it');
  const scratch = await scratchSchema(base, 'bench_load', { applicationName: APPLICATION_NAME });
  dropSchema = async () => {
    if (values.keep) out(`  kept schema ${scratch.schema}`);
    await scratch.drop(values.keep);
  };
  try {
    await run(o, scratch.schema, scratch.url, scratch.admin);
  } finally {
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`load benchmark: ${errorText(err)}\n`);
  process.exitCode = 1;
});
