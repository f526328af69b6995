/**
 * Fills the configured PostgreSQL with demo flows for benchmarks of the read side:
 *
 *   DATABASE_URL=postgres://… npx tsx bench/fill.ts --flows 10000000 --hours 24 [--drop-share 0.1]
 *       [--seed 1] [--batch 25000] [--parallel 2] [--via copy|writer] [--truncate]
 *   DATABASE_URL=postgres://… npx tsx bench/fill.ts --rebuild-rollups
 *
 * N flows from the deterministic demo generator, spread evenly over the last H hours (exactly N:
 * each second takes an evenly spaced subset of a slightly faster generator's second). With
 * `--via copy` (default) rows go straight into `flows` by COPY in big batches, and the edge rollups
 * are built afterwards with one INSERT … SELECT … GROUP BY per hour; `--via writer` goes through
 * the collector's FlowWriter (dedupe, rollup upserts in every 5,000-flow batch) for comparison.
 * `--drop-share` turns that share of all flows into policy drops (counting the demo's own drops).
 * `--rebuild-rollups` writes no flow: it rebuilds the edge rollups of every stored flow, for a fill
 * that was interrupted while building them (a restarted database, say).
 */
import { parseArgs } from 'node:util';
import type { Flow, FlowsResponse } from '../lib/flow/flow';
import { loadConfig } from '../server/config';
import { createDemoTraffic } from '../server/demo/traffic';
import { setLogLevel } from '../server/log/logger';
import { copyData, copyRow, type CopyData } from '../server/store/copy-binary';
import { EDGE_KEY, EDGE_KEY_FROM_FLOWS } from '../server/store/edge-counts';
import type { Db } from '../server/store/db';
import { FLOW_COLUMNS, FLOW_COPY_COLUMNS, flowToRow } from '../server/store/flow-row';
import { createFlowWriter } from '../server/store/flow-writer';
import { openDb } from '../server/store/open-db';
import { createPartitionManager } from '../server/store/partitions';

const HOUR_MS = 3_600_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const out = (line: string) => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    flows: { type: 'string', default: '1000000' }, hours: { type: 'string', default: '24' },
    'drop-share': { type: 'string', default: '0' }, seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '25000' }, parallel: { type: 'string', default: '2' },
    via: { type: 'string', default: 'copy' }, truncate: { type: 'boolean', default: false },
    'rebuild-rollups': { type: 'boolean', default: false },
  },
});
const total = Number(values.flows);
const hours = Number(values.hours);
const dropShare = Number(values['drop-share']);
const batchRows = Number(values.batch);
const parallel = Number(values.parallel);
const via = values.via === 'writer' ? 'writer' : 'copy';
if (!(total > 0 && hours > 0 && dropShare >= 0 && dropShare <= 1 && batchRows > 0 && parallel > 0)) {
  throw new Error('expected --flows N > 0, --hours H > 0, --drop-share in [0, 1], --batch > 0, --parallel > 0');
}

/** A copy of a flow as a CiliumNetworkPolicy drop (generator flows share sub-objects: never mutate them). */
function asPolicyDrop(flow: Flow): Flow {
  const ingress = flow.traffic_direction !== 'EGRESS';
  const policy = (ingress ? flow.ingress_allowed_by : flow.egress_allowed_by)?.[0] ?? {
    name: 'bench-deny', namespace: (ingress ? flow.destination : flow.source)?.namespace ?? 'default', kind: 'CiliumNetworkPolicy',
  };
  const tcp = flow.l4?.TCP;
  return {
    ...flow, verdict: 'DROPPED', drop_reason: 133, drop_reason_desc: 'POLICY_DENIED', Type: 'L3_L4', l7: undefined,
    event_type: { type: 1, sub_type: 133 }, policy_match_type: undefined,
    l4: tcp ? { TCP: { ...tcp, flags: { SYN: true } } } : flow.l4, Summary: tcp ? 'TCP Flags: SYN' : flow.Summary,
    ingress_allowed_by: undefined, egress_allowed_by: undefined,
    ...(ingress ? { ingress_denied_by: [policy] } : { egress_denied_by: [policy] }),
  };
}

