/**
 * Browser benchmark of the flows table (issue #4): the production /flows page in Debian's Chromium
 * against a dashboard on the filled PostgreSQL, measured with the browser's own clocks.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubble_bench flock /tmp/e2e.lock npx tsx bench/flows-browser.ts
 *       [--url http://127.0.0.1:3211] [--port 3211] [--data-dir /tmp/h4b-data] [--rows 100000]
 *       [--load-timeout-s 900] [--fling-seconds 20] [--read-seconds 10] [--live-seconds 30] [--only scroll,live]
 *
 * Without --url it starts the dashboard itself (`node bin/hubble-dashboard.mjs start`: it builds the
 * UI when stale, hence the flock) on --port with DATABASE_URL and the built-in demo cluster, which
 * ingests a little live traffic into that database (never inside the filled window), and stops it.
 *   1. load: the filled 24 h window (absolute, from the oldest stored flow) with limit=1000, scrolled
 *      to the end again and again so the table loads page after page, until --rows rows are loaded
 *      (the table holds 100,000 at most) or --load-timeout-s passes; reports how far it got;
 *   2. scroll: requestAnimationFrame moves the table every frame, once at a reading pace (3 rows a
 *      frame) and once flung from the top to the end in --fling-seconds; frame intervals from the
 *      rAF timestamps, and long tasks (PerformanceObserver 'longtask', > 50 ms) while scrolling;
 *   3. live: /flows?live=1 while the demo ingests; main-thread task time (CDP Performance.getMetrics
 *      TaskDuration) over --live-seconds, less the same view's with Live off, divided by the live
 *      `flows` events the page received: what one update costs the page's main thread (event parse,
 *      reducer, React render, style, layout, paint). The issue sets no number for it: it is printed
 *      against the 16.7 ms of one 60 Hz frame.
 * Prints each number next to its target; exits 0 either way (benchmarks report, they do not gate).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { loadConfig } from '../server/config';
import { openPgDb } from '../server/store/pg-db';
import { percentile } from './bench-stats';

const { values } = parseArgs({
  options: {
    url: { type: 'string' }, port: { type: 'string', default: '3211' }, 'data-dir': { type: 'string', default: '/tmp/h4b-data' },
    rows: { type: 'string', default: '100000' }, 'load-timeout-s': { type: 'string', default: '900' },
    'fling-seconds': { type: 'string', default: '20' }, 'read-seconds': { type: 'string', default: '10' },
    'live-seconds': { type: 'string', default: '30' }, only: { type: 'string', default: 'scroll,live' },
  },
});
for (const name of ['rows', 'load-timeout-s', 'fling-seconds', 'read-seconds', 'live-seconds'] as const) {
  if (!(Number(values[name]) > 0)) throw new Error(`--${name}: expected a number > 0, got ${JSON.stringify(values[name])}`);
}
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1600, height: 1000 };
const ROW_HEIGHT = 28; // components/flows-table/flows-table.tsx
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/**
 * Installed before the page's scripts: long tasks kept with their times, and a count of the live
 * stream's `flows` events. (tsx also keeps function names with a `__name` helper the page lacks.)
 */
const INIT_SCRIPT = `
  globalThis.__name = (f) => f;
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) globalThis.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  globalThis.__liveEvents = 0;
  const Native = globalThis.EventSource;
  globalThis.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      super.addEventListener('flows', () => { globalThis.__liveEvents++; });
    }
  };
`;

type BenchWindow = { __longTasks: Array<[number, number]>; __liveEvents: number };

