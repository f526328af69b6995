/**
 * Investigations on PostgreSQL and PGlite, over demo traffic stored by the FlowWriter: the frozen
 * flows are exactly what the in-memory matcher selects in the window (to the nanosecond at its
 * bounds), the newest `cap` when more match; they survive retention dropping every partition of
 * `flows` and newer flows arriving; pages, exports, list, preview and delete agree with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInvestigationCreate, type InvestigationCreateBody, type InvestigationDraft } from '../../lib/api/investigations';
import type { FlowsResponse } from '../../lib/flow/flow';
import { FLOWS_CSV_COLUMNS } from '../../lib/export/flows-csv';
import { FilterError } from '../../lib/filter/filter-error';
import { compileFilters } from '../../lib/filter/match';
import { compareTimestamps, parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { createDemoTraffic } from '../demo/traffic';
import type { Db } from './db';
import { createFlowWriter } from './flow-writer';
import {
  countInvestigationMatches, createInvestigation, deleteInvestigation, listInvestigations, previewInvestigation,
  readInvestigation, readInvestigationFlowsPage, streamInvestigationFlows,
} from './investigations';
import { createPartitionManager } from './partitions';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const FROM_MS = NOW_MS - 30 * 60_000;
const WINDOW_MS = 30_000;

const traffic = createDemoTraffic({
  seed: 23, rateFlowsPerS: 40, defaultTimeline: false,
  incidents: [{ name: 'policy-change', fromMs: FROM_MS + 5_000, toMs: FROM_MS + 25_000 }],
});
const asResponse = (flow: NonNullable<FlowsResponse['flow']>): FlowsResponse => ({ flow, node_name: flow.node_name, time: flow.time });
const stored: FlowsResponse[] = traffic.flowsBetween(FROM_MS, FROM_MS + WINDOW_MS).map(asResponse);
/** Flows that arrive after the investigations were made, inside and after their windows. */
const later: FlowsResponse[] = traffic.flowsBetween(FROM_MS + WINDOW_MS, FROM_MS + WINDOW_MS + 5_000).map(asResponse);

// Two flows a few hundred nanoseconds apart inside one microsecond, for the exact bound check.
const BOUND = '2026-01-15T11:30:10.000001300Z';
const boundFlows: FlowsResponse[] = ['2026-01-15T11:30:10.000001200Z', '2026-01-15T11:30:10.000001400Z'].map((time, i) =>
  asResponse({ ...stored[0].flow!, time, uuid: `00000000-0000-4000-8000-00000000000${i}` }));

const ns = (r: FlowsResponse) => timestampToNs(parseTimestamp(r.flow!.time!)!);
const uuids = (rs: readonly FlowsResponse[]) => rs.map((r) => r.flow!.uuid!);
const iso = (ms: number) => new Date(ms).toISOString();

function draft(body: Partial<InvestigationCreateBody>): InvestigationDraft {
  const r = parseInvestigationCreate({ kind: 'flows', title: 'test', ...body }, NOW_MS);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** What the matcher selects in the draft's window, newest first (flow time, then uuid like flow_key). */
function expected(d: InvestigationDraft, all: readonly FlowsResponse[] = [...stored, ...boundFlows]): FlowsResponse[] {
  const match = compileFilters(d.filters);
  const since = parseTimestamp(d.since)!;
  const until = parseTimestamp(d.until)!;
  return all
    .filter((r) => match(r.flow!) && compareTimestamps(parseTimestamp(r.flow!.time!)!, since) >= 0 && compareTimestamps(parseTimestamp(r.flow!.time!)!, until) <= 0)
    .sort((a, b) => (ns(b) > ns(a) ? 1 : ns(b) < ns(a) ? -1 : b.flow!.uuid!.localeCompare(a.flow!.uuid!)));
}

async function allFrozen(db: Db, id: string, limit = 37): Promise<FlowsResponse[]> {
  const out: FlowsResponse[] = [];
  let cursor: { time: string; flowKey: string } | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await readInvestigationFlowsPage(db, id, { limit, ...(cursor ? { cursor } : {}) });
    if (!page) throw new Error(`investigation ${id} is gone`);
    out.push(...page.flows);
    if (!page.nextCursor) return out;
    cursor = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString()) as { time: string; flowKey: string };
  }
  throw new Error('paging does not end');
}

async function collect(it: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of it) text += chunk;
  return text;
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['postgres', () => withTestSchema('investigations')],
  ['pglite', openTestPglite],
];

