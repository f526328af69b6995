/**
 * End-to-end ingest benchmark: a relay at a fixed rate in a separate process → the real
 * collector (server/ingest/collector.ts: batching, write queue, FlowWriter) → PostgreSQL.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/ingest.ts [--seconds 60] [--rate 30000] [--port 4398]
 *       [--relay replay|demo] [--pool 200000] [--receive-seconds 15] [--copy-rows 100000] [--copy-seconds 20] [--keep]
 *
 * The relay is bench/replay-relay.ts by default: the demo cluster's flows generated and encoded
 * once, replayed with a fresh time and uuid each (about 2 µs of CPU a flow), so that the numbers are the
 * collector's and PostgreSQL's. `--relay demo` runs `hubble-dashboard demo` instead, which
 * simulates every flow (about 15 µs each) on the same two cores.
 *
 * Everything runs in a fresh schema of the configured database, dropped at the end (--keep leaves
 * it). Measured in the same run, in this order so the collector's RSS is not inflated by the rest:
 *   1. end to end for --seconds: rows committed / time, p99 of the flow write transactions (and how
 *      busy the writer was), peak RSS, the collector's event-loop delay (a stall longer than the
 *      relay's buffer lasts is where lost events come from);
 *   2. the limits: the client's receive-only rate (like bench/receive.ts) and a raw COPY of
 *      pre-built rows, in batches of the collector's size, into a scratch table shaped like flows,
 *      repeated for --copy-seconds so that it meets the checkpoints a sustained write meets.
 * Prints PASS/FAIL per target; exits 0 either way (benchmarks report, they do not gate).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { createDemoTraffic } from '../server/demo/traffic';
import { RelayClient } from '../server/hubble/relay-client';
import { startCollector } from '../server/ingest/collector';
import { setLogLevel } from '../server/log/logger';
import { copyData, copyRow, type CopyData } from '../server/store/copy-binary';
import type { Db } from '../server/store/db';
import { FLOW_COLUMNS, FLOW_COPY_COLUMNS, flowToRow } from '../server/store/flow-row';
import { serverHasLz4, USE_LZ4 } from '../server/store/flow-writer';
import { openDb } from '../server/store/open-db';
import { createPartitionManager } from '../server/store/partitions';
import { scratchSchema } from './bench-db';
import { percentile } from './bench-stats';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '30000' }, port: { type: 'string', default: '4398' },
    relay: { type: 'string', default: 'replay' }, pool: { type: 'string', default: '200000' },
    'receive-seconds': { type: 'string', default: '15' }, 'copy-rows': { type: 'string', default: '100000' }, 'copy-seconds': { type: 'string', default: '20' }, keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const address = `127.0.0.1:${values.port}`;
if (values.relay !== 'replay' && values.relay !== 'demo') throw new Error(`--relay ${values.relay}: expected replay or demo`);
const BATCH = 5_000; // rows per COPY of the raw limit: about what the collector's batches hold at these rates
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Db with every flow-writing transaction (the ones that COPY) timed, and the rest of the database time summed. */
function timedDb(db: Db, onWrite: (ms: number) => void, onOther: (ms: number) => void): Db {
  return {
    ...db,
    async query(sql, params) {
      const started = performance.now();
      try {
        return await db.query(sql, params);
      } finally {
        onOther(performance.now() - started);
      }
    },
    async transaction(fn) {
      const started = performance.now();
      let copied = false;
      const result = await db.transaction((tx) => fn({
        query: (sql, params) => tx.query(sql, params),
        copyFrom: (table, columns, data) => {
          copied = true;
          return tx.copyFrom(table, columns, data);
        },
      }));
      if (copied) onWrite(performance.now() - started);
      else onOther(performance.now() - started);
      return result;
    },
  };
}

async function waitForServer(client: RelayClient): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      await client.serverStatus();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`demo server on ${address} did not come up`);
}

async function countFlows(db: Db): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
  return n;
}

