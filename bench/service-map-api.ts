/**
 * Service map API benchmark: the server work of GET /api/service-map against a filled PostgreSQL,
 * compared with issue #5's targets (10 M flows over 24 h: p95 ≤ 50 ms for a 1 h window, ≤ 150 ms
 * for 24 h).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubble_bench npx tsx bench/service-map-api.ts [--runs 30]
 *       [--at newest|now|<RFC 3339>] [--explain]
 *
 * Fill the database first (bench/fill.ts --flows 10000000 --hours 24 --drop-share 0.1). Read only:
 * nothing is written and no migration runs. `--at newest` (default) looks from just after the newest
 * stored minute. Each case is asked the way the map page asks it (the window plus the timeline the
 * page shows under it: the last hour for live, four times a pinned window), measured twice:
 *   - store: readServiceMap (parse done once), its statements timed one by one;
 *   - route: the GET handler in this process, from the Request to the serialized JSON body.
 * Then a filter the rollups cannot answer over long windows, counted from raw flows an hour at a
 * time: asked the way the page asks (again while the answer is 503 with progress), cold (no hour
 * cached) and warm (the ended hours cached).
 * Prints p50/p95/max next to the target; exits 0 either way (benchmarks report, they do not gate).
 */
import { parseArgs } from 'node:util';
import { parseServiceMapQuery, serviceMapUrl, type ServiceMapUrlParams } from '../lib/api/service-map';
import { loadConfig } from '../server/config';
import { setLogLevel } from '../server/log/logger';
import type { Db } from '../server/store/db';
import { openPgDb } from '../server/store/pg-db';
import { readServiceMap, ServiceMapRefusal } from '../server/store/service-map';
import { forgetRawAggregations } from '../server/store/service-map-raw';
import { registerSharedDb } from '../server/store/shared-db';
import { GET } from '../app/api/service-map/route';
import { recordingDb, benchMoment, type TimedStatement } from './bench-db';
import { percentile } from './bench-stats';

const WARMUP_RUNS = 3;
const HOUR_MS = 3_600_000;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '30' }, at: { type: 'string', default: 'newest' }, explain: { type: 'boolean', default: false } },
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const iso = (ms: number) => new Date(ms).toISOString();

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
};

interface Case { name: string; targetMs?: number; url: ServiceMapUrlParams }

function cases(atMs: number): Case[] {
  const pinned = (hours: number, timelineHours: number): ServiceMapUrlParams => ({
    since: iso(atMs - hours * HOUR_MS), until: iso(atMs), timelineSince: iso(atMs - timelineHours * HOUR_MS), timelineUntil: iso(atMs),
  });
  return [
    { name: 'live: 5 min, timeline 1 h', url: { since: iso(atMs - 5 * 60_000), until: iso(atMs), timelineSince: iso(atMs - HOUR_MS), timelineUntil: iso(atMs) } },
    { name: '1 h window, timeline 4 h', targetMs: 50, url: pinned(1, 4) },
    { name: '1 h window, no wider timeline', targetMs: 50, url: pinned(1, 1) },
    { name: '24 h window, timeline 96 h', targetMs: 150, url: pinned(24, 96) },
    { name: '24 h window, no wider timeline', targetMs: 150, url: pinned(24, 24) },
    { name: '24 h, --namespace shop, noise hidden', targetMs: 150, url: { ...pinned(24, 24), q: '--namespace shop', hide: ['host', 'kube-dns', 'remote-node', 'monitoring'] } },
    // Diagnostic: the same day without the DROPPED rows, most of which sit on their own ephemeral port.
    { name: '24 h, --verdict FORWARDED (no drop rows)', targetMs: 150, url: { ...pinned(24, 24), q: '--verdict FORWARDED' } },
    { name: 'live, raw fallback: --from-namespace shop', url: { since: iso(atMs - 5 * 60_000), until: iso(atMs), q: '--from-namespace shop' } },
  ];
}

const label = (sql: string) => (/FROM flows/.test(sql) ? 'raw flows' : /GROUP BY bucket/.test(sql) ? 'timeline' : 'edges');

