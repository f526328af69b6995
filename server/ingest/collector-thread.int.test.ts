/**
 * The collectors in their own thread (PostgreSQL mode of `start`): every flow the demo relays
 * emitted is stored exactly once, the main thread's bus gets the combined status, live subscribers
 * here get exactly the committed flows their filters match (within their cap, the rest counted),
 * /metrics' batch-write families come across, and stop() writes everything before it resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { createMeshSources, startDemoRelays } from '../demo/demo-mesh';
import { LiveBus } from '../live/live-bus';
import { createOpsMetrics } from '../ops/ops-metrics';
import { withTestSchema, type PgTestDb } from '../store/test-db';
import { startCollectorThread } from './collector-thread';
import { compareWithSource, describeFlows, rollupTotals, storedFlows, waitFor } from './testing/ingest-checks';

const MESH = { clusters: ['east', 'west'], seed: 11, rateFlowsPerS: 300 };

describe('collector thread (PostgreSQL)', () => {
  let t: PgTestDb;
  beforeAll(async () => { t = await withTestSchema('collector_thread'); });
  afterAll(() => t?.cleanup());

  it('stores every flow once, and sends status, matching live flows and metrics to the main thread', async () => {
    const relays = await startDemoRelays(MESH, { backfillMs: 2_000, shutdownGraceMs: 200 });
    const bus = new LiveBus();
    const metrics = createOpsMetrics();
    const statuses: IngestStatus[] = [];
    bus.on('status', (s) => statuses.push(s));
    const thread = startCollectorThread({
      relays: relays.map((r) => ({ cluster: r.cluster, key: r.cluster, address: r.address, demo: true })),
      relayTls: { allowInsecure: false }, databaseUrl: t.url, logLevel: 'warn', bus, metrics,
    });
    let failed: Error | undefined;
    void thread.failure.then((err) => { failed = err; });

    // One subscriber takes west's DROPPED flows, one everything but at most 5 a second, one everything.
    const west: FlowsResponse[] = [];
    const everything = new Set<string>();
    const capped: FlowsResponse[] = [];
    let limited = 0;
    const firstSubscribedMs = Date.now();
    const stopWest = bus.subscribeFlows((flows) => west.push(...flows), {
      filters: { whitelist: [{ verdict: ['DROPPED'], node_name: ['west/'] }], blacklist: [] },
    });
    const cappedSinceMs = Date.now();
    const stopCapped = bus.subscribeFlows((flows, skipped) => {
      capped.push(...flows);
      limited += skipped;
    }, { filters: { whitelist: [], blacklist: [] }, rateMax: 5 });
    // Subscribed while flows stream in: once it is in effect, every flow not yet stored reaches it
    // (flows in the open batch when it was made are stored first), so stored-then-live has no gap.
    await waitFor('flows stored before subscribing', async () => (await storedFlows(t.db)).rows > 200, 15_000);
    const stopAll = bus.subscribeFlows((flows) => flows.forEach((r) => everything.add(r.flow!.uuid!)));
    expect(await bus.subscriptionsInEffect()).toBe(true);
    const storedBefore = new Set((await storedFlows(t.db)).times.keys());
    try {
      await waitFor('flows stored and delivered live', () => west.length > 5 && capped.length > 20 && limited > 0, 40_000);
      await waitFor('batch writes in the metrics', () => metrics.batchWrites.samples().some((s) => s.labels?.outcome === 'ok' && s.value > 2), 10_000);
    } finally {
      // The thread first: every flow it commits until it has stopped reaches the subscriptions.
      await thread.stop();
      stopWest();
      stopCapped();
      stopAll();
      await Promise.all(relays.map((r) => r.stop()));
    }
    expect(failed).toBeUndefined();

    // Stored: exactly what each cluster's deterministic source emitted, nothing twice.
    const sources = createMeshSources(MESH);
    const storedKeys = new Set<string>();
    for (const [i, cluster] of MESH.clusters.entries()) {
      const stored = await storedFlows(t.db, cluster);
      const cmp = compareWithSource(sources[i], stored);
      expect(cmp.expected, cluster).toBeGreaterThan(300);
      expect(cmp.missing, `${cluster} missing: ${describeFlows(cmp.missing)}`).toHaveLength(0);
      expect(cmp.unexpected, cluster).toHaveLength(0);
      for (const key of stored.times.keys()) storedKeys.add(key);
    }
    const [{ n: rows }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
    expect(rows).toBe(storedKeys.size);
    expect(await rollupTotals(t.db)).toEqual({ minute: rows, hour: rows });

    // The status crossed over, and its last word is the stopped collectors' totals.
    const last = statuses[statuses.length - 1];
    expect(last.relays?.map((r) => [r.cluster, r.state])).toEqual([['east', 'stopped'], ['west', 'stopped']]);
    expect(last.flowsStored).toBe(rows);

    // Live: only matching flows, each committed (stored), and none from before the subscription took effect.
    expect(west.every((r) => r.flow?.verdict === 'DROPPED' && r.flow.node_name?.startsWith('west/'))).toBe(true);
    expect([...storedKeys].filter((k) => !storedBefore.has(k) && !everything.has(k))).toEqual([]);
    const live = [...west, ...capped];
    expect(live.filter((r) => !storedKeys.has(r.flow!.uuid!))).toEqual([]);
    expect(live.filter((r) => Date.parse(r.flow!.time!) < firstSubscribedMs - 5_000)).toEqual([]);
    // The cap: at most 5 a clock second of delivery, the rest counted.
    expect(capped.length).toBeLessThanOrEqual(5 * (Math.ceil((Date.now() - cappedSinceMs) / 1000) + 1));
    expect(limited).toBeGreaterThan(0);
    expect(metrics.batchWriteSeconds.samples().find((s) => s.suffix === '_count')?.value).toBeGreaterThan(2);
  }, 120_000);
});
