/**
 * Databases for tests. Every Postgres test file gets its own fresh schema in the local `test`
 * database, so files never see each other's rows and nothing touches `public`:
 *
 *   let t: TestDb;
 *   beforeAll(async () => { t = await withTestSchema('flow_writer'); });
 *   afterAll(() => t.cleanup());          // closes the Db and drops the schema
 *   ... t.db.query(...), createPrismaClient(t.db) ...
 *
 * openTestPglite() is the same for an in-memory PGlite (no server needed).
 * Both return a migrated Db. This module does not import vitest, so benches and scripts can use it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from './db';
import { openDb } from './open-db';
import { openPgliteDb, type PgliteDb } from './pglite-db';
import { migrate } from './migrate';

/** The local test server (trust auth), on loopback by construction: tests never reach another host. */
export const TEST_PG_BASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb<D extends Db = Db> {
  db: D;
  /** Closes the Db and, for Postgres, drops the schema. Safe to call twice. */
  cleanup(): Promise<void>;
}

export interface PgTestDb extends TestDb {
  schema: string;
  /** Connection string whose search_path is the schema (for a second pool, Prisma, a child process). */
  url: string;
}

/** A connection string to the test database with search_path set to `schema`. */
export function testPgUrl(schema: string): string {
  return `${TEST_PG_BASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_BASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates schema `t_<label>_<random>` in the test database, opens a Db on it through openDb (so
 * createPrismaClient(db) works) and migrates it.
 */
export async function withTestSchema(label = 'store'): Promise<PgTestDb> {
  const schema = `t_${label.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`.slice(0, 63);
  await admin((c) => c.query(`CREATE SCHEMA "${schema}"`));
  const url = testPgUrl(schema);
  let db: Db;
  try {
    db = await openDb({ databaseUrl: url, dataDir: '' }, { maxConnections: 4 });
  } catch (err) {
    await admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    throw err;
  }
  let done = false;
  return {
    db,
    schema,
    url,
    async cleanup() {
      if (done) return;
      done = true;
      await db.close().catch(() => undefined);
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

/** A migrated in-memory PGlite. */
export async function openTestPglite(): Promise<TestDb<PgliteDb>> {
  const db = await openPgliteDb();
  await migrate(db);
  return { db, cleanup: () => db.close() };
}
