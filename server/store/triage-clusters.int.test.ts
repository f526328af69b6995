/**
 * readTriage for picked clusters on PostgreSQL 15 and PGlite: two clusters, east and west, with the
 * same namespace (shop) in both, drops inside each and one from east to west, and each relay's
 * status, gaps and node events. Every number is checked per cluster: a drop counts for a cluster
 * when either side is in it (as `hubble observe --cluster`), and for the namespaces of its sides in
 * that cluster; a group new in west is new although the same names dropped in east.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict } from '../../lib/flow/enums';
import { EDGE_KEY } from './edge-counts';
import { recordGaps, recordNodeEvents, recordRelayStatus } from './ingest-records';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';
import { readTriage } from './triage';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');
const DROPPED = Verdict.byName.get('DROPPED')!;
const FORWARDED = Verdict.byName.get('FORWARDED')!;
const DENIED = DropReason.byName.get('POLICY_DENIED')!;

type Side = [cluster: string, namespace: string, entity: string];
interface Edge { src: Side; dst: Side; port: number; verdict: number; reason: number; policies: string }

const denied = (src: Side, dst: Side, port: number, policies = ''): Edge => ({ src, dst, port, verdict: DROPPED, reason: DENIED, policies });
const forwarded = (src: Side, dst: Side): Edge => ({ src, dst, port: 80, verdict: FORWARDED, reason: 0, policies: '' });

const E_API = denied(['east', 'shop', 'frontend'], ['east', 'shop', 'api'], 8080, 'shop/api-ingress');
const W_API = denied(['west', 'shop', 'frontend'], ['west', 'shop', 'api'], 8080, 'shop/api-ingress');
const CROSS = denied(['east', 'shop', 'frontend'], ['west', 'data', 'db'], 5432, 'data/db-ingress');
const W_HOST = denied(['', '', 'world'], ['west', '', 'host'], 22);
const E_FWD = forwarded(['east', 'shop', 'a'], ['east', 'shop', 'b']);
const W_FWD = forwarded(['west', 'shop', 'a'], ['west', 'shop', 'b']);

async function insert(t: TestDb, table: 'edge_minute' | 'edge_hour', rows: Array<[string, Edge, number]>): Promise<void> {
  for (const [bucket, e, flows] of rows) {
    await t.db.query(
      `INSERT INTO ${table} (bucket, ${EDGE_KEY}, flows) VALUES ($1, $2, $3, $4, $5, $6, $7, '', '', $8, 'TCP', $9, $10, '', $11, $12)`,
      [new Date(bucket), ...e.src, ...e.dst, e.port, e.verdict, e.reason, e.policies, flows],
    );
  }
}

async function seed(t: TestDb): Promise<void> {
  await insert(t, 'edge_minute', [
    ['2026-01-15T11:56:00Z', E_API, 10], ['2026-01-15T10:56:00Z', E_API, 5], ['2026-01-14T11:56:00Z', E_API, 15],
    ['2026-01-15T11:57:00Z', W_API, 4], ['2026-01-15T11:58:00Z', CROSS, 6], ['2026-01-15T11:59:00Z', W_HOST, 3],
    ['2026-01-15T11:56:00Z', E_FWD, 100], ['2026-01-14T08:10:00Z', E_FWD, 1000],
    // West's stored history begins here.
    ['2026-01-15T11:30:00Z', W_FWD, 20], ['2026-01-15T11:56:00Z', W_FWD, 50],
  ]);
  await insert(t, 'edge_hour', [
    ['2026-01-14T08:00:00Z', E_FWD, 1000], ['2026-01-14T11:00:00Z', E_API, 15], ['2026-01-15T10:00:00Z', E_API, 5],
    ['2026-01-15T11:00:00Z', E_API, 10], ['2026-01-15T11:00:00Z', W_API, 4], ['2026-01-15T11:00:00Z', CROSS, 6],
    ['2026-01-15T11:00:00Z', W_HOST, 3], ['2026-01-15T11:00:00Z', E_FWD, 100], ['2026-01-15T11:00:00Z', W_FWD, 70],
  ]);
  await recordRelayStatus(t.db, { time: '2026-01-15T12:00:00Z', relay: 'east', connected: true, connectedNodes: 2, unavailableNodes: 0 });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:58:00Z', relay: 'west', connected: true, connectedNodes: 3, unavailableNodes: 0 });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:59:00Z', relay: 'west', connected: false });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:59:30Z', relay: 'relay.north:4245', connected: true });
  await recordGaps(t.db, [
    { relay: 'east', kind: 'lost-events', fromTime: '2026-01-15T11:40:00Z', toTime: '2026-01-15T11:41:00Z', lostFlows: 100 },
    { relay: 'west', kind: 'relay-unreachable', fromTime: '2026-01-15T11:59:00Z', toTime: '2026-01-15T12:00:00Z' },
  ]);
  await recordNodeEvents(t.db, [
    { time: '2026-01-15T11:50:00Z', relay: 'east', node: 'east/n1', state: 'NODE_CONNECTED' },
    { time: '2026-01-15T11:59:00Z', relay: 'west', node: 'west/n2', state: 'NODE_UNAVAILABLE' },
  ]);
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('triage_clusters')],
  ['PGlite', () => openTestPglite()],
];

const rates = (r: Awaited<ReturnType<typeof readTriage>>) => r.dropRates.namespaces.map((n) => [n.namespace, n.nowPerMin, n.hourAgoPerMin, n.dayAgoPerMin]);
const pair = (s: { cluster: string; entity: string }, d: { cluster: string; entity: string }) => `${s.cluster}:${s.entity}→${d.cluster}:${d.entity}`;
const groups = (r: Awaited<ReturnType<typeof readTriage>>) => r.newDropGroups.groups.map((g) => [pair(g.key.source, g.key.destination), g.flows]);
const pairs = (r: Awaited<ReturnType<typeof readTriage>>) => r.dropPairs.pairs.map((p) => [pair(p.source, p.destination), p.flows]);
const totals = (r: Awaited<ReturnType<typeof readTriage>>) => r.timeline.points.reduce((n, p) => [n[0] + p.flows, n[1] + p.drops], [0, 0]);
const point = (r: Awaited<ReturnType<typeof readTriage>>, time: string) => r.timeline.points.find((p) => p.time === time);

describe.each(drivers)('readTriage for picked clusters on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await seed(t);
  });
  afterAll(() => t?.cleanup());

  it('counts drop rates for the namespaces of the sides in the picked clusters', async () => {
    const west = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west'] });
    expect(west.clusters).toEqual(['west']);
    // data: east → west db (only its west side counts); shop: west's own; '': world → west host.
    expect(rates(west)).toEqual([['data', 6 / 5, 0, 0], ['shop', 4 / 5, 0, 0], ['', 3 / 5, 0, 0]]);
    // East's shop, with the drop to west counted for its east side; data is west's.
    expect(rates(await readTriage(t.db, { nowMs: NOW_MS, clusters: ['east'] }))).toEqual([['shop', 16 / 5, 5 / 5, 15 / 5]]);
    const all = await readTriage(t.db, { nowMs: NOW_MS });
    expect(all.clusters).toEqual([]);
    expect(rates(all)).toEqual([['shop', 20 / 5, 5 / 5, 15 / 5], ['data', 6 / 5, 0, 0], ['', 3 / 5, 0, 0]]);
  });

  it('finds new groups and top pairs with either side in a picked cluster, cluster by cluster', async () => {
    const west = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west'] });
    // West's frontend → api is new: the same names dropping in east the day before are another group.
    expect(groups(west)).toEqual([[':world→west:host', 3], ['east:frontend→west:db', 6], ['west:frontend→west:api', 4]]);
    expect(pairs(west)).toEqual([['east:frontend→west:db', 6], ['west:frontend→west:api', 4], [':world→west:host', 3]]);
    const east = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['east'] });
    expect(groups(east)).toEqual([['east:frontend→west:db', 6]]);
    expect(pairs(east)).toEqual([['east:frontend→east:api', 10], ['east:frontend→west:db', 6]]);
    const none = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['north'] });
    expect([rates(none), groups(none), pairs(none), totals(none)]).toEqual([[], [], [], [0, 0]]);
  });

  it('draws the timeline of the picked clusters, each selection kept apart from the others', async () => {
    for (let round = 0; round < 2; round++) {
      // The second round answers the older buckets from what the first kept.
      const all = await readTriage(t.db, { nowMs: NOW_MS });
      const west = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west'] });
      const east = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['east'] });
      const both = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west', 'east'] });
      expect(totals(all)).toEqual([198, 28]);
      expect(totals(both)).toEqual([198, 28]);
      expect(totals(west)).toEqual([83, 13]);
      expect(totals(east)).toEqual([121, 21]);
      expect(point(west, '2026-01-15T10:45:00.000Z')).toMatchObject({ flows: 0, drops: 0 });
      expect(point(east, '2026-01-15T10:45:00.000Z')).toMatchObject({ flows: 5, drops: 5 });
      expect(point(west, '2026-01-15T11:30:00.000Z')).toMatchObject({ flows: 20, drops: 0 });
      expect(point(east, '2026-01-15T11:45:00.000Z')).toMatchObject({ flows: 116, drops: 16 });
    }
  });

  it('shows the picked clusters\' relays, their outages, gaps and node events, and where their history begins', async () => {
    const west = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west'] });
    expect(west.health.relays.map((r) => [r.relay, r.connected])).toEqual([['west', false]]);
    expect(west.health.outages).toEqual([{ relay: 'west', from: '2026-01-15T11:59:00.000Z', to: '2026-01-15T11:59:00.000Z', ongoing: true }]);
    expect(west.health.gaps.map((g) => [g.relay, g.kind])).toEqual([['west', 'relay-unreachable']]);
    expect([west.health.gapCount, west.health.lostFlows]).toEqual([1, 0]);
    expect(west.health.nodeEvents.map((e) => e.node)).toEqual(['west/n2']);
    expect(west.health.dataSince).toBe('2026-01-15T11:30:00.000Z');

    const east = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['east'] });
    expect(east.health.relays.map((r) => r.relay)).toEqual(['east']);
    expect([east.health.gapCount, east.health.lostFlows, east.health.outages]).toEqual([1, 100, []]);
    expect(east.health.dataSince).toBe('2026-01-14T08:10:00.000Z');

    // A relay recorded under its address belongs to the clusters the caller says (the live status knows).
    const named = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['north'], relays: ['north', 'relay.north:4245'] });
    expect(named.health.relays.map((r) => r.relay)).toEqual(['relay.north:4245']);
    expect(named.health.dataSince).toBeNull();

    const all = await readTriage(t.db, { nowMs: NOW_MS });
    expect(all.health.relays.map((r) => r.relay)).toEqual(['east', 'relay.north:4245', 'west']);
    expect([all.health.gapCount, all.health.dataSince]).toEqual([2, '2026-01-14T08:10:00.000Z']);
  });

  it('applies a viewer\'s namespaces on top of the clusters in the timeline', async () => {
    const west = await readTriage(t.db, { nowMs: NOW_MS, clusters: ['west'], namespaces: ['data'] });
    expect(totals(west)).toEqual([6, 6]);
  });
});
