import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import type { Queryable } from '../store/db';
import { listMigrations } from '../store/migrate';
import { openPgliteDb, type PgliteDb } from '../store/pglite-db';
import { openTestPglite, type TestDb } from '../store/test-db';
import { checkReadiness } from './readiness';

const status = (state: IngestStatus['state']): IngestStatus => ({
  relayAddr: 'r:4245', demo: false, state, sinceMs: 0, flowsReceived: 0, flowsPerS: 0, lostEvents: 0,
  nodesConnected: 0, nodesUnavailable: 0, verdicts: {}, atMs: 0,
});

describe('checkReadiness', () => {
  let migrated: TestDb;
  let empty: PgliteDb;
  beforeAll(async () => {
    migrated = await openTestPglite();
    empty = await openPgliteDb();
  });
  afterAll(async () => {
    await migrated?.cleanup();
    await empty?.close();
  });

  it('is ready when the database answers, every migration is applied and the collector runs', async () => {
    const r = await checkReadiness({ db: async () => migrated.db, status: () => status('connected') });
    expect(r).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok', collector: 'ok' } });
  });

  it('stays ready while the relay is unreachable: the history is still served', async () => {
    expect((await checkReadiness({ db: async () => migrated.db, status: () => status('reconnecting') })).ready).toBe(true);
  });

  it('names the migrations a database lacks', async () => {
    const names = listMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    const none = await checkReadiness({ db: async () => empty, status: () => status('connected') });
    expect(none).toMatchObject({ ready: false, reason: `migrations: not applied: ${names.join(', ')}` });
    const newer = await checkReadiness({
      db: async () => migrated.db, status: () => status('connected'),
      expectedMigrations: () => [...names, '29990101000000_future'],
    });
    expect(newer).toMatchObject({ ready: false, reason: 'migrations: not applied: 29990101000000_future' });
  });

  it('is not ready without a collector in the process, or once it stopped', async () => {
    expect(await checkReadiness({ db: async () => migrated.db, status: () => undefined }))
      .toMatchObject({ ready: false, reason: 'collector: no collector runs in this process' });
    expect(await checkReadiness({ db: async () => migrated.db, status: () => status('stopped') }))
      .toMatchObject({ ready: false, reason: 'collector: the collector has stopped (shutting down)' });
  });

  it('lists each relay, stays ready while one is down, and says which one stopped', async () => {
    const relays = [
      { ...status('connected'), cluster: 'east', relay: 'east' },
      { ...status('reconnecting'), cluster: 'west', relay: 'west', lastError: 'relay unreachable' },
    ];
    const r = await checkReadiness({ db: async () => migrated.db, status: () => ({ ...status('reconnecting'), relays }) });
    expect(r).toMatchObject({ ready: true, relays: [
      { cluster: 'east', relay: 'east', state: 'connected' }, { cluster: 'west', relay: 'west', state: 'reconnecting', lastError: 'relay unreachable' },
    ] });
    const stopping = [relays[0], { ...relays[1], state: 'stopped' as const }];
    expect(await checkReadiness({ db: async () => migrated.db, status: () => ({ ...status('stopped'), relays: stopping }) }))
      .toMatchObject({ ready: false, reason: 'collector: the collector has stopped following west (shutting down)' });
  });

  it('says why when the database cannot be opened, fails or does not answer in time', async () => {
    const cases: Array<[() => Promise<Queryable>, RegExp]> = [
      [() => Promise.reject(new Error('cannot connect to PostgreSQL at db:5432 (DATABASE_URL): connect ECONNREFUSED')), /ECONNREFUSED/],
      [async () => ({ query: () => Promise.reject(Object.assign(new Error(''), { code: '57P01' })) }), /57P01/],
      [async () => ({ query: () => new Promise(() => undefined) }), /no answer within 100 ms/],
    ];
    for (const [db, why] of cases) {
      const r = await checkReadiness({ db, status: () => status('connected'), timeoutMs: 100 });
      expect(r.ready).toBe(false);
      expect(r.reason).toMatch(/^database: cannot query the database: /);
      expect(r.reason).toMatch(why);
      expect(r.checks.migrations).toMatch(/^not checked/);
    }
  });
});
