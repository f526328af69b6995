/**
 * readTriage on PostgreSQL 15 and PGlite, over rollup rows and collector records written by hand so
 * every window edge is exercised: rate windows of whole minutes, a drop counted once per namespace,
 * "new" judged over the day before the recent window (hour buckets, and the minute buckets of the
 * hour the recent window starts in, whose hour bucket already holds recent drops),
 * pairs with their top group, outages from status samples, gaps overlapping the day, and a
 * timeline with every bucket present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verdict } from '../../lib/flow/enums';
import { DropReason } from '../../lib/flow/drop-reasons';
import { EDGE_KEY } from './edge-counts';
import { recordGaps, recordNodeEvents, recordRelayStatus, saveConnectedSince, saveNewestFlowTime } from './ingest-records';
import { readTriage } from './triage';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');
const DROPPED = Verdict.byName.get('DROPPED')!;
const FORWARDED = Verdict.byName.get('FORWARDED')!;
const POLICY_DENIED = DropReason.byName.get('POLICY_DENIED')!;
const STALE_IP = DropReason.byName.get('STALE_OR_UNROUTABLE_IP')!;

interface Edge {
  src: [string, string];
  dst: [string, string];
  port?: number;
  protocol?: string;
  verdict?: number;
  reason?: number;
  policies?: string;
}

const API_DENIED: Edge = { src: ['shop', 'frontend'], dst: ['shop', 'api'], port: 8080, protocol: 'TCP', reason: POLICY_DENIED, policies: 'shop/api-ingress' };
const API_OTHER_PORT: Edge = { ...API_DENIED, port: 9090 };
const DNS_DENIED: Edge = { src: ['shop', 'frontend'], dst: ['kube-system', 'coredns'], port: 53, protocol: 'UDP', reason: POLICY_DENIED, policies: 'shop/egress' };
const SEEN_THIS_HOUR: Edge = { src: ['shop', 'cart'], dst: ['shop', 'redis'], port: 6379, protocol: 'TCP', reason: STALE_IP };
const SEEN_TWO_DAYS_AGO: Edge = { src: ['payments', 'worker'], dst: ['payments', 'db'], port: 5432, protocol: 'TCP', reason: STALE_IP };
const WORLD_TO_HOST: Edge = { src: ['', 'world'], dst: ['', 'host'], port: 22, protocol: 'TCP', reason: POLICY_DENIED, policies: '' };
const FORWARDED_API: Edge = { src: ['shop', 'frontend'], dst: ['shop', 'api'], port: 8080, protocol: 'TCP', verdict: FORWARDED, reason: 0 };

const at = (text: string) => new Date(text);

async function insertEdges(t: TestDb, table: 'edge_minute' | 'edge_hour', rows: Array<[string, Edge, number]>): Promise<void> {
  for (const [bucket, e, flows] of rows) {
    await t.db.query(
      `INSERT INTO ${table} (bucket, ${EDGE_KEY}, flows) VALUES ($1, '', $2, $3, '', $4, $5, '', '', $6, $7, $8, $9, '', $10, $11)`,
      [at(bucket), e.src[0], e.src[1], e.dst[0], e.dst[1], e.port ?? 0, e.protocol ?? '', e.verdict ?? DROPPED, e.reason ?? 0,
        e.policies ?? '', flows],
    );
  }
}

async function seed(t: TestDb): Promise<void> {
  await insertEdges(t, 'edge_minute', [
    ['2026-01-15T11:56:00Z', API_DENIED, 10], ['2026-01-15T11:57:00Z', API_DENIED, 10],
    // The minute in progress: recent, but not part of the rate.
    ['2026-01-15T12:00:00Z', API_DENIED, 3],
    // The same pair on another port: dropped before the recent window too, so not new.
    ['2026-01-15T11:20:00Z', API_OTHER_PORT, 2], ['2026-01-15T11:50:00Z', API_OTHER_PORT, 2],
    ['2026-01-15T11:56:00Z', DNS_DENIED, 5], ['2026-01-15T10:57:00Z', DNS_DENIED, 3], ['2026-01-14T11:58:00Z', DNS_DENIED, 10],
    ['2026-01-15T11:30:00Z', SEEN_THIS_HOUR, 4], ['2026-01-15T11:58:00Z', SEEN_THIS_HOUR, 6],
    ['2026-01-15T11:47:00Z', SEEN_TWO_DAYS_AGO, 1],
    ['2026-01-15T11:59:00Z', WORLD_TO_HOST, 7],
    // Recent, but just before the rate window.
    ['2026-01-15T11:54:00Z', WORLD_TO_HOST, 100],
    ['2026-01-15T11:56:00Z', FORWARDED_API, 500], ['2026-01-14T12:10:00Z', FORWARDED_API, 40],
  ]);
  await insertEdges(t, 'edge_hour', [
    // The hour the recent window starts in holds recent flows: it must not make them old.
    ['2026-01-15T11:00:00Z', API_DENIED, 23],
    ['2026-01-14T15:00:00Z', DNS_DENIED, 8],
    // Before the day the groups are compared with.
    ['2026-01-14T10:00:00Z', SEEN_TWO_DAYS_AGO, 9],
  ]);
  await recordRelayStatus(t.db, { time: '2026-01-15T11:50:00Z', relay: 'relay-a', connected: true, connectedNodes: 3, unavailableNodes: 0 });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:52:00Z', relay: 'relay-a', connected: false });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:53:00Z', relay: 'relay-a', connected: false });
  await recordRelayStatus(t.db, {
    time: '2026-01-15T12:00:20Z', relay: 'relay-a', connected: true, connectedNodes: 3, unavailableNodes: 1, flowsRate: 812.5,
    numFlows: 4000, maxFlows: 16380, seenFlows: 123456,
  });
  // After the moment looked from: ignored.
  await recordRelayStatus(t.db, { time: '2026-01-15T12:05:00Z', relay: 'relay-a', connected: false });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:58:00Z', relay: 'relay-b', connected: true, connectedNodes: 2, unavailableNodes: 0 });
  await recordRelayStatus(t.db, { time: '2026-01-15T11:59:00Z', relay: 'relay-b', connected: false });
  await saveNewestFlowTime(t.db, 'relay-a', '2026-01-15T12:00:25Z');
  await saveConnectedSince(t.db, 'relay-a', '2026-01-15T11:54:00Z');
  await recordGaps(t.db, [
    { relay: 'relay-a', kind: 'lost-events', fromTime: '2026-01-15T11:40:00Z', toTime: '2026-01-15T11:41:00Z', lostFlows: 120, detail: 'HUBBLE_RING_BUFFER on n1' },
    { relay: 'relay-a', kind: 'relay-unreachable', fromTime: '2026-01-15T11:52:00Z', toTime: '2026-01-15T11:54:00Z', detail: 'connection refused' },
    { relay: 'relay-a', kind: 'not-recovered', fromTime: '2026-01-14T11:30:00Z', toTime: '2026-01-14T12:10:00Z', lostFlows: 5 },
    { relay: 'relay-a', kind: 'lost-events', fromTime: '2026-01-13T11:00:00Z', toTime: '2026-01-13T11:01:00Z', lostFlows: 1000 },
  ]);
  await recordNodeEvents(t.db, [
    { time: '2026-01-15T11:51:00Z', relay: 'relay-a', node: 'n2', state: 'NODE_UNAVAILABLE', message: 'connection refused' },
    { time: '2026-01-15T11:55:00Z', relay: 'relay-a', node: 'n3', state: 'NODE_CONNECTED' },
    { time: '2026-01-13T11:55:00Z', relay: 'relay-a', node: 'n3', state: 'NODE_GONE' },
  ]);
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('triage')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('readTriage on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await seed(t);
  });
  afterAll(() => t?.cleanup());

  it('gives drops per minute per namespace over whole minutes, now, 1 h and 24 h before', async () => {
    const { dropRates } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(dropRates.now).toEqual({ since: '2026-01-15T11:55:00.000Z', until: '2026-01-15T12:00:00.000Z' });
    expect(dropRates.hourAgo).toEqual({ since: '2026-01-15T10:55:00.000Z', until: '2026-01-15T11:00:00.000Z' });
    expect(dropRates.dayAgo).toEqual({ since: '2026-01-14T11:55:00.000Z', until: '2026-01-14T12:00:00.000Z' });
    // shop: frontend → api once (both sides in shop) plus frontend → coredns; kube-system: coredns only.
    expect(dropRates.namespaces).toEqual([
      { namespace: 'shop', nowPerMin: (20 + 5 + 6) / 5, hourAgoPerMin: 3 / 5, dayAgoPerMin: 10 / 5 },
      { namespace: '', nowPerMin: 7 / 5, hourAgoPerMin: 0, dayAgoPerMin: 0 },
      { namespace: 'kube-system', nowPerMin: 5 / 5, hourAgoPerMin: 3 / 5, dayAgoPerMin: 10 / 5 },
    ]);
    expect(dropRates.truncated).toBe(false);
  });

  it('finds the groups dropping in the last 15 minutes that did not drop in the day before', async () => {
    const { newDropGroups } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(newDropGroups.window).toEqual({ since: '2026-01-15T11:45:00.000Z', until: '2026-01-15T12:00:30.000Z' });
    expect(newDropGroups.absentIn).toEqual({ since: '2026-01-14T11:45:00.000Z', until: '2026-01-15T11:45:00.000Z' });
    expect(newDropGroups.groups.map((g) => [`${g.key.source.entity}→${g.key.destination.entity}`, g.flows, g.firstSeen, g.lastSeen])).toEqual([
      ['frontend→api', 23, '2026-01-15T11:56:00.000Z', '2026-01-15T12:00:00.000Z'],
      ['world→host', 107, '2026-01-15T11:54:00.000Z', '2026-01-15T11:59:00.000Z'],
      ['worker→db', 1, '2026-01-15T11:47:00.000Z', '2026-01-15T11:47:00.000Z'],
    ]);
    expect(newDropGroups.truncated).toBe(false);
    expect(newDropGroups.groups[0].key).toEqual({
      source: { cluster: '', namespace: 'shop', entity: 'frontend' }, destination: { cluster: '', namespace: 'shop', entity: 'api' },
      destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
    });
  });

  it('ranks dropped pairs by drops in the last 15 minutes, each with its busiest group', async () => {
    const { dropPairs } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(dropPairs.window).toEqual({ since: '2026-01-15T11:45:00.000Z', until: '2026-01-15T12:00:30.000Z' });
    expect(dropPairs.pairs.map((p) => [p.source.entity, p.destination.entity, p.flows, p.groups, p.topGroup.port])).toEqual([
      ['world', 'host', 107, 1, 22],
      ['frontend', 'api', 23 + 2, 2, 8080],
      ['cart', 'redis', 6, 1, 6379],
      ['frontend', 'coredns', 5, 1, 53],
      ['worker', 'db', 1, 1, 5432],
    ]);
  });

  it('reports each relay\'s newest sample, outages, node events and gaps of the last day', async () => {
    const { health } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(health.relays).toEqual([
      {
        relay: 'relay-a', sampledAt: '2026-01-15T12:00:20.000Z', connected: true, connectedNodes: 3, unavailableNodes: 1,
        flowsPerS: 812.5, numFlows: 4000, maxFlows: 16380, seenFlows: 123456, connectedSince: '2026-01-15T11:54:00.000Z',
        newestStoredFlow: '2026-01-15T12:00:25.000Z',
      },
      expect.objectContaining({ relay: 'relay-b', sampledAt: '2026-01-15T11:59:00.000Z', connected: false, connectedSince: null }),
    ]);
    expect(health.outages).toEqual([
      { relay: 'relay-a', from: '2026-01-15T11:52:00.000Z', to: '2026-01-15T11:53:00.000Z', ongoing: false },
      { relay: 'relay-b', from: '2026-01-15T11:59:00.000Z', to: '2026-01-15T11:59:00.000Z', ongoing: true },
    ]);
    expect(health.nodeEvents.map((e) => [e.node, e.state, e.message])).toEqual([
      ['n3', 'NODE_CONNECTED', null], ['n2', 'NODE_UNAVAILABLE', 'connection refused'],
    ]);
    expect(health.gaps.map((g) => [g.kind, g.from, g.lostFlows])).toEqual([
      ['not-recovered', '2026-01-14T11:30:00.000Z', 5],
      ['lost-events', '2026-01-15T11:40:00.000Z', 120],
      ['relay-unreachable', '2026-01-15T11:52:00.000Z', null],
    ]);
    expect([health.gapCount, health.lostFlows]).toEqual([3, 125]);
    expect(health.dataSince).toBe('2026-01-14T11:58:00.000Z');
  });

  it('draws flows and drops per 15 minutes over the day, every bucket present', async () => {
    const { timeline } = await readTriage(t.db, { nowMs: NOW_MS });
    expect(timeline.bucketMinutes).toBe(15);
    expect(timeline.points).toHaveLength(24 * 4 + 1);
    expect(timeline.points[0]).toEqual({ time: '2026-01-14T12:00:00.000Z', flows: 40, drops: 0 });
    const point = (time: string) => timeline.points.find((p) => p.time === time);
    expect(point('2026-01-15T11:45:00.000Z')).toEqual({ time: '2026-01-15T11:45:00.000Z', flows: 20 + 2 + 5 + 6 + 1 + 7 + 100 + 500, drops: 20 + 2 + 5 + 6 + 1 + 7 + 100 });
    expect(point('2026-01-15T12:00:00.000Z')).toEqual({ time: '2026-01-15T12:00:00.000Z', flows: 3, drops: 3 });
    expect(point('2026-01-15T11:15:00.000Z')).toEqual({ time: '2026-01-15T11:15:00.000Z', flows: 2, drops: 2 });
    expect(timeline.points.reduce((n, p) => n + p.flows, 0)).toBe(40 + 3 + 2 + 2 + 5 + 3 + 4 + 6 + 1 + 7 + 100 + 20 + 500);
  });

  it('is empty, not failing, on an empty database and for a moment before any data', async () => {
    const before = await readTriage(t.db, { nowMs: Date.parse('2025-06-01T00:00:00Z') });
    expect(before.dropRates.namespaces).toEqual([]);
    expect(before.newDropGroups.groups).toEqual([]);
    expect(before.dropPairs.pairs).toEqual([]);
    expect(before.health).toMatchObject({ relays: [], gaps: [], outages: [], nodeEvents: [], gapCount: 0, lostFlows: 0, dataSince: null });
    expect(before.timeline.points.every((p) => p.flows === 0 && p.drops === 0)).toBe(true);
  });
});
