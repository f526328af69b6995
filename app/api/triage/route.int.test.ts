/**
 * The route handler itself over a PGlite registered as the process's shared Db: a triage answer
 * with the collector's live status attached, a 400 naming the parameter for a bad `at`, no caching.
 */
import { describe, expect, it } from 'vitest';
import type { TriageResponse } from '../../../lib/api/triage';
import type { FlowsResponse } from '../../../lib/flow/flow';
import type { IngestStatus } from '../../../lib/ingest/ingest-status';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { liveBus } from '../../../server/live/live-bus';
import { GET } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const NOW_MS = Date.now();
const stored: FlowsResponse[] = createDemoTraffic({ seed: 3, rateFlowsPerS: 20 }).flowsBetween(NOW_MS - 3 * 60_000, NOW_MS)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
const STATUS: IngestStatus = {
  relayAddr: '127.0.0.1:4245', demo: true, state: 'connected', sinceMs: NOW_MS, flowsReceived: stored.length, flowsPerS: 20,
  lostEvents: 0, nodesConnected: 3, nodesUnavailable: 0, verdicts: { FORWARDED: 1 }, atMs: NOW_MS,
};

const get = (query = '') => GET(new Request(new URL(`/api/triage${query}`, 'http://localhost')));

describe('GET /api/triage', () => {
  const t = useSharedTestDb(stored, () => liveBus().publishStatus(STATUS));

  it('answers the triage of now with the live collector status, never cached', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as TriageResponse;
    expect(Math.abs(Date.parse(body.at) - Date.now())).toBeLessThan(60_000);
    expect(body.ingest).toEqual(STATUS);
    expect(body.timeline.points.reduce((n, p) => n + p.flows, 0)).toBe(stored.length);
    expect(body.dropPairs.pairs.length).toBeGreaterThan(0);
  });

  it('looks from the moment `at` names', async () => {
    const body = (await (await get('?at=2h')).json()) as TriageResponse;
    expect(Math.abs(Date.parse(body.at) - (Date.now() - 2 * 3_600_000))).toBeLessThan(60_000);
    expect(body.dropPairs.pairs).toEqual([]);
  });

  it('answers for the picked clusters only, with the live status of their relays', async () => {
    const demo = (await (await get('?cluster=demo')).json()) as TriageResponse;
    expect(demo.clusters).toEqual(['demo']);
    const inDemo = stored.filter(({ flow }) => flow?.source?.cluster_name === 'demo' || flow?.destination?.cluster_name === 'demo');
    // Written here without the collector's cluster fill, some flows (world to world) name no cluster.
    expect(inDemo.length).toBeGreaterThan(0);
    expect(demo.timeline.points.reduce((n, p) => n + p.flows, 0)).toBe(inDemo.length);
    // The status names no cluster: it cannot be said to be demo's.
    expect(demo.ingest).toBeNull();
    const other = (await (await get('?cluster=west')).json()) as TriageResponse;
    expect(other.timeline.points.reduce((n, p) => n + p.flows, 0)).toBe(0);
    expect([other.dropPairs.pairs, other.dropRates.namespaces, other.health.dataSince]).toEqual([[], [], null]);
    const empty = await get('?cluster=');
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/^cluster: empty/);
  });

  it('answers 400 with the parser\'s message for a time it cannot read', async () => {
    const res = await get('?at=soon');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^at: failed to convert soon to time/);
  });
});
