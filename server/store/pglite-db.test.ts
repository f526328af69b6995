import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { PGLITE_SUBDIR, openDb } from './open-db';
import { describeDbContract } from './db-contract';
import { openTestPglite } from './test-db';

describeDbContract('PGlite (in memory)', openTestPglite);

describe('PGlite driver', () => {
  it('runs concurrent transactions one after the other on its single connection', async () => {
    const { db, cleanup } = await openTestPglite();
    try {
      await db.query('CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)');
      const events: string[] = [];
      const bump = (who: string) => db.transaction(async (tx) => {
        events.push(`${who} begin`);
        const [{ n }] = await tx.query<{ n: number }>('SELECT n FROM counter');
        await new Promise((r) => setTimeout(r, 20));
        await tx.query('UPDATE counter SET n = $1', [n + 1]);
        events.push(`${who} end`);
      });
      await Promise.all([bump('a'), bump('b'), bump('c'), db.query('UPDATE counter SET n = n + 100')]);
      expect(await db.query('SELECT n FROM counter')).toEqual([{ n: 103 }]);
      expect(events).toEqual(['a begin', 'a end', 'b begin', 'b end', 'c begin', 'c end']);
    } finally {
      await cleanup();
    }
  });
});

describe('openDb without DATABASE_URL', () => {
  it('creates the data folder, keeps the database there and migrates once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hfd-pglite-'));
    const dataDir = join(root, 'nested', 'data');
    try {
      const first = await openDb({ dataDir });
      expect(first.kind).toBe('pglite');
      expect(existsSync(join(dataDir, PGLITE_SUBDIR, 'PG_VERSION'))).toBe(true);
      await first.query(`INSERT INTO collector_state (relay, updated_at) VALUES ('r', now())`);
      expect(await first.query('SELECT 1 AS a; SELECT 2 AS b')).toEqual([{ b: 2 }]);
      await first.close();
      const again = await openDb({ dataDir });
      expect(await again.query('SELECT relay FROM collector_state')).toEqual([{ relay: 'r' }]);
      expect(await migrate(again)).toEqual([]);
      await again.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
