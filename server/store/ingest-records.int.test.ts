/**
 * The collector's own records on PostgreSQL 15 and PGlite: resume point, gaps, node events and
 * relay status samples, with times kept to the microsecond.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlowWriter } from './flow-writer';
import {
  listGaps, readCollectorState, readResumePoint, recordGaps, recordNodeEvents, recordRelayStatus, saveConnectedSince,
  saveNewestFlowTime,
} from './ingest-records';
import { openTestPglite, withTestSchema, type PgTestDb, type TestDb } from './test-db';

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('ingest_records')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('ingest records on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => { t = await open(); });
  afterAll(() => t?.cleanup());

  it('resumes from collector_state, else from the newest stored flow, else nowhere', async () => {
    expect(await readResumePoint(t.db, 'r1')).toBeUndefined();
    await createFlowWriter(t.db).write([
      { flow: { uuid: 'a', time: '2026-04-01T10:00:00.123456789Z' } },
      { flow: { uuid: 'b', time: '2026-04-01T10:00:01.5Z' } },
    ]);
    expect(await readResumePoint(t.db, 'r1')).toBe('2026-04-01T10:00:01.500000Z');
    await saveNewestFlowTime(t.db, 'r1', '2026-04-01T09:00:00.000001Z');
    expect(await readResumePoint(t.db, 'r1')).toBe('2026-04-01T09:00:00.000001Z');
    // Never backwards.
    await saveNewestFlowTime(t.db, 'r1', '2026-04-01T08:00:00Z');
    await saveNewestFlowTime(t.db, 'r1', '2026-04-01T09:30:00.987654321Z');
    expect(await readResumePoint(t.db, 'r1')).toBe('2026-04-01T09:30:00.987654Z');
    await saveConnectedSince(t.db, 'r1', Date.UTC(2026, 3, 1, 9, 31));
    expect(await readCollectorState(t.db, 'r1')).toMatchObject({
      relay: 'r1', newestFlowTime: '2026-04-01T09:30:00.987654Z', connectedSince: '2026-04-01T09:31:00.000000Z',
    });
    await saveConnectedSince(t.db, 'r1', null);
    expect((await readCollectorState(t.db, 'r1'))?.connectedSince).toBeNull();
  });

  it("resumes a relay without state from its cluster's newest recent flow, and searches a cluster without one once", async () => {
    const recent = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000).toISOString();
    await createFlowWriter(t.db).write([
      { flow: { uuid: 'e1', time: '2026-04-01T11:00:00Z', node_name: 'east/worker-1' } },
      { flow: { uuid: 'e2', time: recent, node_name: 'east/worker-1' } },
      { flow: { uuid: 's1', time: '2026-04-01T11:00:00Z', node_name: 'south/worker-1' } },
    ]);
    expect(await readResumePoint(t.db, 'east-relay', 'east')).toBe(recent.replace('Z', '000Z'));
    // Older than the look-back is as good as none: the relay holds minutes.
    expect(await readResumePoint(t.db, 'south-relay', 'south')).toBeUndefined();
    expect(await readResumePoint(t.db, 'west-relay', 'west')).toBeUndefined();
    await createFlowWriter(t.db).write([{ flow: { uuid: 'w1', time: recent, node_name: 'west/worker-1' } }]);
    expect(await readResumePoint(t.db, 'west-relay', 'west'), 'searched once per process').toBeUndefined();
  });

  it('records gaps and lists them by relay, kind and time', async () => {
    await recordGaps(t.db, [
      { relay: 'r2', kind: 'relay-unreachable', fromTime: Date.UTC(2026, 3, 2, 10), toTime: Date.UTC(2026, 3, 2, 10, 1), detail: 'relay r2 unreachable' },
      { relay: 'r2', kind: 'lost-events', fromTime: '2026-04-02T11:00:00.000000600Z', toTime: '2026-04-02T11:00:01Z', lostFlows: 12, detail: 'HUBBLE_RING_BUFFER on n1' },
      { relay: 'other', kind: 'not-recovered', fromTime: '2026-04-02T12:00:00Z', toTime: '2026-04-02T12:05:00Z' },
    ]);
    await recordGaps(t.db, []);
    expect(await listGaps(t.db, { relay: 'r2' })).toEqual([
      expect.objectContaining({ kind: 'relay-unreachable', fromTime: '2026-04-02T10:00:00.000000Z', toTime: '2026-04-02T10:01:00.000000Z', lostFlows: null }),
      expect.objectContaining({ kind: 'lost-events', fromTime: '2026-04-02T11:00:00.000001Z', lostFlows: 12, detail: 'HUBBLE_RING_BUFFER on n1' }),
    ]);
    expect((await listGaps(t.db, { kinds: ['not-recovered'] })).map((g) => g.relay)).toEqual(['other']);
    expect((await listGaps(t.db, { fromTime: '2026-04-02T11:30:00Z' })).map((g) => g.kind)).toEqual(['not-recovered']);
  });

  it('records node events and relay status samples', async () => {
    await recordNodeEvents(t.db, [
      { time: '2026-04-03T10:00:00Z', relay: 'r3', node: 'kind/a', state: 'NODE_CONNECTED' },
      { time: Date.UTC(2026, 3, 3, 10, 0, 1), relay: 'r3', node: 'kind/b', state: 'NODE_UNAVAILABLE', message: 'gone' },
    ]);
    const events = await t.db.query<{ node: string; state: string; message: string | null }>(
      'SELECT node, state, message FROM node_events WHERE relay = $1 ORDER BY time', ['r3']);
    expect(events).toEqual([{ node: 'kind/a', state: 'NODE_CONNECTED', message: null }, { node: 'kind/b', state: 'NODE_UNAVAILABLE', message: 'gone' }]);

    const sample = { time: Date.UTC(2026, 3, 3, 10), relay: 'r3', connected: true, numFlows: 4095, maxFlows: 16380, seenFlows: 10 ** 12, connectedNodes: 4, unavailableNodes: 0, flowsRate: 12.5 };
    await recordRelayStatus(t.db, sample);
    await recordRelayStatus(t.db, sample);
    await recordRelayStatus(t.db, { time: Date.UTC(2026, 3, 3, 10, 0, 10), relay: 'r3', connected: false });
    const rows = await t.db.query<Record<string, unknown>>(
      'SELECT connected, num_flows, seen_flows, connected_nodes, flows_rate FROM relay_status WHERE relay = $1 ORDER BY time', ['r3']);
    expect(rows).toEqual([
      { connected: true, num_flows: 4095, seen_flows: 10 ** 12, connected_nodes: 4, flows_rate: 12.5 },
      { connected: false, num_flows: null, seen_flows: null, connected_nodes: null, flows_rate: null },
    ]);
  });
});

describe('the search for a new relay\'s cluster on PostgreSQL', () => {
  let t: PgTestDb;
  beforeAll(async () => { t = await withTestSchema('ingest_records_slow'); });
  afterAll(() => t?.cleanup());

  it('counts as finding nothing once it runs past its timeout, so the relay starts at once from all it holds', async () => {
    await createFlowWriter(t.db).write([{ flow: { uuid: 'n1', time: new Date().toISOString(), node_name: 'north/worker-1' } }]);
    // Another session's lock on flows stands for a long scan: the search waits on it until cancelled.
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE flows IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      expect(await readResumePoint(t.db, 'north-relay', 'north', 300)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Not searched again for that relay (it reconnects often while unreachable); found when it answers in time.
    expect(await readResumePoint(t.db, 'north-relay', 'north', 300)).toBeUndefined();
    expect(await readResumePoint(t.db, 'north-2-relay', 'north', 300)).toMatch(/^\d{4}-/);
    expect(await t.db.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '0' }]);
  });
});
