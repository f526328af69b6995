/**
 * readTriage over demo traffic stored by the FlowWriter (flows and their edge rollups), on
 * PostgreSQL and PGlite: the demo's policy change makes frontend → api a new drop group with as
 * many drops as the stored flows hold, the background drops that were already there are not new,
 * and the drop rate per namespace agrees with the flows counted on either side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { createDemoTraffic } from '../demo/traffic';
import { createFlowWriter } from './flow-writer';
import { createPartitionManager } from './partitions';
import { readTriage } from './triage';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 20);
const MINUTE_MS = 60_000;
const FROM_MS = NOW_MS - 25 * MINUTE_MS;
const INCIDENT_FROM_MS = NOW_MS - 8 * MINUTE_MS;

const traffic = createDemoTraffic({
  seed: 7, rateFlowsPerS: 8, defaultTimeline: false,
  incidents: [{ name: 'policy-change', fromMs: INCIDENT_FROM_MS, toMs: NOW_MS + MINUTE_MS }],
});
const flows: Flow[] = traffic.flowsBetween(FROM_MS, NOW_MS);
const stored: FlowsResponse[] = flows.map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
const timeMs = (f: Flow) => Date.parse(f.time!);
const drops = flows.filter((f) => f.verdict === 'DROPPED');
const workload = (e: Flow['source']) => e?.workloads?.[0]?.name;
const port = (f: Flow) => f.l4?.TCP?.destination_port ?? f.l4?.UDP?.destination_port ?? 0;
/** A drop between two workloads, keyed like a drop group minus the policies (drops only; no replies). */
const groupOf = (f: Flow) => `${f.source?.namespace}/${workload(f.source)}→${f.destination?.namespace}/${workload(f.destination)}:${port(f)}:${f.drop_reason_desc}`;

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('triage_demo')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('readTriage over demo traffic on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    const writer = createFlowWriter(t.db, { partitions: createPartitionManager(t.db) });
    for (let i = 0; i < stored.length; i += 1000) await writer.write(stored.slice(i, i + 1000));
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('shows the policy change as a new frontend → api drop group, counted like the stored flows', async () => {
    const { newDropGroups } = await readTriage(t.db, { nowMs: NOW_MS });
    const recentSinceMs = Date.parse(newDropGroups.window.since);
    const group = newDropGroups.groups.find((g) => g.key.source.entity === 'frontend' && g.key.destination.entity === 'api');
    expect(group?.key).toEqual({
      source: { cluster: 'demo', namespace: 'shop', entity: 'frontend' },
      destination: { cluster: 'demo', namespace: 'shop', entity: 'api' },
      destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
    });
    const want = drops.filter((f) => groupOf(f) === 'shop/frontend→shop/api:8080:POLICY_DENIED' && timeMs(f) >= recentSinceMs);
    expect(want.length).toBeGreaterThan(10);
    expect(group?.flows).toBe(want.length);
    expect(Date.parse(group!.firstSeen)).toBe(Math.floor(Math.min(...want.map(timeMs)) / MINUTE_MS) * MINUTE_MS);
  });

  it('does not call a group new when it dropped before the recent window', async () => {
    const { newDropGroups } = await readTriage(t.db, { nowMs: NOW_MS });
    const recentSinceMs = Date.parse(newDropGroups.window.since);
    const between = (f: Flow) => workload(f.source) !== undefined && workload(f.destination) !== undefined;
    const before = new Set(drops.filter((f) => between(f) && timeMs(f) < recentSinceMs).map(groupOf));
    const again = new Set(drops.filter((f) => between(f) && timeMs(f) >= recentSinceMs && before.has(groupOf(f))).map(groupOf));
    expect(again.size).toBeGreaterThan(0);
    const reported = new Set(newDropGroups.groups.map((g) => (
      `${g.key.source.namespace}/${g.key.source.entity}→${g.key.destination.namespace}/${g.key.destination.entity}:${g.key.port}:${g.key.dropReason}`)));
    for (const key of again) expect(reported.has(key), key).toBe(false);
  });

  it('gives each namespace the drops of either side over the rate window', async () => {
    const { dropRates } = await readTriage(t.db, { nowMs: NOW_MS });
    const sinceMs = Date.parse(dropRates.now.since);
    const untilMs = Date.parse(dropRates.now.until);
    const inRate = drops.filter((f) => timeMs(f) >= sinceMs && timeMs(f) < untilMs);
    const shop = inRate.filter((f) => f.source?.namespace === 'shop' || f.destination?.namespace === 'shop');
    expect(shop.length).toBeGreaterThan(0);
    const row = dropRates.namespaces.find((n) => n.namespace === 'shop');
    expect(row).toEqual({ namespace: 'shop', nowPerMin: shop.length / 5, hourAgoPerMin: 0, dayAgoPerMin: 0 });
    expect(dropRates.namespaces[0].namespace).toBe('shop');
  });

  it('counts every stored flow once on the timeline', async () => {
    const { timeline, dropPairs } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(timeline.points.reduce((n, p) => n + p.flows, 0)).toBe(flows.length);
    expect(timeline.points.reduce((n, p) => n + p.drops, 0)).toBe(drops.length);
    expect(dropPairs.pairs[0]).toMatchObject({ source: { entity: 'frontend' }, destination: { entity: 'api' } });
  });
});