async function startDashboard(port: string): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(values['data-dir']!, { recursive: true });
  const child = spawn(process.execPath, ['bin/hubble-dashboard.mjs', 'start'], {
    stdio: ['ignore', 'inherit', 'inherit'], detached: true,
    env: {
      ...process.env, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'warn', HUBBLE_DASHBOARD_OBSERVER_ADDR: 'off',
      HUBBLE_DASHBOARD_DATA_DIR: values['data-dir'], HUBBLE_DASHBOARD_RETENTION: '3650d',
    },
  });
  const deadline = Date.now() + 400_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the dashboard exited with code ${child.exitCode}`);
    if (await fetch(`${url}/api/status`).then((r) => r.ok, () => false)) return { url, child };
    await sleep(1_000);
  }
  throw new Error(`the dashboard did not answer on ${url} within 400 s`);
}

/** The filled 24 h: from the oldest stored flow's second, ending just before the same second a day later. */
async function filledWindow(): Promise<{ since: string; until: string }> {
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new Error('set DATABASE_URL to the filled PostgreSQL the dashboard reads (e.g. postgres://postgres@127.0.0.1:5432/hubble_bench)');
  const db = openPgDb({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const [row] = await db.query<{ oldest: Date | null }>('SELECT min(time) AS oldest FROM flows');
    if (!row?.oldest) throw new Error('flows is empty: fill the database first (bench/fill.ts)');
    const sinceMs = Math.floor(row.oldest.getTime() / 1000) * 1000;
    return { since: new Date(sinceMs).toISOString(), until: new Date(sinceMs + 86_400_000 - 1).toISOString() };
  } finally {
    await db.close();
  }
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(INIT_SCRIPT);
  return page;
}

const rowCount = (page: Page) => page.getByRole('table', { name: 'Flows' }).getAttribute('aria-rowcount').then((n) => Number(n) - 1);

/** Scrolls to the end until `target` rows are loaded, no page arrives for a minute, or time runs out. */
async function loadRows(page: Page, base: string, window: { since: string; until: string }, target: number) {
  const started = Date.now();
  await page.goto(`${base}/flows?${new URLSearchParams({ since: window.since, until: window.until, limit: '1000' })}`);
  await page.getByRole('table', { name: 'Flows' }).waitFor({ timeout: 120_000 });
  const deadline = started + Number(values['load-timeout-s']) * 1000;
  const pageMs: number[] = [];
  let rows = await rowCount(page);
  let stalled = false;
  while (rows < target && Date.now() < deadline) {
    const asked = Date.now();
    await page.evaluate(() => {
      const scroller = document.querySelector('[role=table][aria-label=Flows]')!.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    const grew = await page.waitForFunction((before) => {
      const n = Number(document.querySelector('[role=table][aria-label=Flows]')?.getAttribute('aria-rowcount')) - 1;
      return n > before ? n : false;
    }, rows, { timeout: Math.min(60_000, Math.max(1, deadline - Date.now())), polling: 50 }).then((h) => h.jsonValue() as Promise<number>, () => undefined);
    if (grew === undefined) {
      stalled = Date.now() < deadline;
      break;
    }
    pageMs.push(Date.now() - asked);
    rows = grew;
    if (pageMs.length % 10 === 0) out(`    ${fmt(rows)} rows loaded after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const heapMb = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20);
  return { rows, seconds: (Date.now() - started) / 1000, pageMs: pageMs.sort((a, b) => a - b), stalled, heapMb };
}

interface ScrollResult { frames: number; seconds: number; deltas: number[]; longTasks: number; longTaskMs: number; rowsPerS: number; lastIndex: number }

