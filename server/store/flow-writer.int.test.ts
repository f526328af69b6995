/**
 * The FlowWriter on PostgreSQL 15 and on PGlite: rows, rollups computed from inserted rows only,
 * duplicates, atomicity, partitions, and UTC buckets whatever the session time zone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { createDemoTraffic } from '../demo/traffic';
import type { Db } from './db';
import { EDGE_KEY, EDGE_KEY_FROM_FLOWS } from './edge-counts';
import { createFlowWriter } from './flow-writer';
import { createPartitionManager } from './partitions';
import { openTestPglite, withTestSchema, type PgTestDb, type TestDb } from './test-db';

const START_MS = Date.UTC(2026, 2, 1, 9, 59, 50);
const traffic = createDemoTraffic({ seed: 11, rateFlowsPerS: 150 });
// 20 s across a minute and an hour boundary.
const responses: FlowsResponse[] = traffic.flowsBetween(START_MS, START_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const FROM_FLOWS = (unit: 'minute' | 'hour') => `SELECT date_trunc('${unit}', bucket, 'UTC') AS bucket, ${EDGE_KEY}, count(*)::bigint AS flows
  FROM (SELECT time AS bucket, ${EDGE_KEY_FROM_FLOWS} FROM flows) keyed GROUP BY 1, ${EDGE_KEY}`;

const FIXTURES = new URL('../../../shared/fixtures/hubble-otel/', import.meta.url);

function fixtureResponses(): FlowsResponse[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).sort().flatMap((file) =>
    readFileSync(new URL(file, FIXTURES), 'utf8').split('\n').filter((l) => l.trim())
      .map((line) => flowsResponseFromJson(line).response));
}

/** Demo flows in the policy-change incident (minutes 2-7 of every 20), which policies deny. */
function policyChangeIncident(): FlowsResponse[] {
  const startMs = Date.UTC(2026, 2, 1, 10, 3);
  return traffic.flowsBetween(startMs, startMs + 5_000).map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
}

/** Demo flows to world addresses without names, moved to addresses whose networks print differently. */
function worldVariants(): FlowsResponse[] {
  const world = responses.find((r) => r.flow?.destination?.labels?.includes('reserved:world') && !r.flow.destination_names?.length && !r.flow.is_reply);
  if (!world?.flow) throw new Error('the demo traffic has no unnamed world destination');
  return ['2001:db8:0:1::5', '0:0:1::9', '::ffff:198.51.100.7', '203.0.113.77'].map((ip, i) => ({
    ...world,
    flow: { ...world.flow, uuid: `world-variant-${i}`, IP: { ...world.flow!.IP, destination: ip }, source: { ...world.flow!.source, cluster_name: 'mesh-b' } },
  }));
}

async function one<T>(db: Db, sql: string): Promise<T> {
  return Object.values((await db.query(sql))[0])[0] as T;
}

/** Rows of the rollup that differ from the same aggregation over the stored flows, both ways. */
async function rollupDiff(db: Db, table: 'edge_minute' | 'edge_hour', unit: 'minute' | 'hour'): Promise<number> {
  const mine = `SELECT bucket, ${EDGE_KEY}, flows FROM ${table}`;
  return Number(await one(db, `SELECT count(*)::int FROM ((${FROM_FLOWS(unit)} EXCEPT ${mine}) UNION ALL (${mine} EXCEPT ${FROM_FLOWS(unit)})) d`));
}

