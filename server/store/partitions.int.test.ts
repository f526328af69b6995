import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db, SqlParam } from './db';
import { DAY_MS, createPartitionManager, partitionDay, partitionName, startRetention } from './partitions';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const D1 = Date.UTC(2026, 2, 10); // 2026-03-10, a day start
const HOUR = 3_600_000;

/** A Db that counts the statements sent through it, to see what the cache saves. */
function counting(db: Db): Db & { statements: number } {
  const wrapped = {
    ...db,
    statements: 0,
    query<T>(sql: string, params?: readonly SqlParam[]) {
      wrapped.statements++;
      return db.query<T>(sql, params);
    },
    transaction<T>(fn: Parameters<Db['transaction']>[0]) {
      wrapped.statements++;
      return db.transaction(fn) as Promise<T>;
    },
  };
  return wrapped;
}

async function partitions(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"flows"'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function insertFlows(db: Db, timesMs: number[]): Promise<void> {
  for (const [i, ms] of timesMs.entries()) {
    await db.query(`INSERT INTO flows ("time", flow_key, raw) VALUES ($1, $2, '{}')`, [new Date(ms), `k${ms}-${i}`]);
  }
}

async function rowsPerTable(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ t: string; n: number }>(
    `SELECT tableoid::regclass::text AS t, count(*)::int AS n FROM flows GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.t.replace(/"/g, ''), r.n]));
}

for (const [name, open] of [['PGlite', openTestPglite], ['PostgreSQL', () => withTestSchema('partitions')]] as const) {
  describe(`partitions on ${name}`, () => {
    let t: TestDb;
    beforeAll(async () => { t = await open(); });
    afterAll(() => t?.cleanup());
    beforeEach(async () => {
      for (const p of await partitions(t.db)) if (p !== 'flows_default') await t.db.query(`DROP TABLE "${p}"`);
      await t.db.query('TRUNCATE flows, edge_minute, edge_hour, relay_status, node_events, gaps');
    });

    it('names partitions by UTC day', () => {
      expect(partitionName(D1 + 23 * HOUR + 59 * 60_000)).toBe('flows_p20260310');
      expect(partitionDay('flows_p20260310')).toBe(D1);
      expect(partitionDay('flows_default')).toBeUndefined();
    });

    it('creates the days asked for and the next one ahead, once', async () => {
      const db = counting(t.db);
      const manager = createPartitionManager(db);
      await Promise.all([manager.ensureFor([D1 + HOUR]), manager.ensureFor([D1 + 2 * HOUR]), createPartitionManager(t.db).ensureFor([D1])]);
      expect(await partitions(t.db)).toEqual(['flows_default', 'flows_p20260310', 'flows_p20260311']);
      const before = db.statements;
      await manager.ensureFor([D1 + 5 * HOUR, D1 + DAY_MS + HOUR]);
      expect(db.statements - before).toBe(1); // only 03-12, the day after 03-11
      await manager.ensureFor([D1 + 3 * HOUR, D1 + DAY_MS]);
      expect(db.statements - before).toBe(1);
      await manager.ensureFor([D1, D1 + 3 * DAY_MS]); // the days between are made too
      expect(await partitions(t.db)).toEqual(['flows_default', 'flows_p20260310', 'flows_p20260311', 'flows_p20260312', 'flows_p20260313', 'flows_p20260314']);
      await insertFlows(t.db, [D1 + HOUR, D1 + DAY_MS + HOUR]);
      expect(await rowsPerTable(t.db)).toEqual({ flows_p20260310: 1, flows_p20260311: 1 });
    });

    it('moves rows that landed in flows_default into the new partition', async () => {
      await insertFlows(t.db, [D1 + HOUR, D1 + 20 * HOUR, D1 + 5 * DAY_MS]);
      expect(await rowsPerTable(t.db)).toEqual({ flows_default: 3 });
      await createPartitionManager(t.db).ensureFor([D1 + 2 * HOUR]);
      expect(await rowsPerTable(t.db)).toEqual({ flows_default: 1, flows_p20260310: 2 });
      const keys = await t.db.query<{ flow_key: string }>('SELECT flow_key FROM flows_p20260310 ORDER BY time');
      expect(keys.map((k) => k.flow_key)).toEqual([`k${D1 + HOUR}-0`, `k${D1 + 20 * HOUR}-1`]);
    });

    it('drops whole days that ended before the cutoff and old rows of the other tables', async () => {
      const manager = createPartitionManager(t.db);
      await manager.ensureFor([D1, D1 + DAY_MS, D1 + 2 * DAY_MS]);
      await insertFlows(t.db, [D1 + HOUR, D1 + DAY_MS + HOUR, D1 + 2 * DAY_MS + HOUR, D1 - DAY_MS, D1 + 30 * DAY_MS]);
      const cutoff = D1 + 2 * DAY_MS + 2 * HOUR;
      const at = (ms: number) => new Date(ms);
      for (const table of ['edge_minute', 'edge_hour']) {
        const step = table === 'edge_hour' ? HOUR : 60_000;
        // Buckets ending before, exactly at, and after the cutoff: only the last one stays.
        for (const bucket of [cutoff - 2 * step, cutoff - step, cutoff - step / 2]) {
          await t.db.query(`INSERT INTO ${table} (bucket, verdict, flows) VALUES ($1, 1, 1)`, [at(bucket)]);
        }
      }
      for (const ms of [cutoff - 1, cutoff + 1]) {
        await t.db.query(`INSERT INTO relay_status (time, relay, connected) VALUES ($1, 'r', true)`, [at(ms)]);
        await t.db.query(`INSERT INTO node_events (time, relay, node, state) VALUES ($1, 'r', 'n', 'up')`, [at(ms)]);
        await t.db.query(`INSERT INTO gaps (relay, kind, from_time, to_time) VALUES ('r', 'lost-events', $1, $1)`, [at(ms)]);
      }
      expect(await manager.dropOlderThan(cutoff)).toEqual(['flows_p20260310', 'flows_p20260311']);
      expect(await partitions(t.db)).toEqual(['flows_default', 'flows_p20260312', 'flows_p20260313']);
      expect(await rowsPerTable(t.db)).toEqual({ flows_default: 1, flows_p20260312: 1 });
      for (const table of ['edge_minute', 'edge_hour', 'relay_status', 'node_events', 'gaps']) {
        const [row] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        expect(row.n, table).toBe(1);
      }
      expect(await manager.dropOlderThan(cutoff)).toEqual([]);
      await manager.ensureFor([D1]); // forgotten when dropped, so made again
      expect(await partitions(t.db)).toContain('flows_p20260310');
    });

    it('runs retention at start and on demand, making today and tomorrow ahead', async () => {
      let now = D1 + 12 * HOUR;
      const retention = startRetention(t.db, 24, { clock: () => now, everyMs: 60_000 });
      expect(await retention.runNow()).toEqual([]);
      expect(await partitions(t.db)).toEqual(['flows_default', 'flows_p20260310', 'flows_p20260311']);
      now += 2 * DAY_MS;
      expect(await retention.runNow()).toEqual(['flows_p20260310']);
      expect(await partitions(t.db)).toEqual(['flows_default', 'flows_p20260311', 'flows_p20260312', 'flows_p20260313']);
      await retention.stop();
    });
  });
}