/** Moves the table by `pxPerFrame` every animation frame for `seconds` or to the end; frame times from rAF. */
async function scrollMeasured(page: Page, pxPerFrame: number, seconds: number): Promise<ScrollResult> {
  const r = await page.evaluate(async ({ pxPerFrame, ms }) => {
    const w = window as unknown as BenchWindow;
    const scroller = document.querySelector('[role=table][aria-label=Flows]')!.parentElement!;
    const fromTop = scroller.scrollTop;
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      const tick = (t: number) => {
        times.push(t);
        const end = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
        if (t - times[0] >= ms || end) return resolve();
        scroller.scrollTop += pxPerFrame;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const [t0, t1] = [times[0], times[times.length - 1]];
    const tasks = w.__longTasks.filter(([start]) => start >= t0 && start <= t1);
    const indexes = [...document.querySelectorAll('[data-index]')].map((e) => Number(e.getAttribute('data-index')));
    return { times, moved: scroller.scrollTop - fromTop, tasks, lastIndex: Math.max(...indexes) };
  }, { pxPerFrame, ms: seconds * 1000 });
  const seconds_ = (r.times[r.times.length - 1] - r.times[0]) / 1000;
  const deltas = r.times.slice(1).map((t, i) => t - r.times[i]).sort((a, b) => a - b);
  return {
    frames: deltas.length, seconds: seconds_, deltas, longTasks: r.tasks.length, longTaskMs: r.tasks.reduce((s, [, d]) => s + d, 0),
    rowsPerS: r.moved / ROW_HEIGHT / seconds_, lastIndex: r.lastIndex,
  };
}

function scrollLine(name: string, s: ScrollResult): string {
  const p95 = percentile(s.deltas, 95);
  const janky = s.deltas.filter((d) => d > 34).length;
  return `  ${name}: ${fmt(s.rowsPerS)} rows/s for ${s.seconds.toFixed(1)} s, ${(s.frames / s.seconds).toFixed(1)} frames/s; frame interval p50 ${percentile(s.deltas, 50).toFixed(1)} ms,`
    + ` p95 ${p95.toFixed(1)} ms, max ${s.deltas.at(-1)!.toFixed(0)} ms; frames > 34 ms: ${janky} of ${s.frames};`
    + ` long tasks ${s.longTasks} totalling ${fmt(s.longTaskMs)} ms (${((s.longTaskMs / 1000 / s.seconds) * 100).toFixed(0)}% of the time)`
    + `\n    ${verdict(p95 <= 34)} p95 frame interval ≤ 34 ms (no more than one missed 60 Hz frame in 95% of frames): ${p95.toFixed(1)} ms`;
}

async function measureScroll(browser: Browser, base: string): Promise<string[]> {
  const target = Number(values.rows);
  const window = await filledWindow();
  const page = await newPage(browser);
  out(`  loading ${window.since} .. ${window.until}, limit=1000 per page, until ${fmt(target)} rows`);
  const loaded = await loadRows(page, base, window, target);
  const pages = loaded.pageMs;
  const lines = [
    `  load: ${fmt(loaded.rows)} rows in ${loaded.seconds.toFixed(0)} s (${pages.length} more pages after the first: median ${fmt(percentile(pages, 50))} ms, p95 ${fmt(percentile(pages, 95))} ms each, scroll to rows shown); JS heap ${fmt(loaded.heapMb)} MiB`
    + (loaded.rows < target ? ` — stopped short of ${fmt(target)}: ${loaded.stalled ? 'no new page for 60 s' : 'load timeout'}` : ''),
  ];
  await page.evaluate(() => { document.querySelector('[role=table][aria-label=Flows]')!.parentElement!.scrollTop = 0; });
  await sleep(1_000);
  lines.push(scrollLine('scroll at reading pace (3 rows a frame)', await scrollMeasured(page, 3 * ROW_HEIGHT, Number(values['read-seconds']))));
  await page.evaluate(() => { document.querySelector('[role=table][aria-label=Flows]')!.parentElement!.scrollTop = 0; });
  await sleep(1_000);
  const flingSeconds = Number(values['fling-seconds']);
  const fling = await scrollMeasured(page, Math.ceil((loaded.rows * ROW_HEIGHT) / (flingSeconds * 60)), flingSeconds * 3);
  lines.push(scrollLine(`fling through all ${fmt(loaded.rows)} rows`, fling));
  lines.push(`    (rows rendered at the end of the fling reach index ${fmt(fling.lastIndex)} of ${fmt(loaded.rows - 1)})`);
  await page.close();
  return lines;
}

interface MainThread { task: number; script: number; style: number; layout: number; events: number; now: number }

/** Main-thread time of `page` (CDP Performance.getMetrics, ms) and the live events it has received. */
async function mainThreadSampler(page: Page): Promise<() => Promise<MainThread>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    const state = await page.evaluate(() => ({ events: (window as unknown as BenchWindow).__liveEvents, now: performance.now() }));
    return { task: ms('TaskDuration'), script: ms('ScriptDuration'), style: ms('RecalcStyleDuration'), layout: ms('LayoutDuration'), ...state };
  };
}