async function endToEnd(db: Db) {
  const writesMs: number[] = [];
  let otherDbMs = 0;
  const client = new RelayClient({ address });
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakRssMb = baseRssMb;
  let peakHeapMb = 0;
  let lost = 0;
  const cpuBefore = process.cpuUsage();
  // A collector that stops reading for longer than the relay's buffer lasts loses flows: show its stalls.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRssMb = Math.max(peakRssMb, m.rss / 2 ** 20);
    peakHeapMb = Math.max(peakHeapMb, m.heapUsed / 2 ** 20);
  }, 100);
  const collector = startCollector({
    client, relayLabel: address, relayKey: 'bench', demo: false, db: timedDb(db, (ms) => writesMs.push(ms), (ms) => void (otherDbMs += ms)),
    partitions: createPartitionManager(db),
    onResponse: (r) => void (lost += Number(r.lost_events?.num_events_lost ?? 0)),
  });
  const started = performance.now();
  const progress = setInterval(() => {
    void countFlows(db).then((n) => process.stdout.write(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${fmt(n)} flows stored\n`));
  }, 10_000);
  await sleep(seconds * 1000);
  clearInterval(progress);
  const stored = await countFlows(db);
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPct = ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100;
  loopDelay.disable();
  await collector.stop();
  clearInterval(sampler);
  client.close();
  writesMs.sort((a, b) => a - b);
  return { flowsPerS: stored / elapsedS, stored, elapsedS, lost, writes: writesMs.length, p50Ms: percentile(writesMs, 50), p99Ms: percentile(writesMs, 99), peakRssMb, peakHeapMb, baseRssMb, cpuPct,
    loopP99Ms: loopDelay.percentile(99) / 1e6, loopMaxMs: loopDelay.max / 1e6,
    writeBusyS: writesMs.reduce((a, b) => a + b, 0) / 1000, otherDbS: otherDbMs / 1000 };
}

async function receiveOnly(): Promise<number> {
  const client = new RelayClient({ address });
  const abort = new AbortController();
  let flows = 0;
  const started = performance.now();
  const timer = setTimeout(() => abort.abort(), Number(values['receive-seconds']) * 1000);
  for await (const response of client.getFlows({ follow: true, number: 1 }, abort.signal)) if (response.flow) flows++;
  clearTimeout(timer);
  client.close();
  return flows / ((performance.now() - started) / 1000);
}

let copyStats = { rows: 0, seconds: 0 };

async function rawCopy(db: Db): Promise<number> {
  const rows = Number(values['copy-rows']);
  const traffic = createDemoTraffic({ seed: 2, rateFlowsPerS: 20_000 });
  const batches: CopyData[] = [];
  let tuples: Buffer[] = [];
  for (let k = Math.floor(Date.now() / 1000) - 3600; batches.length * BATCH + tuples.length < rows; k++) {
    for (const flow of traffic.flowsOfSecond(k)) {
      const row = flowToRow({ flow, node_name: flow.node_name, time: flow.time });
      if (row) tuples.push(copyRow(row, FLOW_COPY_COLUMNS));
      if (tuples.length === BATCH) {
        batches.push(copyData(tuples));
        tuples = [];
      }
    }
  }
  // Partitioned by day with a default partition, like flows: routing costs the same.
  await db.query(`CREATE TABLE copy_scratch (LIKE flows INCLUDING ALL) PARTITION BY RANGE (time);
    CREATE TABLE copy_scratch_default PARTITION OF copy_scratch DEFAULT;
    CREATE TABLE copy_scratch_today PARTITION OF copy_scratch FOR VALUES FROM (now() - interval '1 day') TO (now() + interval '1 day')`);
  // Compressed the way the collector's writer compresses them (flow-writer.ts: lz4 where the server has it).
  const lz4 = await serverHasLz4(db);
  // Passes over the same rows until --copy-seconds of COPY: a short burst fits in shared buffers and
  // between checkpoints, a sustained one pays for both the way the collector's writes do.
  let copyMs = 0;
  let copied = 0;
  do {
    if (copied > 0) await db.query('TRUNCATE copy_scratch');
    const started = performance.now();
    for (const data of batches) {
      await db.transaction(async (tx) => {
        if (lz4) await tx.query(USE_LZ4);
        await tx.copyFrom('copy_scratch', FLOW_COLUMNS, data);
      });
    }
    copyMs += performance.now() - started;
    copied += batches.length * BATCH;
  } while (copyMs < Number(values['copy-seconds']) * 1000);
  copyStats = { rows: copied, seconds: copyMs / 1000 };
  const rate = copied / (copyMs / 1000);
  await db.query('DROP TABLE copy_scratch');
  return rate;
}

interface RelayStats { sent: number; lost: number; cpuS: number; cpuUsPerFlow: number | null }

/** The relay process; stop() ends it and resolves with what the replay relay reports on SIGTERM. */
function startRelay(): { description: string; stop(): Promise<RelayStats | undefined> } {
  const args = values.relay === 'replay'
    ? ['--import', 'tsx', 'bench/replay-relay.ts', '--listen', address, '--rate', String(values.rate), '--pool', String(values.pool)]
    : ['bin/hubble-dashboard.mjs', 'demo', '--listen', address, '--rate', String(values.rate)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<RelayStats | undefined> | undefined;
  const description = values.relay === 'replay'
    ? `replay relay (bench/replay-relay.ts: ${values.pool} demo flows encoded once, new time and uuid per flow) at ${values.rate} flows/s`
    : `demo relay (hubble-dashboard demo, every flow simulated) at ${values.rate} flows/s`;
  return {
    description,
    stop: () => (stopping ??= (async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      const last = output.trim().split('\n').pop() ?? '';
      return last.startsWith('{') ? (JSON.parse(last) as RelayStats) : undefined;
    })()),
  };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const base = loadConfig().databaseUrl;
  if (!base) throw new Error('DATABASE_URL is required: the ingest benchmark measures PostgreSQL');
  const scratch = await scratchSchema(base, 'bench_ingest');
  const { schema } = scratch;
  const server = startRelay();
  const db = await openDb({ databaseUrl: scratch.url, dataDir: '' }, { maxConnections: 4 });
  try {
    const probe = new RelayClient({ address });
    await waitForServer(probe);
    probe.close();
    const loadBefore = loadavg()[0];
    process.stdout.write(`ingest benchmark: ${server.description} in a separate process → collector → PostgreSQL (schema ${schema}), ${seconds} s, load average ${loadBefore.toFixed(1)}\n`);
    const e2e = await endToEnd(db);
    const receive = await receiveOnly();
    const copy = await rawCopy(db);
    const limit = Math.min(receive, copy);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    process.stdout.write([
      `  stored end to end:            ${fmt(e2e.flowsPerS)} flows/s (${fmt(e2e.stored)} rows in ${e2e.elapsedS.toFixed(1)} s; lost events reported by the server: ${fmt(e2e.lost)})`,
      `  flow write transactions:      ${fmt(e2e.writes)}, p50 ${e2e.p50Ms.toFixed(0)} ms, p99 ${e2e.p99Ms.toFixed(0)} ms, ${fmt(e2e.stored / Math.max(1, e2e.writes))} rows each; busy ${e2e.writeBusyS.toFixed(1)} s, other statements ${e2e.otherDbS.toFixed(1)} s`,
      `  collector process peak RSS:   ${e2e.peakRssMb.toFixed(0)} MiB (${e2e.baseRssMb.toFixed(0)} MiB before it started; peak JS heap ${e2e.peakHeapMb.toFixed(0)} MiB), CPU ${e2e.cpuPct.toFixed(0)}% of one core`,
      `  collector event loop delay:   p99 ${e2e.loopP99Ms.toFixed(0)} ms, max ${e2e.loopMaxMs.toFixed(0)} ms`,
      `  limit: client receive only:   ${fmt(receive)} flows/s (from the same relay)`,
      `  limit: raw COPY, prebuilt:    ${fmt(copy)} rows/s (${fmt(copyStats.rows)} rows in ${copyStats.seconds.toFixed(1)} s: passes over ${fmt(Number(values['copy-rows']))} prebuilt rows, ${fmt(BATCH)} per COPY)`,
      `  ${verdict(e2e.flowsPerS >= 30_000)} stored ≥ 30,000 flows/s: ${fmt(e2e.flowsPerS)}`,
      `  ${verdict(e2e.flowsPerS >= 0.6 * limit)} stored ≥ 60% of the lower limit (${fmt(limit)}): ${((e2e.flowsPerS / limit) * 100).toFixed(0)}%`,
      `  ${verdict(e2e.peakRssMb < 400)} peak RSS < 400 MiB: ${e2e.peakRssMb.toFixed(0)} MiB`,
      `  (the machine's load average went from ${loadBefore.toFixed(1)} to ${loadavg()[0].toFixed(1)}: other processes share these cores)`,
      '',
    ].join('\n'));
    const relayStats = await server.stop();
    if (relayStats) {
      process.stdout.write(`  relay process (${values.relay}):       ${fmt(relayStats.sent)} flows sent, ${fmt(relayStats.lost)} dropped as lost_events, ${relayStats.cpuS.toFixed(1)} s CPU = ${relayStats.cpuUsPerFlow?.toFixed(2)} µs per flow sent\n`);
    }
  } finally {
    await server.stop();
    await db.close();
    await scratch.drop(values.keep);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