async function clear(db: Db): Promise<void> {
  await db.query('TRUNCATE flows, edge_minute, edge_hour');
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('flow_writer')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('FlowWriter on %s', (name, open) => {
  let t: TestDb;
  beforeAll(async () => { t = await open(); });
  afterAll(() => t?.cleanup());

  it('stores every flow and keeps both rollups equal to the stored rows', async () => {
    await clear(t.db);
    const writer = createFlowWriter(t.db);
    const result = await writer.write(responses);
    expect(result).toEqual({ inserted: responses.length, duplicates: 0, skipped: 0, newestTime: responses.at(-1)?.flow?.time });
    expect(await one(t.db, 'SELECT count(*)::int FROM flows')).toBe(responses.length);
    expect(await one(t.db, 'SELECT sum(flows)::int FROM edge_minute')).toBe(responses.length);
    expect(await one(t.db, 'SELECT sum(flows)::int FROM edge_hour')).toBe(responses.length);
    expect(await one(t.db, 'SELECT count(DISTINCT bucket)::int FROM edge_hour')).toBe(2);
    expect(await rollupDiff(t.db, 'edge_minute', 'minute')).toBe(0);
    expect(await rollupDiff(t.db, 'edge_hour', 'hour')).toBe(0);
    // Compressed with lz4 where the server has it (PostgreSQL here), pglz on PGlite; read back alike.
    const methods = await t.db.query<{ m: string | null }>('SELECT DISTINCT pg_column_compression(raw) AS m FROM flows');
    expect(methods.map((r) => r.m).filter(Boolean)).toEqual([name === 'PostgreSQL' ? 'lz4' : 'pglz']);
    const [{ raw }] = await t.db.query<{ raw: string }>('SELECT raw FROM flows ORDER BY time LIMIT 1');
    expect(JSON.parse(raw)).toEqual(responses[0]);
  });

  it('keys rollups by cluster, world name, service, L7 summary and denying policy, alike on both paths', async () => {
    await clear(t.db);
    const mixed = [...fixtureResponses(), ...worldVariants(), ...policyChangeIncident()];
    // The fast path writes the first half; the staging path (after a duplicate) the rest.
    const half = Math.floor(mixed.length / 2);
    await createFlowWriter(t.db).write(mixed.slice(0, half));
    await createFlowWriter(t.db).write(mixed.slice(half - 1));
    expect(await rollupDiff(t.db, 'edge_minute', 'minute')).toBe(0);
    expect(await rollupDiff(t.db, 'edge_hour', 'hour')).toBe(0);
    const seen = await t.db.query<{ column: string; values: string[] }>(
      `SELECT c AS column, array_agg(DISTINCT v ORDER BY v) AS values FROM edge_minute,
         LATERAL (VALUES ('dst_name', dst_name), ('dst_service', dst_service), ('l7', l7), ('policies', policies),
           ('src_cluster', src_cluster)) x(c, v)
       WHERE v <> '' GROUP BY c ORDER BY c`);
    const values = Object.fromEntries(seen.map((r) => [r.column, r.values]));
    expect(values.dst_name).toEqual(expect.arrayContaining(['2001:db8::/48', '0:0:1::/48', '::/48', '203.0.113.0/24']));
    expect(values.l7).toEqual(expect.arrayContaining(['http GET', 'http GET 2xx', 'dns', 'dns 0']));
    expect(values.policies?.length).toBeGreaterThan(0);
    expect(values.dst_service?.length).toBeGreaterThan(0);
    expect(values.src_cluster?.length).toBeGreaterThan(0);
  });

  it('counts a flow delivered twice once, within a batch and across batches', async () => {
    await clear(t.db);
    const writer = createFlowWriter(t.db);
    const half = Math.floor(responses.length / 2);
    const first = await writer.write([...responses.slice(0, half), ...responses.slice(0, 10)]);
    expect(first).toMatchObject({ inserted: half, duplicates: 10 });
    // A resumed stream: overlaps the stored half, then continues.
    const second = await writer.write(responses.slice(half - 100));
    expect(second).toMatchObject({ inserted: responses.length - half, duplicates: 100 });
    const again = await writer.write(responses);
    expect(again).toMatchObject({ inserted: 0, duplicates: responses.length });
    expect(await one(t.db, 'SELECT count(*)::int FROM flows')).toBe(responses.length);
    expect(await one(t.db, 'SELECT sum(flows)::int FROM edge_minute')).toBe(responses.length);
    expect(await rollupDiff(t.db, 'edge_minute', 'minute')).toBe(0);
    expect(await rollupDiff(t.db, 'edge_hour', 'hour')).toBe(0);
  });

  it('skips responses without a storable flow and reports the newest time by instant, not text', async () => {
    await clear(t.db);
    const result = await createFlowWriter(t.db).write([
      { node_status: { state_change: 'NODE_CONNECTED', node_names: ['a'] }, time: '2026-03-02T00:00:00Z' },
      { lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '3' }, time: '2026-03-02T00:00:00Z' },
      { flow: { uuid: 'no-time' } },
      { flow: { uuid: 'b', time: '2026-03-02T00:00:01.5Z' } },
      { flow: { uuid: 'a', time: '2026-03-02T00:00:01Z' } },
    ]);
    expect(result).toEqual({ inserted: 2, duplicates: 0, skipped: 3, newestTime: '2026-03-02T00:00:01.5Z' });
    expect(await createFlowWriter(t.db).write([])).toEqual({ inserted: 0, duplicates: 0, skipped: 0 });
  });

  it('writes all or nothing: a failed batch leaves no rows, and its retry counts once', async () => {
    await clear(t.db);
    const writer = createFlowWriter(t.db);
    const batch = responses.slice(0, 500);
    await t.db.query('ALTER TABLE edge_hour RENAME TO edge_hour_away');
    try {
      await expect(writer.write(batch)).rejects.toThrow(/edge_hour/);
    } finally {
      await t.db.query('ALTER TABLE edge_hour_away RENAME TO edge_hour');
    }
    expect(await one(t.db, 'SELECT count(*)::int FROM flows')).toBe(0);
    expect(await one(t.db, 'SELECT count(*)::int FROM edge_minute')).toBe(0);
    expect(await writer.write(batch)).toMatchObject({ inserted: 500, duplicates: 0 });
    expect(await one(t.db, 'SELECT sum(flows)::int FROM edge_minute')).toBe(500);
  });

  it('has the day partitions made before writing', async () => {
    await clear(t.db);
    const seen: number[][] = [];
    const partitions = createPartitionManager(t.db);
    const writer = createFlowWriter(t.db, { partitions: { ensureFor: (times) => { seen.push([...times]); return partitions.ensureFor(times); } } });
    await writer.write(responses.slice(0, 100));
    expect(seen).toHaveLength(1);
    expect(Math.min(...seen[0])).toBeGreaterThanOrEqual(START_MS);
    const where = await t.db.query<{ p: string; n: number }>('SELECT tableoid::regclass::text AS p, count(*)::int AS n FROM flows GROUP BY 1');
    expect(where).toEqual([{ p: 'flows_p20260301', n: 100 }]);
  });

  it(`cuts buckets in UTC whatever the session time zone (${name})`, async () => {
    await clear(t.db);
    let db: Db = t.db;
    if (t.db.kind === 'postgres') {
      const { openPgDb } = await import('./pg-db');
      const url = `${(t as PgTestDb).url}${encodeURIComponent(' -c TimeZone=Asia/Kolkata')}`;
      db = openPgDb({ connectionString: url, maxConnections: 1 });
      expect(await one(db, 'SHOW TimeZone')).toBe('Asia/Kolkata');
    } else {
      await t.db.query(`SET TimeZone = 'Asia/Kolkata'`);
    }
    try {
      await createFlowWriter(db).write(responses);
      const buckets = await db.query<{ b: string }>(`SELECT DISTINCT to_char(bucket AT TIME ZONE 'UTC', 'HH24:MI') AS b FROM edge_hour ORDER BY 1`);
      expect(buckets.map((r) => r.b)).toEqual(['09:00', '10:00']);
    } finally {
      if (db !== t.db) await db.close();
      else await t.db.query('RESET TimeZone');
    }
  });
});
