import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, searchPathSchema, type PrismaClient } from './prisma-client';
import { openTestPglite, withTestSchema, type PgTestDb, type TestDb } from './test-db';

const T0 = new Date('2026-03-10T12:00:00.123Z');

for (const [name, open] of [['PGlite', openTestPglite], ['PostgreSQL', () => withTestSchema('prisma')]] as const) {
  describe(`Prisma on ${name}`, () => {
    let t: TestDb;
    let prisma: PrismaClient;
    beforeAll(async () => {
      t = await open();
      prisma = createPrismaClient(t.db);
      await t.db.query(`INSERT INTO collector_state (relay, newest_flow_time, updated_at) VALUES ('relay-a', $1, $1)`, [T0]);
      await t.db.query(
        `INSERT INTO gaps (relay, kind, from_time, to_time, lost_flows, detail) VALUES ('relay-a', 'lost-events', $1, $1, 9007199254740993, 'x')`,
        [T0],
      );
    });
    afterAll(async () => {
      await prisma?.$disconnect();
      await t?.cleanup();
    });

    it('reads rows written through the Db', async () => {
      expect(await prisma.collectorState.findMany()).toEqual([
        { relay: 'relay-a', newestFlowTime: T0, connectedSince: null, updatedAt: T0 },
      ]);
      const [gap] = await prisma.gap.findMany();
      expect(gap).toMatchObject({ relay: 'relay-a', kind: 'lost-events', fromTime: T0, lostFlows: 9007199254740993n, detail: 'x' });
    });

    it('writes rows the Db reads, in transactions that share the database with Db callers', async () => {
      await Promise.all([
        prisma.$transaction(async (p) => {
          await p.collectorState.upsert({
            where: { relay: 'relay-b' },
            create: { relay: 'relay-b', updatedAt: T0 },
            update: { updatedAt: T0 },
          });
          await p.gap.create({ data: { relay: 'relay-b', kind: 'relay-unreachable', fromTime: T0, toTime: T0 } });
        }),
        t.db.transaction((tx) => tx.query(`INSERT INTO node_events (time, relay, node, state) VALUES (now(), 'relay-b', 'n1', 'up')`)),
      ]);
      const rows = await t.db.query<{ relay: string; n: number }>(
        `SELECT relay, count(*)::int AS n FROM gaps GROUP BY relay ORDER BY relay`,
      );
      expect(rows).toEqual([{ relay: 'relay-a', n: 1 }, { relay: 'relay-b', n: 1 }]);
      expect(await prisma.nodeEvent.count()).toBe(1);
    });

    if (name === 'PostgreSQL') {
      it('follows the search_path of the connection string', () => {
        expect(searchPathSchema((t as PgTestDb).url)).toBe((t as PgTestDb).schema);
      });
    }
  });
}
