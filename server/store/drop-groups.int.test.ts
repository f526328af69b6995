/**
 * The drop inbox and a group's page on PostgreSQL 15 and on PGlite, over flows written by the real
 * FlowWriter (so the rollups are the collector's): counts, first/last seen, sparklines, trend,
 * novelty, sorting, filters answered by the rollups and by raw flows, and a group's samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DropGroupKey } from '../../lib/api/drop-groups';
import type { DropGroup, DropGroupsResponse } from '../../lib/api/drops';
import { cnp, dropFlow, podEndpoint, WORLD, type DropFlowInit } from '../../lib/drops/drop-test-flows';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import type { FlowsResponse } from '../../lib/flow/flow';
import { splitShellWords } from '../../lib/api/shell-words';
import { readDropGroupDetail } from './drop-group-detail';
import { DropGroupsLimitError, readDropGroups, type DropGroupsRequest } from './drop-groups';
import { createFlowWriter } from './flow-writer';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const FRONTEND = podEndpoint('shop', 'frontend', ['app=frontend']);
const API = podEndpoint('shop', 'api', ['app=api']);
const FRAUD = podEndpoint('payments', 'fraud-check', ['app=fraud-check']);
const KAFKA = podEndpoint('data', 'kafka', ['app=kafka']);

const denied: DropFlowInit = { source: FRONTEND, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] };
const partner: DropFlowInit = {
  source: FRAUD, destination: WORLD, dstIp: '203.0.113.7', destinationNames: ['api.partner.example'], direction: 'EGRESS',
  l4: { TCP: { source_port: 50000, destination_port: 443 } }, egressDeniedBy: [cnp('payments', 'fraud-egress')],
};

let serial = 0;
function at(ms: number, init: DropFlowInit, over: Partial<NonNullable<FlowsResponse['flow']>> = {}): FlowsResponse {
  const r = dropFlow(init);
  const flow = { ...r.flow!, ...over, time: iso(ms), uuid: `drop-${++serial}` };
  return { ...r, flow, time: flow.time };
}

const kafkaDrop = (ms: number) => at(ms, { source: API, destination: KAFKA, l4: { TCP: { source_port: 41000, destination_port: 9092 } }, direction: 'EGRESS' },
  { drop_reason: 155, drop_reason_desc: 'CT_MAP_INSERTION_FAILED' });

const FLOWS: FlowsResponse[] = [
  // frontend → api: 3 in the last hour, 2 in the hour before, 1 earlier that day: not new.
  ...[-50, -10, -5].map((m) => at(NOW + m * MIN, denied)),
  ...[-90, -89].map((m) => at(NOW + m * MIN, denied)),
  at(NOW - 3 * HOUR, denied),
  // fraud-check → api.partner.example: 5 in the last two minutes, never before: new.
  ...[1, 2, 3, 4, 5].map((s) => at(NOW - 2 * MIN + s * 1000, partner)),
  // api → kafka, conntrack full: once now, once 26 h ago (before the 24 h lookback): new.
  kafkaDrop(NOW - 40 * MIN),
  kafkaDrop(NOW - 26 * HOUR),
  // Not drops.
  { ...at(NOW - 30 * MIN, denied, { verdict: 'FORWARDED', drop_reason: 0, drop_reason_desc: undefined, ingress_denied_by: undefined }) },
];

const KEY_A: DropGroupKey = {
  source: { cluster: 'default', namespace: 'shop', entity: 'frontend' }, destination: { cluster: 'default', namespace: 'shop', entity: 'api' },
  destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
};

const filters = (q: string) => parseObserveArgs(splitShellWords(q)).filters;
const lastHour = (over: Partial<DropGroupsRequest> = {}): DropGroupsRequest => ({
  filters: filters(''), since: iso(NOW - HOUR), until: iso(NOW), sort: 'count', limit: 100, ...over,
});
const names = (r: DropGroupsResponse) => r.groups.map((g) => `${g.key.source.entity}->${g.key.destinationName || g.key.destination.entity}`);
const byEntity = (r: DropGroupsResponse, entity: string): DropGroup => r.groups.find((g) => g.key.source.entity === entity)!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('drop_groups')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('drop groups on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await createFlowWriter(t.db).write(FLOWS);
  });
  afterAll(() => t?.cleanup());

  it('groups the window\'s drops with counts, first/last seen, sparkline, trend and novelty', async () => {
    const r = await readDropGroups(t.db, lastHour());
    expect(names(r)).toEqual(['fraud-check->api.partner.example', 'frontend->api', 'api->kafka']);
    expect(r).toMatchObject({ source: 'rollups', hourBuckets: false, totalGroups: 3, totalDrops: 9, counted: { from: iso(NOW - HOUR), to: iso(NOW) } });
    const a = byEntity(r, 'frontend');
    expect(a).toMatchObject({ key: KEY_A, count: 3, previousCount: 2, isNew: false, firstSeen: iso(NOW - 50 * MIN).replace('.000', ''), lastSeen: iso(NOW - 5 * MIN).replace('.000', '') });
    expect(byEntity(r, 'fraud-check')).toMatchObject({ count: 5, previousCount: 0, isNew: true });
    expect(byEntity(r, 'api')).toMatchObject({ count: 1, isNew: true, key: { dropReason: 'CT_MAP_INSERTION_FAILED', port: 9092 } });
    for (const g of r.groups) {
      expect(g.sparkline).toHaveLength(r.sparkline.bins);
      expect(sum(g.sparkline)).toBe(g.count);
    }
    // The newest bin holds the partner drops of the last two minutes.
    expect(byEntity(r, 'fraud-check').sparkline.at(-1)).toBe(5);
  });

  it('sorts by recency and by novelty, and limits after counting every group', async () => {
    expect(names(await readDropGroups(t.db, lastHour({ sort: 'recency' })))).toEqual(['fraud-check->api.partner.example', 'frontend->api', 'api->kafka']);
    expect(names(await readDropGroups(t.db, lastHour({ sort: 'novelty' })))).toEqual(['fraud-check->api.partner.example', 'api->kafka', 'frontend->api']);
    const one = await readDropGroups(t.db, lastHour({ limit: 1 }));
    expect(one.groups).toHaveLength(1);
    expect(one).toMatchObject({ totalGroups: 3, totalDrops: 9 });
  });

  it('applies filters the rollups answer, ignoring anything but drops', async () => {
    const r = await readDropGroups(t.db, lastHour({ filters: filters('--namespace payments') }));
    expect(names(r)).toEqual(['fraud-check->api.partner.example']);
    expect((await readDropGroups(t.db, lastHour({ filters: filters('--verdict FORWARDED') }))).groups).toEqual([]);
  });

  it('aggregates raw flows for filters the rollups cannot answer, with the same counts', async () => {
    const r = await readDropGroups(t.db, lastHour({ filters: filters('--to-port 8080') }));
    expect(r.source).toBe('flows');
    expect(r.sourceReason).toMatch(/port/);
    expect(names(r)).toEqual(['frontend->api']);
    expect(r.groups[0]).toMatchObject({ count: 3, previousCount: 2, isNew: false, firstSeen: iso(NOW - 50 * MIN).replace('.000', '') });
    await expect(readDropGroups(t.db, lastHour({ filters: filters('--to-port 8080'), since: iso(NOW - 7 * HOUR) }))).rejects.toThrow(DropGroupsLimitError);
  });

  it('reads hour buckets in the middle of long windows and minutes at their edges', async () => {
    const r = await readDropGroups(t.db, lastHour({ since: iso(NOW - 12 * HOUR - 15 * MIN) }));
    expect(r.hourBuckets).toBe(true);
    expect(byEntity(r, 'frontend')).toMatchObject({ count: 6, firstSeen: iso(NOW - 3 * HOUR).replace('.000', '') });
    expect(r.totalDrops).toBe(12);
    // Starting a minute after the 09:00 drop leaves it out, although its hour bucket starts before.
    const later = await readDropGroups(t.db, lastHour({ since: iso(NOW - 3 * HOUR + MIN), until: iso(NOW + 5 * HOUR) }));
    expect(later.hourBuckets).toBe(true);
    expect(byEntity(later, 'frontend').count).toBe(5);
  });

  it('reads a group\'s count and newest samples with their facts', async () => {
    const d = await readDropGroupDetail(t.db, { key: KEY_A, since: iso(NOW - HOUR), until: iso(NOW), sampleLimit: 2 });
    expect(d.count).toBe(3);
    expect(d.samples.map((s) => s.flow?.time)).toEqual([iso(NOW - 5 * MIN), iso(NOW - 10 * MIN)]);
    expect(d.facts).toMatchObject({ direction: 'ingress', policies: [{ name: 'api-ingress', namespace: 'shop', kind: 'CiliumNetworkPolicy', direction: 'ingress' }] });
    expect(d.facts.destination.labels).toContain('k8s:app=api');
    const other = await readDropGroupDetail(t.db, { key: { ...KEY_A, policies: 'shop/other' }, since: iso(NOW - HOUR), until: iso(NOW), sampleLimit: 50 });
    expect(other).toMatchObject({ count: 0, samples: [] });
  });
});
