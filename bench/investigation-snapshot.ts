/**
 * Investigation snapshot benchmark: how long creating an investigation takes when it copies
 * 50,000 flows (the cap) out of a large `flows` table. Target: ≤ 2 s.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubble_bench npx tsx bench/investigation-snapshot.ts
 *       [--runs 7] [--q '<hubble observe flags>' --window 6h] [--no-count]
 *
 * Reads the `flows` of the configured database (filled by bench/fill.ts) and writes nothing to it:
 * the investigation tables are created in a scratch schema placed first on the search path (so
 * `flows` still resolves to the filled one), every investigation is deleted after its run, and the
 * schema is dropped at the end. Each scenario's window ends at the newest stored flow. Per
 * scenario: one warm-up run, then --runs timed creates (p50, p95, max against 2 s), the delete
 * time, and once the background count of every match that a truncated snapshot triggers.
 * Prints PASS/FAIL per scenario; exits 0 either way (benchmarks report, they do not gate).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseInvestigationCreate } from '../lib/api/investigations';
import { resolveObserveTime } from '../lib/time/observe-time';
import { loadConfig } from '../server/config';
import { setLogLevel } from '../server/log/logger';
import { projectRoot } from '../server/project-root';
import type { Db } from '../server/store/db';
import { countInvestigationMatches, createInvestigation, deleteInvestigation, previewInvestigation } from '../server/store/investigations';
import { openPgDb } from '../server/store/pg-db';
import { scratchSchema } from './bench-db';
import { percentile } from './bench-stats';

const TARGET_MS = 2_000;
const MIGRATION = join(projectRoot, 'prisma', 'migrations', '20261126130000_investigations', 'migration.sql');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const out = (line: string) => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' }, q: { type: 'string' }, window: { type: 'string', default: '6h' },
    'no-count': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);

interface Scenario { name: string; q: string; window: string }

const SCENARIOS: Scenario[] = values.q !== undefined
  ? [{ name: 'custom', q: values.q, window: values.window }]
  : [
    { name: 'every flow of the last hour', q: '', window: '1h' },
    { name: 'drops of the last 24 h', q: '--verdict DROPPED', window: '24h' },
    { name: 'one namespace, last 6 h', q: '--namespace shop', window: '6h' },
  ];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

async function runScenario(db: Db, s: Scenario, untilText: string): Promise<void> {
  const untilMs = Date.parse(untilText);
  const since = resolveObserveTime(s.window, untilMs);
  const parsed = parseInvestigationCreate({ kind: 'flows', title: `bench: ${s.name}`, q: s.q, since, until: untilText }, untilMs);
  if (!parsed.ok) throw new Error(`${s.name}: ${parsed.error}`);
  const draft = parsed.value;
  const [preview, previewMs] = await timed(() => previewInvestigation(db, draft));
  out(`  ${s.name} (hubble observe ${draft.q}${draft.q ? ' ' : ''}--since ${draft.since} --until ${draft.until})`);
  out(`    matching: ${preview.capped ? `more than ${fmt(preview.cap)}` : fmt(preview.matching)} (preview count ${fmt(previewMs)} ms)`);
  const createMs: number[] = [];
  const deleteMs: number[] = [];
  let copied = 0;
  let countMs: number | undefined;
  let counted: number | undefined;
  for (let i = 0; i <= runs; i++) {
    const [inv, ms] = await timed(() => createInvestigation(db, draft, { nowMs: Date.now() }));
    copied = inv.flowCount;
    try {
      if (i > 0) createMs.push(ms);
      if (i === 1 && inv.truncated && !values['no-count']) [counted, countMs] = await timed(() => countInvestigationMatches(db, inv.id));
    } finally {
      const [, delMs] = await timed(() => deleteInvestigation(db, inv.id));
      if (i > 0) deleteMs.push(delMs);
    }
  }
  const sorted = [...createMs].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  out(`    create (copies ${fmt(copied)} flows): p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(p95)} ms, max ${fmt(sorted.at(-1)!)} ms over ${runs} runs; delete p50 ${fmt(percentile([...deleteMs].sort((a, b) => a - b), 50))} ms`);
  if (countMs !== undefined) out(`    background count of every match: ${fmt(counted ?? 0)} flows in ${fmt(countMs)} ms (after the create has answered)`);
  const verdict = copied < preview.cap ? 'n/a (fewer flows than the cap match)' : p95 <= TARGET_MS ? 'PASS' : 'FAIL';
  out(`    ${verdict} create copying ${fmt(preview.cap)} flows ≤ ${fmt(TARGET_MS)} ms at p95: ${fmt(p95)} ms`);
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new Error('DATABASE_URL is required: the benchmark reads a filled PostgreSQL (bench/fill.ts)');
  const scratch = await scratchSchema(databaseUrl, 'bench_investigations', { readFromUrlSchema: true });
  const { schema } = scratch;
  let db: Db | undefined;
  try {
    db = openPgDb({ connectionString: scratch.url, maxConnections: 2 });
    await db.query(readFileSync(MIGRATION, 'utf8'));
    const [newest] = await db.query<{ t: string | null }>(
      `SELECT to_char(max(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t FROM flows`,
    );
    if (!newest.t) throw new Error('no flows stored: fill the database first (bench/fill.ts)');
    const [{ total }] = await db.query<{ total: number }>('SELECT sum(c.reltuples)::bigint AS total FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = \'flows\'::regclass');
    out(`investigation snapshot benchmark: about ${fmt(Number(total))} flows stored (planner estimate), newest ${newest.t}; scratch schema ${schema}; cap 50,000`);
    for (const s of SCENARIOS) await runScenario(db, s, newest.t);
  } finally {
    await db?.close();
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`investigation snapshot benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