async function measure(db: Db, c: Case, atMs: number, runs: number): Promise<void> {
  const url = serviceMapUrl(c.url);
  const parsed = parseServiceMapQuery(new URLSearchParams(url.split('?')[1]), atMs);
  if (!parsed.ok) throw new Error(`${c.name}: ${parsed.error}`);
  const log: TimedStatement[] = [];
  const recording = recordingDb(db, log);
  for (let i = 0; i < WARMUP_RUNS; i++) await readServiceMap(recording, parsed.query, { nowMs: atMs });
  log.length = 0;
  const store: number[] = [];
  let shape = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const map = await readServiceMap(recording, parsed.query, { nowMs: atMs });
    store.push(performance.now() - started);
    shape = `${map.nodes.length} nodes, ${map.edges.length} edges, ${fmt(map.edges.reduce((n, e) => n + e.flows, 0))} flows, ${map.timeline.length} timeline points (${map.resolution})`;
  }
  const route: number[] = [];
  for (let i = 0; i < runs + WARMUP_RUNS; i++) {
    const started = performance.now();
    const res = await GET(new Request(`http://localhost${url}`));
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${c.name}: route answered ${res.status}: ${body}`);
    if (i >= WARMUP_RUNS) route.push(performance.now() - started);
  }
  const s = stats(store);
  const r = stats(route);
  const target = c.targetMs === undefined ? '' : ` ${r.p95 <= c.targetMs && s.p95 <= c.targetMs ? 'PASS' : 'FAIL'} p95 ≤ ${c.targetMs} ms`;
  out(`\n  ${c.name}: ${shape}`);
  out(`    store p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms | route p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms${target}`);
  for (const name of ['edges', 'timeline', 'raw flows']) {
    const ms = log.filter((l) => label(l.sql) === name).map((l) => l.ms);
    if (ms.length) out(`    statement ${name}: p50 ${stats(ms).p50.toFixed(1)} ms, p95 ${stats(ms).p95.toFixed(1)} ms`);
  }
  if (values.explain) {
    for (const l of log.slice(0, 2)) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${l.sql}`, l.params);
      out(`\n    --- ${label(l.sql)}\n${plan.map((p) => `    ${p['QUERY PLAN']}`).join('\n')}`);
    }
  }
}

/** Asks until the answer comes, as the page does while a 503 carries progress; returns the asks and the map. */
async function askUntilAnswered(db: Db, query: ReturnType<typeof parseQuery>, atMs: number) {
  for (let asks = 1; ; asks++) {
    try {
      return { asks, map: await readServiceMap(db, query, { nowMs: atMs }) };
    } catch (err) {
      if (!(err instanceof ServiceMapRefusal && err.progress)) throw err;
      out(`    ask ${asks}: ${err.progress.done}/${err.progress.total} parts counted`);
    }
  }
}

function parseQuery(url: ServiceMapUrlParams, atMs: number) {
  const parsed = parseServiceMapQuery(new URLSearchParams(serviceMapUrl(url).split('?')[1]), atMs);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
}

async function measureRawLong(db: Db, atMs: number, q: string, hours: number): Promise<void> {
  const query = parseQuery({ q, since: iso(atMs - hours * HOUR_MS), until: iso(atMs) }, atMs);
  forgetRawAggregations();
  out(`\n  raw flows, ${hours} h window, ${q}:`);
  const started = performance.now();
  const { asks, map } = await askUntilAnswered(db, query, atMs);
  const coldMs = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await askUntilAnswered(db, query, atMs);
    warm.push(performance.now() - t0);
  }
  out(`    ${map.nodes.length} nodes, ${map.edges.length} edges, ${fmt(map.edges.reduce((n, e) => n + e.flows, 0))} flows`);
  out(`    cold: ${(coldMs / 1000).toFixed(1)} s in ${asks} ask(s) of at most 30 s | warm (ended hours cached): p50 ${stats(warm).p50.toFixed(0)} ms, max ${stats(warm).max.toFixed(0)} ms`);
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('set DATABASE_URL to the filled PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/hubble_bench)');
  const db = openPgDb({ connectionString: config.databaseUrl, maxConnections: 10 });
  const unregister = registerSharedDb(db);
  try {
    const atMs = await benchMoment(db, values.at!);
    const runs = Number(values.runs);
    const [d] = await db.query<{ flows: number; rows: number; hours: number; dropped: number }>(
      `SELECT coalesce(sum(flows), 0)::float8 AS flows, count(*)::float8 AS rows,
         (SELECT count(*) FROM edge_hour WHERE bucket >= $1 AND bucket < $2)::float8 AS hours,
         (SELECT count(*) FROM edge_hour WHERE bucket >= $1 AND bucket < $2 AND verdict = 2)::float8 AS dropped
       FROM edge_minute WHERE bucket >= $1 AND bucket < $2`, [new Date(atMs - 24 * HOUR_MS), new Date(atMs)]);
    out(`service map API benchmark: ${runs} runs per case after ${WARMUP_RUNS} warm-up runs, at ${iso(atMs)}`);
    out(`  data in the 24 h before: ${fmt(d.flows)} flows in ${fmt(d.rows)} edge_minute rows, ${fmt(d.hours)} edge_hour rows (${fmt(d.dropped)} of them DROPPED)`);
    for (const c of cases(atMs)) await measure(db, c, atMs, runs);
    await measureRawLong(db, atMs, '--to-port 8080', 6);
    await measureRawLong(db, atMs, '--to-port 8080', 24);
    await measureRawLong(db, atMs, '--label app=api', 24);
  } finally {
    unregister();
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`service map benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