/** The page's main-thread time over `seconds` once it is up: before and after, and the long tasks between. */
async function observe(page: Page, seconds: number) {
  const sample = await mainThreadSampler(page);
  const before = await sample();
  await sleep(seconds * 1000);
  const after = await sample();
  const tasks = await page.evaluate(([t0, t1]) => (window as unknown as BenchWindow).__longTasks.filter(([s]) => s >= t0 && s <= t1), [before.now, after.now]);
  return { before, after, wallMs: after.now - before.now, longTasks: tasks.length, longTaskMs: tasks.reduce((s, [, d]) => s + d, 0) };
}

/**
 * Live on (/flows?live=1) for --live-seconds, then the same view with Live off for a third of that as
 * the baseline: the page's own idle work (status polling, timers) is subtracted before dividing by
 * the updates received.
 */
async function measureLive(browser: Browser, base: string): Promise<string[]> {
  const seconds = Number(values['live-seconds']);
  const page = await newPage(browser);
  await page.goto(`${base}/flows?since=5m&limit=1000&live=1`);
  await page.getByRole('region', { name: 'Live tail' }).getByRole('status').filter({ hasText: 'Streaming new flows.' }).waitFor({ timeout: 120_000 });
  await sleep(2_000);
  const live = await observe(page, seconds);
  const liveText = (await page.getByText(/flows? \(.* live\), newest first/).textContent().catch(() => ''))?.replace(/\.\s.*$/, '');
  await page.close();
  const idlePage = await newPage(browser);
  await idlePage.goto(`${base}/flows?since=5m&limit=1000`);
  await idlePage.getByRole('table', { name: 'Flows' }).waitFor({ timeout: 120_000 });
  await sleep(2_000);
  const idle = await observe(idlePage, Math.max(5, seconds / 3));
  await idlePage.close();
  const events = live.after.events - live.before.events;
  const idlePerMs = (idle.after.task - idle.before.task) / idle.wallMs;
  const spent = (k: 'task' | 'script' | 'style' | 'layout') => live.after[k] - live.before[k];
  const perUpdate = (spent('task') - idlePerMs * live.wallMs) / Math.max(1, events);
  const part = (k: 'script' | 'style' | 'layout') => (spent(k) / Math.max(1, events)).toFixed(1);
  const rate = events / (live.wallMs / 1000);
  return [
    `  live tail: ${events} updates in ${(live.wallMs / 1000).toFixed(0)} s (${rate.toFixed(1)}/s) while the demo ingests; table at the end: ${liveText}`,
    `    main-thread time per update ${perUpdate.toFixed(1)} ms net of the idle page (${(idlePerMs * 1000).toFixed(0)} ms/s with Live off);`
    + ` of it script ${part('script')}, style ${part('style')}, layout ${part('layout')} ms, the rest paint, parsing and other renderer work`,
    `    main thread busy ${((spent('task') / live.wallMs) * 100).toFixed(1)}% of the time with Live on; long tasks (> 50 ms) ${live.longTasks}, ${fmt(live.longTaskMs)} ms in all`,
    `    (one 60 Hz frame is 16.7 ms: ${perUpdate <= 16.7 ? 'an update fits in one frame' : `an update takes ${(perUpdate / 16.7).toFixed(1)} frames of main-thread time`},`
    + ` and ${rate.toFixed(1)} updates/s leave ${(100 - (perUpdate * rate) / 10).toFixed(0)}% of the main thread for scrolling and input)`,
  ];
}

async function main() {
  const started = values.url ? undefined : await startDashboard(values.port!);
  const base = values.url ?? started!.url;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    out(`flows browser benchmark: ${base}/flows in Chromium ${browser.version()}, viewport ${VIEWPORT.width}x${VIEWPORT.height}; load average ${load()}`);
    const only = new Set(values.only!.split(','));
    const lines: string[] = [];
    if (only.has('scroll')) lines.push(...await measureScroll(browser, base));
    if (only.has('live')) lines.push(...await measureLive(browser, base));
    out(lines.join('\n'));
    out(`  load average at end: ${load()}`);
  } finally {
    await browser.close();
    if (started?.child.pid) process.kill(-started.child.pid, 'SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`flows browser benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
