/**
 * Triage benchmark: the server work of the triage page (readTriage, one store call) against a
 * filled PostgreSQL, compared with the 300 ms target of issue #6.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubble_bench npx tsx bench/triage.ts [--runs 30]
 *       [--at newest|now|<RFC 3339>] [--explain]
 *
 * Fill the database first (bench/fill.ts --flows 10000000 --hours 24 --drop-share 0.1). Read only:
 * nothing is written and no migration runs. `--at newest` (default) looks from just after the
 * newest stored minute, so a fill made an hour ago still puts its data in the windows; `now` uses
 * the clock. Every statement is timed; `--explain` prints each one's EXPLAIN (ANALYZE, BUFFERS).
 * The first call is reported on its own: it reads the whole day for the timeline, which later calls
 * (the page refreshes every 5 s) keep but for the newest buckets (server/store/triage-timeline.ts).
 * Prints p50/p95/max next to the target; exits 0 either way (benchmarks report, they do not gate).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { Verdict } from '../lib/flow/enums';
import { setLogLevel } from '../server/log/logger';
import type { Db } from '../server/store/db';
import { openPgDb } from '../server/store/pg-db';
import { readTriage } from '../server/store/triage';
import { recordingDb, benchMoment, type TimedStatement } from './bench-db';
import { percentile } from './bench-stats';

const TARGET_MS = 300;
const WARMUP_RUNS = 3;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' }, at: { type: 'string', default: 'newest' }, explain: { type: 'boolean', default: false },
  },
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A statement's first words, enough to tell the triage's queries apart in the report. */
function label(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const from = /FROM (\w+)/.exec(text)?.[1] ?? '?';
  return `${text.slice(0, 48)}… [${from}]`;
}

async function describeData(db: Db, atMs: number): Promise<void> {
  const since = new Date(atMs - 24 * 3_600_000);
  const [m] = await db.query<{ rows: number; flows: number; drops: number }>(
    `SELECT count(*)::float8 AS rows, coalesce(sum(flows), 0)::float8 AS flows, coalesce(sum(flows) FILTER (WHERE verdict = $3), 0)::float8 AS drops
     FROM edge_minute WHERE bucket >= $1 AND bucket < $2`, [since, new Date(atMs), Verdict.byName.get('DROPPED')!],
  );
  const [h] = await db.query<{ rows: number }>('SELECT count(*)::float8 AS rows FROM edge_hour WHERE bucket >= $1', [since]);
  out(`  data in the 24 h before ${new Date(atMs).toISOString()}: ${fmt(m.flows)} flows, ${fmt(m.drops)} DROPPED; `
    + `${fmt(m.rows)} edge_minute rows, ${fmt(h.rows)} edge_hour rows`);
}

async function explain(db: Db, statements: readonly TimedStatement[]): Promise<void> {
  for (const s of statements) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
    out(`\n--- ${label(s.sql)}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('set DATABASE_URL to the filled PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/hubble_bench)');
  const base = openPgDb({ connectionString: config.databaseUrl, maxConnections: 10 });
  try {
    const atMs = await benchMoment(base, values.at!);
    const runs = Number(values.runs);
    out(`triage benchmark: readTriage, ${runs} runs after ${WARMUP_RUNS} warm-up runs`);
    await describeData(base, atMs);
    const statements: TimedStatement[] = [];
    const db = recordingDb(base, statements);
    // The first call reads the whole day for the timeline; later ones only its newest buckets.
    const coldStarted = performance.now();
    await readTriage(db, { nowMs: atMs });
    const coldMs = performance.now() - coldStarted;
    for (let i = 1; i < WARMUP_RUNS; i++) await readTriage(db, { nowMs: atMs });
    statements.length = 0;
    const totals: number[] = [];
    let shape = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const triage = await readTriage(db, { nowMs: atMs });
      totals.push(performance.now() - started);
      shape = `${triage.dropRates.namespaces.length} namespaces, ${triage.newDropGroups.groups.length} new groups, `
        + `${triage.dropPairs.pairs.length} pairs, ${triage.health.gapCount} gaps, ${triage.timeline.points.length} timeline points`;
    }
    out(`  answer: ${shape}`);
    const byStatement = new Map<string, number[]>();
    for (const s of statements) byStatement.set(label(s.sql), [...(byStatement.get(label(s.sql)) ?? []), s.ms]);
    for (const [name, ms] of byStatement) {
      const sorted = [...ms].sort((a, b) => a - b);
      out(`  statement p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms, p95 ${percentile(sorted, 95).toFixed(1).padStart(7)} ms  ${name}`);
    }
    const sorted = [...totals].sort((a, b) => a - b);
    const [p50, p95, max] = [percentile(sorted, 50), percentile(sorted, 95), sorted.at(-1)!];
    out(`  first call (timeline read in full): ${coldMs.toFixed(0)} ms`);
    out(`  readTriage: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (statements run side by side on a pool of 10)`);
    out(`  ${p95 <= TARGET_MS ? 'PASS' : 'FAIL'} triage server work p95 ≤ ${TARGET_MS} ms: ${p95.toFixed(0)} ms`);
    if (values.explain) await explain(base, statements.slice(0, byStatement.size));
  } finally {
    await base.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`triage benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
