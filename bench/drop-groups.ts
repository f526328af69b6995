/**
 * Drop inbox benchmark: readDropGroups (what GET /api/drops runs) against a filled database, N times
 * per case, timed end to end from this process (query, transfer, row mapping):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubble_bench npx tsx bench/drop-groups.ts [--runs 30] [--warmup 3]
 *       [--until <RFC 3339>]
 *
 * Fill the database first (bench/fill.ts --flows 10000000 --hours 24 --drop-share 0.1). The window
 * ends at --until, by default at the end of the newest minute in the rollups, so the 24 h case
 * covers the whole fill however long ago it ran. Read-only: nothing is written.
 *
 * Target (issue #6): with 10 million flows over 24 h, 1 million of them DROPPED, drop groups over
 * 24 h answer with p95 ≤ 300 ms. The 1 h cases, novelty sorting, a raw-flow filter and a group's
 * page are measured alongside for reference, and so is the cold start: the inbox keeps per-bucket
 * slices in memory (server/store/drop-slice-cache.ts), so a refresh reads only the newest minutes.
 * Besides wall time it prints this process's CPU time per request, which the machine's other load
 * inflates far less. Prints PASS/FAIL; exits 0 either way.
 */
import { parseArgs } from 'node:util';
import type { DropSort } from '../lib/api/drops';
import { parseObserveArgs } from '../lib/filter/observe-args';
import { splitShellWords } from '../lib/api/shell-words';
import { setLogLevel } from '../server/log/logger';
import type { Db } from '../server/store/db';
import { readDropGroupDetail } from '../server/store/drop-group-detail';
import { readDropGroups, type DropGroupsRequest } from '../server/store/drop-groups';
import { DropSliceCache } from '../server/store/drop-slice-cache';
import { openPgDb } from '../server/store/pg-db';
import { percentile } from './bench-stats';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '30' }, warmup: { type: 'string', default: '3' }, until: { type: 'string' } },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const TARGET_P95_MS = 300;
const HOUR_MS = 3_600_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Case {
  name: string;
  hours: number;
  sort: DropSort;
  q: string;
  target?: boolean;
}

const CASES: Case[] = [
  { name: 'drop groups, 24 h, by count', hours: 24, sort: 'count', q: '', target: true },
  { name: 'drop groups, 24 h, by novelty', hours: 24, sort: 'novelty', q: '', target: true },
  { name: 'drop groups, 24 h, --namespace shop', hours: 24, sort: 'count', q: '--namespace shop', target: true },
  { name: 'drop groups, 1 h, by count', hours: 1, sort: 'count', q: '' },
  { name: 'drop groups, 1 h, --to-port 8080 (raw flows)', hours: 1, sort: 'count', q: '--to-port 8080' },
];

interface Timing { p50: number; p95: number; max: number; cpuP50: number; cpuP95: number }

/** Wall time, and this process's CPU time (what the machine's other load does not inflate much). */
async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(cpuStart);
    ms.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1], cpuP50: percentile(cpu, 50), cpuP95: percentile(cpu, 95) };
}

const timingText = (t: Timing) => `p50 ${t.p50.toFixed(0).padStart(5)} ms  p95 ${t.p95.toFixed(0).padStart(5)} ms  max ${t.max.toFixed(0).padStart(5)} ms  `
  + `(node CPU p50 ${t.cpuP50.toFixed(0)} / p95 ${t.cpuP95.toFixed(0)} ms)`;

async function windowEnd(db: Db): Promise<number> {
  if (values.until) return Date.parse(values.until);
  const [row] = await db.query<{ ms: number | null }>('SELECT extract(epoch FROM max(bucket))::float8 * 1000 AS ms FROM edge_minute');
  if (row?.ms == null) throw new Error('the rollups are empty: fill the database first (bench/fill.ts)');
  return Number(row.ms) + 60_000;
}

async function volume(db: Db, sinceMs: number, untilMs: number): Promise<{ flows: number; drops: number }> {
  const [row] = await db.query<{ flows: number; drops: number }>(
    `SELECT coalesce(sum(flows), 0)::float8 AS flows, coalesce(sum(flows) FILTER (WHERE verdict = 2), 0)::float8 AS drops
     FROM edge_hour WHERE bucket >= $1 AND bucket < $2`,
    [new Date(sinceMs), new Date(untilMs)],
  );
  return { flows: Number(row.flows), drops: Number(row.drops) };
}

function requestOf(c: Case, untilMs: number): DropGroupsRequest {
  return {
    filters: parseObserveArgs(splitShellWords(c.q)).filters, since: new Date(untilMs - c.hours * HOUR_MS).toISOString(),
    until: new Date(untilMs).toISOString(), sort: c.sort, limit: 100,
  };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the filled benchmark database (postgres://postgres@127.0.0.1:5432/hubble_bench)');
  setLogLevel('warn');
  const db = openPgDb({ connectionString: url, maxConnections: 2 });
  try {
    const untilMs = await windowEnd(db);
    const v = await volume(db, untilMs - 24 * HOUR_MS, untilMs);
    process.stdout.write(`drop groups benchmark: ${fmt(v.flows)} flows in the 24 h before ${new Date(untilMs).toISOString()}, ${fmt(v.drops)} DROPPED; `
      + `${runs} runs per case after ${warmup} warm-up runs\n`);
    const lines: string[] = [];
    const cache = new DropSliceCache();
    const cold = performance.now();
    await readDropGroups(db, requestOf(CASES[0], untilMs), cache);
    lines.push(`  ${'cold start (empty slice cache), 24 h'.padEnd(48)} ${(performance.now() - cold).toFixed(0)} ms once (reference: slices are read once, then reused)`);
    let firstKey;
    for (const c of CASES) {
      const request = requestOf(c, untilMs);
      const sample = await readDropGroups(db, request, cache);
      firstKey ??= sample.groups[0]?.key;
      const t = await timed(() => readDropGroups(db, request, cache));
      const verdict = c.target ? `${t.p95 <= TARGET_P95_MS ? 'PASS' : 'FAIL'} p95 ≤ ${TARGET_P95_MS} ms` : '(reference)';
      lines.push(`  ${c.name.padEnd(48)} ${timingText(t)}  ${fmt(sample.totalGroups)} groups, ${fmt(sample.totalDrops)} drops, `
        + `from ${sample.source}  ${verdict}`);
    }
    if (firstKey) {
      const key = firstKey;
      const t = await timed(() => readDropGroupDetail(db, { key, since: new Date(untilMs - 24 * HOUR_MS).toISOString(), until: new Date(untilMs).toISOString(), sampleLimit: 50 }));
      lines.push(`  ${'a group\'s page (largest group), 24 h'.padEnd(48)} ${timingText(t)}  (reference)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`drop groups benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
