/**
 * The relay restarts while the collector follows it (the demo cluster over real gRPC, stopped and
 * started again on the same port with the same seed). The restarted relay still holds the seconds
 * the collector missed, and the resumed stream asks for them: every flow the relay emitted is
 * stored exactly once, the overlap is deduplicated, and the outage is recorded as a gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCluster, type DemoCluster } from '../demo/demo-cluster';
import { RelayClient } from '../hubble/relay-client';
import { liveBus } from '../live/live-bus';
import { listGaps } from '../store/ingest-records';
import { openTestPglite, withTestSchema, type TestDb } from '../store/test-db';
import { startCollector } from './collector';
import {
  compareWithSource, countStored, describeFlows, newestStoredMs, rollupTotals, sleep, storedFlows, waitFor,
} from './testing/ingest-checks';

const SEED = 21;
const RATE = 1_000;
const RELAY = 'restarting-relay';

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('ingest_relay_restart')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('collector across a relay restart (%s)', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => { t = await open(); });
  afterAll(() => t?.cleanup());

  it('stores every flow the relay emitted exactly once and records the outage', async () => {
    let relay: DemoCluster = await startDemoCluster({ listen: '127.0.0.1:0', seed: SEED, rateFlowsPerS: RATE, backfillMs: 2_000 });
    const address = relay.address;
    const client = new RelayClient({ address, dialTimeoutMs: 1_000 });
    const collector = startCollector({
      client, relayLabel: address, relayKey: RELAY, demo: false, db: t.db,
      batchMaxDelayMs: 100, relayBackoff: { baseMs: 100, capMs: 500 }, statusSampleEveryMs: 400,
    });
    let stoppedAtMs = 0;
    let restartedAtMs = 0;
    try {
      await waitFor('the first flows to be stored', async () => (await countStored(t.db)) > 3_000, 20_000);
      stoppedAtMs = Date.now();
      await relay.stop();
      await sleep(2_500);
      // The same seed on the same port: a restarted relay whose buffers hold the last seconds again.
      relay = await startDemoCluster({ listen: address, seed: SEED, rateFlowsPerS: RATE, backfillMs: 8_000 });
      restartedAtMs = Date.now();
      await waitFor('ingest to run well past the restart', async () => ((await newestStoredMs(t.db)) ?? 0) > restartedAtMs + 2_000, 30_000);
    } finally {
      await collector.stop();
      client.close();
      await relay.stop();
    }

    const stored = await storedFlows(t.db);
    const cmp = compareWithSource(relay.source, stored);
    // The window spans the outage: from before the stop to after the restart.
    expect(cmp.fromMs).toBeLessThan(stoppedAtMs - 1_000);
    expect(cmp.toMs).toBeGreaterThan(restartedAtMs + 1_000);
    expect(cmp.expected).toBeGreaterThan(5_000);
    expect(cmp.missing, `missing: ${describeFlows(cmp.missing)}`).toHaveLength(0);
    expect(cmp.unexpected).toHaveLength(0);
    // Exactly once: flow_key is unique in the table, and the rollups count each flow once.
    expect(stored.times.size).toBe(stored.rows);
    expect(await rollupTotals(t.db)).toEqual({ minute: stored.rows, hour: stored.rows });

    // The resumed stream overlapped what was stored; those flows came twice and were stored once.
    const status = liveBus().status();
    expect(status?.duplicateFlows).toBeGreaterThan(0);
    expect(status?.flowsStored).toBe(stored.rows);
    expect(status?.droppedFlows).toBe(0);

    const gaps = await listGaps(t.db, { relay: RELAY });
    const outages = gaps.filter((g) => g.kind === 'relay-unreachable');
    expect(outages).toHaveLength(1);
    expect(Date.parse(outages[0].fromTime)).toBeGreaterThanOrEqual(stoppedAtMs - 50);
    expect(Date.parse(outages[0].fromTime)).toBeLessThan(restartedAtMs);
    expect(Date.parse(outages[0].toTime)).toBeGreaterThanOrEqual(restartedAtMs);
    expect(gaps.filter((g) => g.kind !== 'relay-unreachable')).toEqual([]);

    // ServerStatus samples: buffers filling while it was up, and the outage.
    const samples = await t.db.query<{ connected: boolean; num_flows: number | null; ms: number }>(
      'SELECT connected, num_flows, (extract(epoch FROM time) * 1000)::float8 AS ms FROM relay_status WHERE relay = $1 ORDER BY time', [RELAY]);
    expect(samples.filter((s) => s.connected && Number(s.num_flows) > 0).length).toBeGreaterThan(2);
    const down = samples.filter((s) => !s.connected);
    expect(down.length).toBeGreaterThan(0);
    for (const s of down) expect(Number(s.ms)).toBeGreaterThanOrEqual(stoppedAtMs);
  }, 60_000);
});
