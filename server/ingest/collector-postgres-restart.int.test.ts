/**
 * PostgreSQL restarts (pg_ctlcluster restart: every connection cut, refused while it is down)
 * while the collector ingests 5,000 flows/s. The batch in flight is retried until it commits,
 * the collector stops reading from the relay instead of growing its memory, the status says
 * what is wrong, and ingest resumes by itself: not one flow is lost or stored twice.
 * The test relay lets a follower lag far behind before dropping flows, so that what is measured
 * is the collector, not the demo relay's patience.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { RelayClient } from '../hubble/relay-client';
import { liveBus } from '../live/live-bus';
import { listGaps } from '../store/ingest-records';
import { withTestSchema, type PgTestDb } from '../store/test-db';
import { startCollector } from './collector';
import {
  compareWithSource, countStored, describeFlows, newestStoredMs, rollupTotals, sleep, storedFlows, waitFor,
} from './testing/ingest-checks';
import { startTestRelay, type TestRelay } from './testing/test-relay';

const run = promisify(execFile);
const RELAY = 'pg-restart';
const RATE = 5_000;
const BATCH = 5_000;
const MAX_QUEUED_BATCHES = 4;

async function postgresReady(): Promise<boolean> {
  try {
    await run('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-t', '2']);
    return true;
  } catch {
    return false;
  }
}

/** Whatever happened in the test, leave the server running. */
async function ensurePostgresUp(): Promise<void> {
  if (await postgresReady()) return;
  await run('pg_ctlcluster', ['15', 'main', 'start']).catch(() => undefined);
  await waitFor('PostgreSQL to accept connections again', () => postgresReady(), 30_000, 250);
}

describe('collector while PostgreSQL restarts', () => {
  let t: PgTestDb;
  let relay: TestRelay;
  beforeAll(async () => {
    t = await withTestSchema('ingest_pg_restart');
    relay = await startTestRelay({
      listen: '127.0.0.1:0', seed: 44, rateFlowsPerS: RATE, bufferCapacity: 65_535, maxPendingPerFollower: 1_000_000,
    });
  });
  afterAll(async () => {
    await ensurePostgresUp();
    await relay?.stop();
    await t?.cleanup();
  });

  it('loses no flow, bounds its memory, says what is wrong and resumes by itself', async () => {
    const client = new RelayClient({ address: relay.address });
    const statuses: IngestStatus[] = [];
    const onStatus = (s: IngestStatus) => statuses.push(s);
    liveBus().on('status', onStatus);
    const collector = startCollector({
      client, relayLabel: relay.address, relayKey: RELAY, demo: false, db: t.db,
      batchMaxFlows: BATCH, maxQueuedBatches: MAX_QUEUED_BATCHES, dbRetryCapMs: 1_000,
    });
    let restartedAtMs = 0;
    try {
      await waitFor('steady ingest', async () => (await countStored(t.db)) > 10_000, 30_000);
      await run('pg_ctlcluster', ['15', 'main', 'restart'], { timeout: 30_000 });
      restartedAtMs = Date.now();
      await waitFor('ingest to resume by itself', async () => ((await newestStoredMs(t.db)) ?? 0) > restartedAtMs + 2_000, 40_000, 250);
      await sleep(1_100);
    } finally {
      liveBus().off('status', onStatus);
      await collector.stop();
      client.close();
      await ensurePostgresUp();
    }

    // The outage was seen, reported, and over by itself.
    const failing = statuses.filter((s) => s.lastError?.startsWith('database unavailable: '));
    expect(failing.length, 'a status reporting the database as unavailable').toBeGreaterThan(0);
    expect(failing[0].lastError).toMatch(/, retrying$/);
    const recovered = statuses.findLast((s) => s.state === 'connected');
    expect(recovered?.lastError).toBeUndefined();
    // Backpressure: the queue stayed within its bound instead of absorbing the whole outage.
    const maxQueued = Math.max(...statuses.map((s) => s.queuedFlows ?? 0));
    expect(maxQueued).toBeLessThanOrEqual((MAX_QUEUED_BATCHES + 2) * BATCH);

    const stored = await storedFlows(t.db);
    const cmp = compareWithSource(relay.source, stored);
    expect(cmp.toMs).toBeGreaterThan(restartedAtMs + 1_000);
    expect(cmp.expected).toBeGreaterThan(RATE * 4);
    expect(cmp.missing, `missing: ${describeFlows(cmp.missing)}`).toHaveLength(0);
    expect(cmp.unexpected).toHaveLength(0);
    expect(stored.times.size).toBe(stored.rows);
    expect(await rollupTotals(t.db)).toEqual({ minute: stored.rows, hour: stored.rows });
    // Nothing dropped by the relay (lost events) or by the collector; the relay never went away.
    expect(await listGaps(t.db, { relay: RELAY })).toEqual([]);
    expect(statuses.at(-1)).toMatchObject({ lostEvents: 0, droppedFlows: 0 });
  }, 60_000);
});
