/**
 * Backpressure: while the database does not answer, the collector fills its bounded queue and then
 * stops reading from the relay, so its memory stays flat instead of growing with the outage. The
 * relay then falls behind on its side; when it overflows it drops flows and says so with
 * lost_events, which become gaps. Every flow not stored is one the relay reported lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { RelayClient } from '../hubble/relay-client';
import { liveBus } from '../live/live-bus';
import type { Db } from '../store/db';
import { listGaps } from '../store/ingest-records';
import { withTestSchema, type PgTestDb } from '../store/test-db';
import { startCollector } from './collector';
import {
  compareWithSource, countStored, describeFlows, newestStoredMs, rollupTotals, sleep, storedFlows, waitFor,
} from './testing/ingest-checks';
import { startTestRelay, type TestRelay } from './testing/test-relay';

const RELAY = 'backpressure';
const BATCH = 1_000;
const MAX_QUEUED_BATCHES = 2;

/** The test database behind a gate: while closed, transactions wait (a database that hangs). */
function gated(db: Db): { db: Db; close(): void; open(): void } {
  let gate: Promise<void> | undefined;
  let openGate = () => undefined as void;
  return {
    db: {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      stream: (sql, params, n) => db.stream(sql, params, n),
      close: () => db.close(),
      async transaction(fn) {
        while (gate) await gate;
        return db.transaction(fn);
      },
    },
    close() {
      gate ??= new Promise<void>((resolve) => { openGate = resolve; });
    },
    open() {
      gate = undefined;
      openGate();
    },
  };
}

const ns = (t: string | undefined) => timestampToNs(parseTimestamp(t ?? '') ?? { seconds: 0, nanos: 0 });

describe('collector with a database that stops answering', () => {
  let t: PgTestDb;
  let relay: TestRelay;
  beforeAll(async () => {
    t = await withTestSchema('ingest_backpressure');
    relay = await startTestRelay({ listen: '127.0.0.1:0', seed: 55, rateFlowsPerS: 2_000, bufferCapacity: 65_535, maxPendingPerFollower: 3_000 });
  });
  afterAll(async () => {
    await relay?.stop();
    await t?.cleanup();
  });

  it('stops reading instead of growing, and every flow it misses is one the relay reported lost', async () => {
    const slow = gated(t.db);
    // A small window, so that what waits unread in the connection is not the whole outage.
    const client = new RelayClient({ address: relay.address, receiveWindowBytes: 256 * 1024 });
    const collector = startCollector({
      client, relayLabel: relay.address, relayKey: RELAY, demo: false, db: slow.db,
      batchMaxFlows: BATCH, maxQueuedBatches: MAX_QUEUED_BATCHES, batchMaxDelayMs: 100,
    });
    const duringOutage: IngestStatus[] = [];
    const onStatus = (s: IngestStatus) => duringOutage.push(s);
    try {
      await waitFor('steady ingest', async () => (await countStored(t.db)) > 2_000, 20_000);
      slow.close();
      liveBus().on('status', onStatus);
      await sleep(4_000);
      liveBus().off('status', onStatus);
      const reopenedAtMs = Date.now();
      slow.open();
      await waitFor('ingest to catch up', async () => ((await newestStoredMs(t.db)) ?? 0) > reopenedAtMs + 1_000, 30_000);
    } finally {
      liveBus().off('status', onStatus);
      slow.open();
      await collector.stop();
      client.close();
    }

    // Bounded: the sealed batches it may hold plus the one it was filling, never the whole outage.
    const peak = Math.max(...duringOutage.map((s) => s.queuedFlows ?? 0));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual((MAX_QUEUED_BATCHES + 1) * BATCH);
    // It had stopped reading: received grew by at most the queue's room while 8,000 flows were made
    // (and the relay had to drop flows, below, which it only does to a follower that stopped reading).
    expect(duringOutage.length).toBeGreaterThanOrEqual(3);
    const received = duringOutage.map((s) => s.flowsReceived);
    expect(Math.max(...received) - Math.min(...received)).toBeLessThanOrEqual((MAX_QUEUED_BATCHES + 1) * BATCH);

    const stored = await storedFlows(t.db);
    const cmp = compareWithSource(relay.source, stored);
    const lost = await listGaps(t.db, { relay: RELAY, kinds: ['lost-events'] });
    const reported = lost.reduce((n, g) => n + (g.lostFlows ?? 0), 0);
    expect(reported).toBeGreaterThan(0);
    // Exactly the flows the relay reported lost are missing, each inside a lost-events gap.
    expect(cmp.missing.length).toBe(reported);
    const outside = cmp.missing.filter((f) => !lost.some((g) => ns(f.time) >= ns(g.fromTime) - 1_000n && ns(f.time) <= ns(g.toTime) + 1_000n));
    expect(outside, `missing outside every lost-events gap: ${describeFlows(outside)}`).toHaveLength(0);
    expect(cmp.unexpected).toHaveLength(0);
    expect(stored.times.size).toBe(stored.rows);
    expect(await rollupTotals(t.db)).toEqual({ minute: stored.rows, hour: stored.rows });
    expect((await listGaps(t.db, { relay: RELAY })).filter((g) => g.kind !== 'lost-events')).toEqual([]);
  }, 60_000);
});
