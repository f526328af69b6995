import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDb } from './open-db';
import { describeDbContract } from './db-contract';
import { testPgUrl, withTestSchema } from './test-db';

describeDbContract('PostgreSQL', () => withTestSchema('pg_db'));

describe('PostgreSQL driver', () => {
  it('runs concurrent transactions side by side on separate connections', async () => {
    const t = await withTestSchema('pg_db_tx');
    try {
      await t.db.query('CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)');
      const bump = () => t.db.transaction(async (tx) => {
        await tx.query('SELECT n FROM counter FOR UPDATE');
        await tx.query('UPDATE counter SET n = n + 1');
      });
      await Promise.all([bump(), bump(), bump()]);
      expect(await t.db.query('SELECT n FROM counter')).toEqual([{ n: 3 }]);
    } finally {
      await t.cleanup();
    }
  });

  it('fails start-up with one line naming DATABASE_URL, the address and the cause', async () => {
    const err = await openDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', dataDir: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect((err as Error).message).toBe('cannot connect to PostgreSQL at 127.0.0.1:1 (DATABASE_URL): connect ECONNREFUSED');
    const missing = await openDb({ databaseUrl: testPgUrl('x').replace('/test?', '/no_such_db?'), dataDir: '' }).catch((e: unknown) => e);
    expect((missing as Error).message).toBe('cannot connect to PostgreSQL at 127.0.0.1:5432 (DATABASE_URL): database "no_such_db" does not exist');
  });
});
