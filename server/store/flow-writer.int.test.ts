/**
 * The FlowWriter on PostgreSQL 15 and on PGlite: rows, rollups computed from inserted rows only,
 * duplicates, atomicity, partitions, and UTC buckets whatever the session time zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { createDemoTraffic } from '../demo/traffic';
import type { Db } from './db';
import { createFlowWriter } from './flow-writer';
import { createPartitionManager } from './partitions';
import { openTestPglite, withTestSchema, type PgTestDb, type TestDb } from './test-db';

const START_MS = Date.UTC(2026, 2, 1, 9, 59, 50);
const traffic = createDemoTraffic({ seed: 11, rateFlowsPerS: 150 });
// 20 s across a minute and an hour boundary.
const responses: FlowsResponse[] = traffic.flowsBetween(START_MS, START_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const EDGE_KEY = 'src_namespace, src_entity, dst_namespace, dst_entity, dst_port, protocol, verdict, drop_reason';
const FROM_FLOWS = (unit: 'minute' | 'hour') => `SELECT date_trunc('${unit}', time, 'UTC') AS bucket,
    coalesce(src_namespace, '') AS src_namespace, src_entity, coalesce(dst_namespace, '') AS dst_namespace, dst_entity,
    coalesce(dst_port, 0) AS dst_port, coalesce(l4_protocol, '') AS protocol, verdict, drop_reason, count(*)::bigint AS flows
  FROM flows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;

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
