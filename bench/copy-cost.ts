/**
 * What each part of a `flows` row costs PostgreSQL: the raw COPY probe of bench/ingest.ts (demo rows
 * prebuilt, 5,000 per COPY, lz4 where the server has it, a day-partitioned copy of `flows`) run
 * with one part taken away at a time. Each variant is run `--rounds` times, interleaved, and the
 * best round kept, because the machine is shared and a slow round says more about the neighbours.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/copy-cost.ts [--rows 50000] [--rounds 3]
 *
 * Runs in a fresh schema, dropped at the end. Prints rows/s, µs of database time per row and the
 * table's size per row (heap, TOAST and indexes) for:
 * the full row; without the three secondary indexes; with the kept jsonpb (`raw`) empty; with the
 * label and name arrays empty; rows stored uncompressed; the edge rollup upserts after each COPY
 * (the writer's fast path).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { createDemoTraffic } from '../server/demo/traffic';
import { copyRows, type CopyData, type CopyValue } from '../server/store/copy-binary';
import type { Db } from '../server/store/db';
import { EdgeCounts, edgeKeyOf } from '../server/store/edge-counts';
import { FLOW_COLUMNS, FLOW_COPY_COLUMNS, flowToRow } from '../server/store/flow-row';
import { serverHasLz4, USE_LZ4 } from '../server/store/flow-writer';
import { openDb } from '../server/store/open-db';
import { scratchSchema } from './bench-db';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '3' } } });
const BATCH = 5_000;
const ARRAY_COLUMNS = ['src_labels', 'dst_labels', 'src_names', 'dst_names', 'src_workloads', 'dst_workloads', 'node_labels'];

interface Variant { name: string; indexes: boolean; edges: boolean; blank: readonly string[]; uncompressed?: boolean }

const VARIANTS: Variant[] = [
  { name: 'full row, 4 indexes (as flows)', indexes: true, edges: false, blank: [] },
  { name: 'full row + edge rollup upserts', indexes: true, edges: true, blank: [] },
  { name: 'primary key only', indexes: false, edges: false, blank: [] },
  { name: 'raw (kept jsonpb) empty', indexes: true, edges: false, blank: ['raw'] },
  { name: 'label/name arrays empty', indexes: true, edges: false, blank: ARRAY_COLUMNS },
  // Rows under toast_tuple_target are stored as they are: no compression work, wider heap rows.
  { name: 'not compressed (toast target 8160)', indexes: true, edges: false, blank: [], uncompressed: true },
];

function demoRows(count: number): CopyValue[][] {
  const traffic = createDemoTraffic({ seed: 2, rateFlowsPerS: 20_000 });
  const rows: CopyValue[][] = [];
  for (let k = Math.floor(Date.now() / 1000) - 3600; rows.length < count; k++) {
    for (const flow of traffic.flowsOfSecond(k)) {
      const row = flowToRow({ flow, node_name: flow.node_name, time: flow.time });
      if (row && rows.length < count) rows.push(row);
    }
  }
  return rows;
}

interface Measured { rate: number; bytesPerRow: number }

async function runVariant(db: Db, rows: CopyValue[][], v: Variant, lz4: boolean): Promise<Measured> {
  const blanked = v.blank.map((c) => FLOW_COLUMNS.indexOf(c as (typeof FLOW_COLUMNS)[number]));
  const texts: CopyData[] = [];
  const edges: EdgeCounts[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const slice = rows.slice(i, i + BATCH);
    texts.push(copyRows(blanked.length ? slice.map((r) => r.map((x, j) => (blanked.includes(j) ? (j === r.length - 1 ? '{}' : null) : x))) : slice, FLOW_COPY_COLUMNS));
    const counts = new EdgeCounts();
    for (const r of slice) counts.addKey(Date.parse(r[0] as string), edgeKeyOf(r));
    edges.push(counts);
  }
  await db.query(`CREATE TABLE probe (LIKE flows INCLUDING ${v.indexes ? 'ALL' : 'DEFAULTS INCLUDING CONSTRAINTS'}) PARTITION BY RANGE (time);
    ${v.indexes ? '' : 'ALTER TABLE probe ADD PRIMARY KEY (time, flow_key);'}
    CREATE TABLE probe_default PARTITION OF probe DEFAULT;
    CREATE TABLE probe_today PARTITION OF probe FOR VALUES FROM (now() - interval '1 day') TO (now() + interval '1 day')
      ${v.uncompressed ? 'WITH (toast_tuple_target = 8160)' : ''};
    TRUNCATE edge_minute, edge_hour`);
  const started = performance.now();
  for (const [i, text] of texts.entries()) {
    await db.transaction(async (tx) => {
      if (lz4) await tx.query(USE_LZ4);
      await tx.copyFrom('probe', FLOW_COLUMNS, text);
      if (v.edges) await edges[i].upsert(tx);
    });
  }
  const rate = rows.length / ((performance.now() - started) / 1000);
  const [{ bytes }] = await db.query<{ bytes: string }>(`SELECT pg_total_relation_size('probe_today')::text AS bytes`);
  await db.query('DROP TABLE probe');
  return { rate, bytesPerRow: Number(bytes) / rows.length };
}

async function main(): Promise<void> {
  const base = loadConfig().databaseUrl;
  if (!base) throw new Error('DATABASE_URL is required: this benchmark measures PostgreSQL');
  const scratch = await scratchSchema(base, 'bench_copy');
  const db = await openDb({ databaseUrl: scratch.url, dataDir: '' }, { maxConnections: 2 });
  try {
    const rows = demoRows(Number(values.rows));
    const lz4 = await serverHasLz4(db);
    const best = new Map<string, Measured>();
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const v of VARIANTS) {
        const m = await runVariant(db, rows, v, lz4);
        if (m.rate > (best.get(v.name)?.rate ?? 0)) best.set(v.name, m);
      }
    }
    process.stdout.write(`raw COPY cost per part (${rows.length} demo rows, ${BATCH} per COPY, lz4 ${lz4 ? 'on' : 'off'}, best of ${values.rounds})\n`);
    for (const v of VARIANTS) {
      const { rate, bytesPerRow } = best.get(v.name) as Measured;
      process.stdout.write(`  ${v.name.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(8)} rows/s  ${(1e6 / rate).toFixed(1).padStart(5)} µs/row  ${Math.round(bytesPerRow).toLocaleString('en-US').padStart(6)} bytes/row on disk\n`);
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`copy-cost benchmark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