describe.each(drivers)('investigations on %s', (_, open) => {
  let t: TestDb;
  const windowed = { q: '--namespace shop', since: iso(FROM_MS + 2_000), until: iso(FROM_MS + 20_000) };
  beforeAll(async () => {
    t = await open();
    const writer = createFlowWriter(t.db, { partitions: createPartitionManager(t.db) });
    for (let i = 0; i < stored.length; i += 500) await writer.write(stored.slice(i, i + 500));
    await writer.write(boundFlows);
  });
  afterAll(() => t?.cleanup());

  it('freezes exactly the flows the matcher selects in the window, newest first', async () => {
    const d = draft(windowed);
    const want = expected(d);
    expect(want.length).toBeGreaterThan(100);
    const created = await createInvestigation(t.db, d, { nowMs: NOW_MS });
    expect(created).toMatchObject({ kind: 'flows', flowCount: want.length, truncated: false, matchingFlows: want.length, flowCap: 50_000 });
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(uuids(await allFrozen(t.db, created.id))).toEqual(uuids(want));
    const detail = await readInvestigation(t.db, created.id);
    expect(detail).toMatchObject({ q: '--namespace shop', since: d.since, until: d.until, notes: '', view: {}, createdAt: iso(NOW_MS) });
    expect(detail!.command).toBe(`hubble observe --namespace shop --since ${d.since} --until ${d.until}`);
    expect(detail!.newestFlowTime!.slice(0, 23)).toBe(want[0].flow!.time!.slice(0, 23));
  });

  it('checks flows within a microsecond of a bound on their own nanosecond time', async () => {
    const q = uuids(boundFlows).map((u) => `--uuid ${u}`).join(' ');
    const cases: Array<[{ since: string; until: string }, number[]]> = [
      [{ since: BOUND, until: iso(NOW_MS) }, [1]],
      [{ since: iso(FROM_MS), until: BOUND }, [0]],
    ];
    for (const [bounds, frozen] of cases) {
      const created = await createInvestigation(t.db, draft({ q, ...bounds }), { nowMs: NOW_MS });
      expect(uuids(await allFrozen(t.db, created.id))).toEqual(frozen.map((i) => boundFlows[i].flow!.uuid));
    }
  });

  it('keeps the newest `cap` flows when more match, and counts the rest afterwards', async () => {
    const d = draft({ since: iso(FROM_MS), until: iso(NOW_MS) });
    const want = expected(d);
    const created = await createInvestigation(t.db, d, { nowMs: NOW_MS, cap: 100 });
    expect(created).toMatchObject({ flowCount: 100, truncated: true, matchingFlows: null, flowCap: 100 });
    expect(uuids(await allFrozen(t.db, created.id))).toEqual(uuids(want.slice(0, 100)));
    expect(await countInvestigationMatches(t.db, created.id)).toBe(want.length);
    expect((await readInvestigation(t.db, created.id))!.matchingFlows).toBe(want.length);
    // Exactly `cap` matching: nothing was left out.
    const exact = await createInvestigation(t.db, d, { nowMs: NOW_MS, cap: want.length });
    expect(exact).toMatchObject({ flowCount: want.length, truncated: false, matchingFlows: want.length });
    expect(await countInvestigationMatches(t.db, exact.id)).toBeUndefined();
  });

  it('previews what Share would freeze, up to the cap', async () => {
    const d = draft(windowed);
    expect(await previewInvestigation(t.db, d)).toEqual({ since: d.since, until: d.until, matching: expected(d).length, capped: false, cap: 50_000 });
    expect(await previewInvestigation(t.db, d, 10)).toMatchObject({ matching: 10, capped: true, cap: 10 });
  });

  it('refuses a filter the store cannot match before writing anything', async () => {
    const before = await listInvestigations(t.db, 1000);
    await expect(createInvestigation(t.db, draft({ q: '--http-method PÖST', since: '1h' }), { nowMs: NOW_MS })).rejects.toThrow(FilterError);
    expect((await listInvestigations(t.db, 1000)).investigations).toHaveLength(before.investigations.length);
  });

  it('keeps a map snapshot, a view and a drop group\'s own filter', async () => {
    const map = {
      since: iso(FROM_MS), until: iso(NOW_MS), resolution: 'minute', truncated: false, timeline: [{ time: iso(FROM_MS), flows: 3, drops: 1 }],
      nodes: [{ id: '/shop/frontend', kind: 'workload', name: 'frontend', namespace: 'shop', cluster: '', services: [], worldNames: [] },
        { id: '/shop/api', kind: 'workload', name: 'api', namespace: 'shop', cluster: '', services: ['shop/api'], worldNames: [] }],
      edges: [{ id: '/shop/frontend->/shop/api', source: '/shop/frontend', target: '/shop/api', flows: 3, flowsPerS: 0.1, verdicts: [{ key: 'DROPPED', flows: 1 }], ports: [], l7: [], dropReasons: [], policies: [] }],
    };
    const m = await createInvestigation(t.db, draft({ kind: 'map', ...windowed, view: { hide: ['host'], edge: map.edges[0].id }, map: map as never }), { nowMs: NOW_MS });
    expect(await readInvestigation(t.db, m.id)).toMatchObject({ kind: 'map', map, view: { hide: ['host'], edge: map.edges[0].id } });
    const group = {
      source: { cluster: '', namespace: 'shop', entity: 'frontend' }, destination: { cluster: '', namespace: 'shop', entity: 'api' },
      destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: '',
    };
    const g = await createInvestigation(t.db, draft({ kind: 'drop-group', since: iso(FROM_MS), until: iso(NOW_MS), view: { group } }), { nowMs: NOW_MS });
    const detail = await readInvestigation(t.db, g.id);
    expect(detail!.q).toContain('--verdict DROPPED');
    expect(detail!.q).toContain('--to-port 8080');
    expect(detail!.view).toEqual({ group });
    const frozen = await allFrozen(t.db, g.id);
    expect(frozen.length).toBeGreaterThan(0);
    expect(uuids(frozen)).toEqual(uuids(expected(draft({ since: iso(FROM_MS), until: iso(NOW_MS), q: detail!.q }))));
  });

  it('exports the frozen lines oldest first as jsonpb and as CSV', async () => {
    const d = draft(windowed);
    const { id } = await createInvestigation(t.db, d, { nowMs: NOW_MS });
    const want = [...expected(d)].reverse();
    const rows = await t.db.query<{ raw: string }>('SELECT raw FROM flows WHERE flow_key = ANY($1::text[])', [uuids(want)]);
    const rawByUuid = new Map(rows.map((r) => [(JSON.parse(r.raw) as FlowsResponse).flow!.uuid!, r.raw]));
    const jsonpb = await collect(streamInvestigationFlows(t.db, id, 'jsonpb', { batchSize: 50 }));
    expect(jsonpb).toBe(want.map((r) => `${rawByUuid.get(r.flow!.uuid!)}\n`).join(''));
    const csv = (await collect(streamInvestigationFlows(t.db, id, 'csv', { batchSize: 50 }))).split('\r\n');
    expect(csv[0]).toBe(FLOWS_CSV_COLUMNS.join(','));
    expect(csv.filter(Boolean)).toHaveLength(want.length + 1);
  });

  it('lists newest first, deletes an investigation with its flows', async () => {
    const a = await createInvestigation(t.db, draft({ ...windowed, title: 'older' }), { nowMs: NOW_MS + 1_000 });
    const b = await createInvestigation(t.db, draft({ ...windowed, title: 'newer' }), { nowMs: NOW_MS + 2_000 });
    const list = await listInvestigations(t.db, 1);
    expect(list).toEqual({ investigations: [b], more: true });
    expect((await listInvestigations(t.db, 1000)).investigations.map((i) => i.id).slice(0, 2)).toEqual([b.id, a.id]);
    expect(await deleteInvestigation(t.db, a.id)).toBe(true);
    expect(await deleteInvestigation(t.db, a.id)).toBe(false);
    expect(await readInvestigation(t.db, a.id)).toBeUndefined();
    expect(await readInvestigationFlowsPage(t.db, a.id, { limit: 10 })).toBeUndefined();
    expect(await t.db.query('SELECT 1 FROM investigation_flows WHERE investigation_id = $1', [a.id])).toEqual([]);
    expect((await readInvestigation(t.db, b.id))!.flowCount).toBeGreaterThan(0);
  });

  it('shows the same rows after newer flows arrive and retention drops every partition of flows', async () => {
    const d = draft(windowed);
    const { id } = await createInvestigation(t.db, d, { nowMs: NOW_MS });
    const before = await allFrozen(t.db, id);
    await createFlowWriter(t.db, { partitions: createPartitionManager(t.db) }).write(later);
    expect(uuids(await allFrozen(t.db, id))).toEqual(uuids(before));
    const dropped = await createPartitionManager(t.db).dropOlderThan(NOW_MS + 7 * 86_400_000);
    expect(dropped.length).toBeGreaterThan(0);
    expect(await t.db.query('SELECT 1 FROM flows LIMIT 1')).toEqual([]);
    expect(uuids(await allFrozen(t.db, id, 1000))).toEqual(uuids(before));
    expect((await readInvestigation(t.db, id))!.flowCount).toBe(before.length);
  });
});