/** Yields the flows of each second of [startMs, endMs), N in all, with the drop share applied. */
function* flowsBySecond(startMs: number, endMs: number): Generator<Flow[]> {
  const seconds = (endMs - startMs) / 1000;
  const traffic = createDemoTraffic({ seed: Number(values.seed), rateFlowsPerS: Math.ceil((total / seconds) * 1.12) + 2 });
  let wanted = 0;
  let seen = 0;
  let drops = 0;
  for (let i = 0; i < seconds; i++) {
    wanted += Math.floor(((i + 1) * total) / seconds) - Math.floor((i * total) / seconds);
    const all = traffic.flowsOfSecond(startMs / 1000 + i);
    const n = Math.min(wanted, all.length);
    const picked = new Array<Flow>(n);
    for (let j = 0; j < n; j++) {
      let flow = all[Math.floor((j * all.length) / n)];
      seen++;
      if (flow.verdict === 'DROPPED') drops++;
      // Requests only: a dropped reply would read as a connection to the client's ephemeral port.
      else if (!flow.is_reply && drops < Math.round(dropShare * seen)) {
        flow = asPolicyDrop(flow);
        drops++;
      }
      picked[j] = flow;
    }
    wanted -= n;
    yield picked;
  }
}

const response = (flow: Flow): FlowsResponse => ({ flow, node_name: flow.node_name, time: flow.time });

