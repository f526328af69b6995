import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { Db } from '../store/db';
import { createFlowWriter, prepareFlows, type PreparedFlowWriter } from '../store/flow-writer';
import { listGaps, readCollectorState } from '../store/ingest-records';
import { openTestPglite, type TestDb } from '../store/test-db';
import { createBatchWriter, type PendingBatch } from './batch-writer';

let t: TestDb;
beforeAll(async () => { t = await openTestPglite(); });
afterAll(() => t?.cleanup());

const flow = (uuid: string, time: string): FlowsResponse => ({ flow: { uuid, time, verdict: 'FORWARDED', Summary: uuid }, node_name: 'kind/worker', time });
const batch = (flows: FlowsResponse[]): PendingBatch => {
  const { rows, skipped } = prepareFlows(flows);
  return { flows: [...rows], gaps: [], nodeEvents: [], skipped, skippedTimes: [], bytes: 0 };
};
const count = async (db: Db) => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows'))[0].n);

function countingWriter(inner: PreparedFlowWriter): PreparedFlowWriter & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    write: (flows) => inner.write(flows),
    writePrepared: (b) => { calls.push(b.rows.length + b.skipped); return inner.writePrepared(b); },
  };
}

describe('batch writer', () => {
  it('isolates a flow the database refuses, stores the others and records the loss as a gap', async () => {
    const relay = 'poison';
    const writer = countingWriter(createFlowWriter(t.db));
    const write = createBatchWriter({ db: t.db, writer, relay });
    const good = Array.from({ length: 7 }, (_, i) => flow(`good-${i}`, `2026-02-01T10:00:0${i}Z`));
    // Year 0 passes RFC 3339 but not PostgreSQL: a real "rejected data" error (22008).
    const poison = flow('poison', '0000-01-01T00:00:00Z');
    const b = batch([...good.slice(0, 3), poison, ...good.slice(3)]);
    await write(b);
    expect(b.flowsResult).toMatchObject({ inserted: 7, dropped: 1, newestTime: '2026-02-01T10:00:06Z' });
    expect(await count(t.db)).toBe(7);
    expect(writer.calls[0]).toBe(8);
    const gaps = await listGaps(t.db, { relay });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: 'collector-dropped', lostFlows: 1 });
    expect(gaps[0].detail).toMatch(/refused by the database/);
    expect((await readCollectorState(t.db, relay))?.newestFlowTime).toBe('2026-02-01T10:00:06.000000Z');
  });

  it('records flows without a time as dropped', async () => {
    const relay = 'timeless';
    const write = createBatchWriter({ db: t.db, writer: createFlowWriter(t.db), relay });
    const b = batch([flow('t-1', '2026-02-02T10:00:00Z'), { flow: { uuid: 't-2' } }]);
    await write(b);
    expect(b.flowsResult).toMatchObject({ inserted: 1, skipped: 1, dropped: 1 });
    expect(await listGaps(t.db, { relay })).toMatchObject([{ kind: 'collector-dropped', lostFlows: 1, detail: '1 flows without a valid time, or with a value no column can hold (the log names it), could not be stored' }]);
  });

  it('on a retry repeats only the steps that did not commit', async () => {
    const relay = 'retry';
    const writer = countingWriter(createFlowWriter(t.db));
    let failRecords = true;
    // The records step runs in a transaction of its own: fail it once.
    const flaky: Db = {
      ...t.db,
      query: t.db.query.bind(t.db),
      stream: t.db.stream.bind(t.db),
      close: t.db.close.bind(t.db),
      transaction: (fn) => {
        if (failRecords) {
          failRecords = false;
          return Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), {}));
        }
        return t.db.transaction(fn);
      },
    };
    const write = createBatchWriter({ db: flaky, writer, relay });
    const b = batch([flow('r-1', '2026-02-03T10:00:00Z')]);
    b.nodeEvents.push({ time: '2026-02-03T10:00:00Z', relay, node: 'kind/worker', state: 'NODE_CONNECTED' });
    await expect(write(b)).rejects.toThrow(/terminated/);
    expect(b.flowsResult?.inserted).toBe(1);
    await write(b);
    expect(writer.calls).toEqual([1]);
    const events = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM node_events WHERE relay = $1', [relay]);
    expect(events[0].n).toBe(1);
    expect((await readCollectorState(t.db, relay))?.newestFlowTime).toBe('2026-02-03T10:00:00.000000Z');
  });
});
