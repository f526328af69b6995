/**
 * Two clusters followed at once (the two-cluster demo, each cluster its own relay over real gRPC):
 * both clusters' flows are stored, cross-cluster flows carry both cluster names and show up in
 * the rollups as edges between clusters, and one relay restarting loses and repeats nothing of
 * its own cluster while the other keeps flowing. Every check compares with what each cluster's
 * deterministic source generated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { startDemoCluster } from '../demo/demo-cluster';
import { createMeshSources, startDemoRelays, type DemoRelay } from '../demo/demo-mesh';
import { RelayClient } from '../hubble/relay-client';
import type { Db, SqlParam } from '../store/db';
import { listGaps, readResumePoint } from '../store/ingest-records';
import { withTestSchema, type TestDb } from '../store/test-db';
import { startRelayCollectors } from './relay-collectors';
import { compareWithSource, describeFlows, rollupTotals, sleep, storedFlows, waitFor } from './testing/ingest-checks';

const MESH = { clusters: ['east', 'west'], seed: 5, rateFlowsPerS: 400 };
const KNOBS = { backfillMs: 2_000, shutdownGraceMs: 200 };


async function newestOf(db: Db, cluster: string): Promise<number> {
  const [row] = await db.query<{ ms: number | null }>('SELECT (extract(epoch FROM max(time)) * 1000)::float8 AS ms FROM flows WHERE cluster = $1', [cluster]);
  return Number(row?.ms ?? 0);
}

async function count(db: Db, sql: string, params: SqlParam[] = []): Promise<number> {
  return Number((await db.query<{ n: number }>(sql, params))[0].n);
}

describe('collectors following two clusters at once (PostgreSQL)', () => {
  let t: TestDb;
  beforeAll(async () => { t = await withTestSchema('ingest_clusters'); });
  afterAll(() => t?.cleanup());

  it('stores both clusters, exactly once each, across a restart of one relay, with cross-cluster flows and edges', async () => {
    const relays: DemoRelay[] = await startDemoRelays(MESH, KNOBS);
    const westAddress = relays[1].address;
    let westRelay = { stop: relays[1].stop };
    const statuses: IngestStatus[] = [];
    const collectors = startRelayCollectors({
      relays: relays.map((r) => ({ cluster: r.cluster, key: r.cluster, client: new RelayClient({ address: r.address, dialTimeoutMs: 1_000 }), demo: true })),
      db: t.db, batchMaxDelayMs: 100, relayBackoff: { baseMs: 100, capMs: 500 }, statusSampleEveryMs: 400,
      publishStatus: (s) => statuses.push(s),
    });
    let stoppedAtMs = 0;
    let restartedAtMs = 0;
    try {
      await waitFor('both clusters stored', async () => (await newestOf(t.db, 'east')) > 0 && (await newestOf(t.db, 'west')) > 0, 15_000);
      await sleep(1_000);
      stoppedAtMs = Date.now();
      await westRelay.stop();
      // east keeps flowing while west is away.
      await waitFor('east to be stored past west stopping', async () => (await newestOf(t.db, 'east')) > stoppedAtMs + 1_500, 10_000);
      // Restarted with the same traffic, holding the last 30 s again: more than the outage plus any
      // delivery lag on a busy machine, so every flow west emitted can be taken back.
      westRelay = await startDemoCluster({ listen: westAddress, seed: MESH.seed, rateFlowsPerS: MESH.rateFlowsPerS, source: createMeshSources(MESH)[1], backfillMs: 30_000, shutdownGraceMs: 200 });
      restartedAtMs = Date.now();
      await waitFor('west to be stored past its restart', async () => (await newestOf(t.db, 'west')) > restartedAtMs + 1_000, 15_000);
    } finally {
      await collectors.stop();
      await Promise.allSettled([relays[0].stop(), westRelay.stop()]);
    }

    const sources = createMeshSources(MESH);
    let total = 0;
    for (const [i, cluster] of MESH.clusters.entries()) {
      const stored = await storedFlows(t.db, cluster);
      const cmp = compareWithSource(sources[i], stored);
      expect(cmp.expected, cluster).toBeGreaterThan(1_500);
      expect(cmp.missing, `${cluster} missing: ${describeFlows(cmp.missing)}`).toHaveLength(0);
      expect(cmp.unexpected, cluster).toHaveLength(0);
      total += stored.rows;
    }
    const west = await storedFlows(t.db, 'west');
    expect(west.oldestMs).toBeLessThan(stoppedAtMs - 500);
    expect(west.newestMs).toBeGreaterThan(restartedAtMs);
    // Exactly once, rollups included; nothing stored without a cluster.
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM flows')).toBe(total);
    expect(await rollupTotals(t.db)).toEqual({ minute: total, hour: total });

    // Cross-cluster flows, seen from both sides, with both names in the columns and in the kept jsonpb.
    for (const observer of ['east', 'west']) {
      expect(await count(t.db, `SELECT count(*)::int AS n FROM flows WHERE cluster = $1 AND src_cluster = 'west' AND dst_cluster = 'east'
        AND (raw::jsonb #>> '{flow,source,cluster_name}') = 'west' AND (raw::jsonb #>> '{flow,destination,cluster_name}') = 'east'`, [observer]), observer).toBeGreaterThan(0);
    }
    expect(await count(t.db, "SELECT count(*)::int AS n FROM edge_minute WHERE src_cluster = 'west' AND dst_cluster = 'east'")).toBeGreaterThan(0);
    // The fill: the demo's host endpoints name no cluster on the wire; stored, they name the observing one.
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM flows WHERE src_identity = 1')).toBeGreaterThan(0);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM flows WHERE src_identity = 1 AND src_cluster IS DISTINCT FROM cluster')).toBe(0);

    // Per relay: its own resume point, gaps, samples and stats.
    expect(await readResumePoint(t.db, 'unknown-relay', 'west')).toBe(await readResumePoint(t.db, 'west'));
    expect(Date.parse((await readResumePoint(t.db, 'west'))!)).toBeCloseTo(west.newestMs, -1);
    expect((await listGaps(t.db, { relay: 'east' }))).toEqual([]);
    expect((await listGaps(t.db, { relay: 'west' })).map((g) => g.kind)).toEqual(['relay-unreachable']);
    expect(await count(t.db, "SELECT count(DISTINCT relay)::int AS n FROM relay_status WHERE relay IN ('east', 'west') AND connected")).toBe(2);
    const last = statuses[statuses.length - 1];
    expect(last.relays?.map((r) => [r.cluster, r.relay, r.state])).toEqual([['east', 'east', 'stopped'], ['west', 'west', 'stopped']]);
    expect(last.relays?.map((r) => r.flowsStored)).toEqual([(await storedFlows(t.db, 'east')).rows, west.rows]);
    expect(last.relays?.[1].duplicateFlows).toBeGreaterThan(0);
    expect(last.flowsStored).toBe(total);
  }, 60_000);
});