/** Runs the producer's batches through `write` with up to `parallel` in flight; a failure stops the fill. */
async function pump<T>(batches: Iterable<T> | AsyncIterable<T>, write: (batch: T) => Promise<number>, onRows: (n: number) => void): Promise<number> {
  const inflight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  let waitedMs = 0;
  for await (const batch of batches) {
    const waitStart = performance.now();
    while (inflight.size >= parallel && !failure) await Promise.race(inflight);
    waitedMs += performance.now() - waitStart;
    if (failure) break;
    const p: Promise<void> = write(batch).then(onRows, (err: unknown) => void (failure = { err })).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  if (failure) throw failure.err;
  return waitedMs;
}

/** Lets the socket writes of the COPYs in flight go out while the next batch is built. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* copyBatches(startMs: number, endMs: number): AsyncGenerator<{ data: CopyData; rows: number }> {
  let tuples: Buffer[] = [];
  for (const flows of flowsBySecond(startMs, endMs)) {
    for (const flow of flows) {
      const row = flowToRow(response(flow));
      if (row) tuples.push(copyRow(row, FLOW_COPY_COLUMNS));
      if (tuples.length % 1000 === 0) await yieldToEventLoop();
    }
    if (tuples.length >= batchRows) {
      yield { data: copyData(tuples), rows: tuples.length };
      tuples = [];
    }
  }
  if (tuples.length) yield { data: copyData(tuples), rows: tuples.length };
}

async function* responseBatches(startMs: number, endMs: number): AsyncGenerator<FlowsResponse[]> {
  let batch: FlowsResponse[] = [];
  for (const flows of flowsBySecond(startMs, endMs)) {
    for (const flow of flows) batch.push(response(flow));
    if (batch.length >= 5_000) {
      await yieldToEventLoop();
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const upsert = (table: string) => `ON CONFLICT (bucket, ${EDGE_KEY}) DO UPDATE SET flows = ${table}.flows + excluded.flows RETURNING 1`;
// The same buckets and keys as the FlowWriter's rollups (server/store/flow-writer.ts).
const ROLLUP_SQL = `WITH per_minute AS (
    SELECT bucket, ${EDGE_KEY}, count(*) AS flows
    FROM (SELECT date_trunc('minute', time, 'UTC') AS bucket, ${EDGE_KEY_FROM_FLOWS} FROM flows WHERE time >= $1 AND time < $2) keyed
    GROUP BY bucket, ${EDGE_KEY}
  ), m AS (INSERT INTO edge_minute (bucket, ${EDGE_KEY}, flows) SELECT bucket, ${EDGE_KEY}, flows FROM per_minute ${upsert('edge_minute')}
  ), h AS (INSERT INTO edge_hour (bucket, ${EDGE_KEY}, flows)
    SELECT date_trunc('hour', bucket, 'UTC'), ${EDGE_KEY}, sum(flows) FROM per_minute GROUP BY 1, ${EDGE_KEY} ${upsert('edge_hour')})
  SELECT (SELECT count(*) FROM m)::int AS minute_rows, (SELECT count(*) FROM h)::int AS hour_rows`;

async function buildRollups(db: Db, startMs: number, endMs: number): Promise<{ minuteRows: number; hourRows: number }> {
  const chunks: Array<[number, number]> = [];
  for (let from = startMs; from < endMs; from = Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS) {
    chunks.push([from, Math.min(endMs, Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS)]);
  }
  const result = { minuteRows: 0, hourRows: 0 };
  await pump(chunks, async ([from, to]) => {
    const [r] = await db.query<{ minute_rows: number; hour_rows: number }>(ROLLUP_SQL, [new Date(from), new Date(to)]);
    result.minuteRows += r.minute_rows;
    result.hourRows += r.hour_rows;
    return 0;
  }, () => undefined);
  return result;
}

async function rebuildRollups(db: Db): Promise<void> {
  const [range] = await db.query<{ first: Date | null; last: Date | null }>('SELECT min(time) AS first, max(time) AS last FROM flows');
  if (!range.first || !range.last) throw new Error('flows is empty: nothing to build rollups from');
  const startMs = Math.floor(new Date(range.first).getTime() / HOUR_MS) * HOUR_MS;
  const endMs = new Date(range.last).getTime() + 1;
  await db.query('TRUNCATE edge_minute, edge_hour');
  const t0 = performance.now();
  const r = await buildRollups(db, startMs, endMs);
  await db.query('ANALYZE edge_minute, edge_hour');
  out(`edge rollups rebuilt from ${new Date(startMs).toISOString()}: ${fmt(r.minuteRows)} minute rows, ${fmt(r.hourRows)} hour rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function prepare(db: Db, startMs: number, endMs: number): Promise<void> {
  if (values.truncate) await db.query('TRUNCATE flows, edge_minute, edge_hour');
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM flows WHERE time >= $1 AND time < $2 LIMIT 1) x', [new Date(startMs), new Date(endMs)]);
  if (n > 0) throw new Error('flows already holds rows in this time range: use a fresh database or --truncate');
  const hoursMs: number[] = [];
  for (let t = startMs; t < endMs; t += HOUR_MS) hoursMs.push(t);
  await createPartitionManager(db).ensureFor([...hoursMs, endMs - 1]);
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required: fill writes to PostgreSQL and refuses the embedded PGlite');
  const db = await openDb(config, { maxConnections: parallel + 1 });
  if (values['rebuild-rollups']) return rebuildRollups(db).finally(() => db.close());
  const endMs = Math.floor(Date.now() / 1000) * 1000;
  const startMs = endMs - Math.round(hours * 3600) * 1000;
  try {
    await prepare(db, startMs, endMs);
    out(`fill: ${fmt(total)} flows over ${hours} h (${(total / (hours * 3600)).toFixed(1)} flows/s of demo time), drop share ${dropShare}, via ${via}, ${via === 'copy' ? `${fmt(batchRows)} rows per COPY` : '5,000 flows per write'}, ${parallel} in flight`);
    const started = performance.now();
    let done = 0;
    let lastPrint = started;
    const onRows = (n: number) => {
      done += n;
      const now = performance.now();
      if (now - lastPrint < 2_000) return;
      lastPrint = now;
      const rate = done / ((now - started) / 1000);
      out(`  ${fmt(done)} / ${fmt(total)} (${((done / total) * 100).toFixed(0)}%), ${fmt(rate)} rows/s, ETA ${fmt((total - done) / rate)} s`);
    };
    const waitedMs = via === 'copy'
      ? await pump(copyBatches(startMs, endMs), async (b) => (await db.transaction((tx) => tx.copyFrom('flows', FLOW_COLUMNS, b.data)), b.rows), onRows)
      : await pump(responseBatches(startMs, endMs), async (b) => (await createFlowWriter(db).write(b)).inserted, onRows);
    const loadS = (performance.now() - started) / 1000;
    out(`  rows written: ${fmt(done)} in ${loadS.toFixed(1)} s = ${fmt(done / loadS)} rows/s (${(waitedMs / 1000).toFixed(1)} s of it waiting for a free slot, i.e. for the database)`);
    if (via === 'copy') {
      const t0 = performance.now();
      const r = await buildRollups(db, startMs, endMs);
      out(`  edge rollups: ${fmt(r.minuteRows)} minute rows, ${fmt(r.hourRows)} hour rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const t1 = performance.now();
    await db.query('ANALYZE flows, edge_minute, edge_hour');
    out(`  analyze: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const [s] = await db.query<{ n: number; drops: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict = 2)::int AS drops FROM flows WHERE time >= $1 AND time < $2', [new Date(startMs), new Date(endMs)]);
    const totalS = (performance.now() - started) / 1000;
    out(`fill done: ${fmt(s.n)} flows stored (${fmt(s.drops)} DROPPED = ${((s.drops / Math.max(1, s.n)) * 100).toFixed(1)}%) in ${totalS.toFixed(1)} s overall = ${fmt(s.n / totalS)} flows/s including rollups and analyze`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fill: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
