/**
 * readFlowsPage and streamFlowsJsonpb over demo traffic stored by the FlowWriter, on PostgreSQL and
 * PGlite: paging covers every flow once, newest first; filters select what the in-memory matcher
 * selects; the jsonpb export is the stored lines in time order; a few hundred random valid queries
 * never fail (FLOWS_QUERY_SEED=<n> replays).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryGen, seededRandom } from '../../lib/api/flows-query-gen';
import { parseFlowsQuery, type FlowsPageQuery } from '../../lib/api/flows-query';
import type { FlowsResponse } from '../../lib/flow/flow';
import { FilterError } from '../../lib/filter/filter-error';
import { compileFilters } from '../../lib/filter/match';
import { compareTimestamps, parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { createDemoTraffic } from '../demo/traffic';
import type { Db } from './db';
import { createFlowWriter } from './flow-writer';
import { readFlowsPage, streamFlowsJsonpb } from './flows-page';
import { createPartitionManager } from './partitions';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const FROM_MS = NOW_MS - 30 * 60_000;
const WINDOW_MS = 40_000;
const SEED = Number(process.env.FLOWS_QUERY_SEED ?? 20260115);

const traffic = createDemoTraffic({
  seed: 11, rateFlowsPerS: 40, defaultTimeline: false,
  incidents: [{ name: 'policy-change', fromMs: FROM_MS + 10_000, toMs: FROM_MS + 25_000 }],
});
const stored: FlowsResponse[] = traffic.flowsBetween(FROM_MS, FROM_MS + WINDOW_MS)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const ns = (r: FlowsResponse) => timestampToNs(parseTimestamp(r.flow!.time!)!);
const uuids = (rs: readonly FlowsResponse[]) => rs.map((r) => r.flow!.uuid!);

function query(params: Record<string, string>): FlowsPageQuery {
  const r = parseFlowsQuery(new URLSearchParams(params), NOW_MS);
  if (!r.ok) throw new Error(r.error);
  return r.query;
}

/** Every page of a query, following nextCursor; checks the pages join up newest first. */
async function allPages(db: Db, q: FlowsPageQuery): Promise<{ flows: FlowsResponse[]; pages: number }> {
  const flows: FlowsResponse[] = [];
  let cursor = q.cursor;
  for (let pages = 1; ; pages++) {
    const page = await readFlowsPage(db, { ...q, cursor });
    expect(page.command).toBe(q.command);
    expect(page.flows.length).toBeLessThanOrEqual(q.limit);
    flows.push(...page.flows);
    if (!page.nextCursor) return { flows, pages };
    cursor = query({ cursor: page.nextCursor }).cursor;
    if (pages > 10_000) throw new Error('paging does not end');
  }
}

/** What the in-memory matcher and the exact time range select, newest first by flow time. */
function expected(q: FlowsPageQuery): FlowsResponse[] {
  const match = compileFilters(q.filters);
  const since = q.since === undefined ? undefined : parseTimestamp(q.since)!;
  const until = q.until === undefined ? undefined : parseTimestamp(q.until)!;
  return stored.filter((r) => {
    const t = parseTimestamp(r.flow!.time!)!;
    return match(r.flow!) && (!since || compareTimestamps(t, since) >= 0) && (!until || compareTimestamps(t, until) <= 0);
  });
}

async function collect(it: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of it) text += chunk;
  return text;
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['postgres', () => withTestSchema('flows_page')],
  ['pglite', openTestPglite],
];

describe.each(drivers)('flows page on %s', (_, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    const writer = createFlowWriter(t.db, { partitions: createPartitionManager(t.db) });
    for (let i = 0; i < stored.length; i += 500) await writer.write(stored.slice(i, i + 500));
  });
  afterAll(() => t?.cleanup());

  it('pages through every flow once, newest first', async () => {
    expect(stored.length).toBeGreaterThan(1000);
    const { flows, pages } = await allPages(t.db, query({ limit: '97' }));
    expect(pages).toBe(Math.ceil(stored.length / 97));
    expect(new Set(uuids(flows)).size).toBe(flows.length);
    expect(new Set(uuids(flows))).toEqual(new Set(uuids(stored)));
    for (let i = 1; i < flows.length; i++) expect(ns(flows[i - 1]) >= ns(flows[i])).toBe(true);
  });

  it.each([
    ['--namespace shop --verdict DROPPED', {}],
    ['--to-namespace shop --not --verdict FORWARDED', {}],
    ['--protocol tcp --to-port 8080', { since: '2026-01-15T11:30:10Z', until: '2026-01-15T11:30:20.5Z' }],
    [`--label 'k8s:app in (frontend, api)' --type l7`, {}],
    ['--since 2026-01-15T11:30:05Z --until 2026-01-15T11:30:06Z', { limit: '7' }],
    [`--pod 'shop/' --http-path '^/api/.*'`, { limit: '1000' }],
  ])('%s %j selects what the matcher selects', async (q, extra) => {
    const fq = query({ q, limit: '50', ...extra });
    const want = expected(fq);
    const { flows } = await allPages(t.db, fq);
    expect(new Set(uuids(flows))).toEqual(new Set(uuids(want)));
    expect(flows.length).toBe(want.length);
    if (q.startsWith('--namespace shop')) expect(want.length).toBeGreaterThan(0);
  });

  it('exports the stored lines in time order, filtered the same way', async () => {
    const raws = await t.db.query<{ raw: string }>('SELECT raw FROM flows ORDER BY time, flow_key');
    const all = await collect(streamFlowsJsonpb(t.db, query({ format: 'jsonpb' }), { batchSize: 333 }));
    expect(all).toBe(raws.map((r) => `${r.raw}\n`).join(''));
    const fq = query({ q: '-n shop --verdict DROPPED', since: '2026-01-15T11:30:12Z', format: 'jsonpb' });
    const lines = (await collect(streamFlowsJsonpb(t.db, fq, { batchSize: 10 }))).split('\n').filter(Boolean);
    const got = lines.map((l) => JSON.parse(l) as FlowsResponse);
    expect(new Set(uuids(got))).toEqual(new Set(uuids(expected(fq))));
    for (let i = 1; i < got.length; i++) expect(ns(got[i - 1]) <= ns(got[i])).toBe(true);
  });

  it('stops exporting when the signal aborts, and can be returned early', async () => {
    const ac = new AbortController();
    let chunks = 0;
    for await (const _chunk of streamFlowsJsonpb(t.db, query({}), { batchSize: 100, signal: ac.signal })) {
      if (++chunks === 2) ac.abort();
    }
    expect(chunks).toBe(2);
    const iter = streamFlowsJsonpb(t.db, query({}), { batchSize: 100 })[Symbol.asyncIterator]();
    await iter.next();
    await iter.return?.();
    // The cursor was released: the database still answers.
    expect((await t.db.query<{ n: number }>('SELECT 1 AS n'))[0].n).toBe(1);
  });

  it('refuses a filter the store cannot match before touching the database', () => {
    const fq = query({ q: '--http-method PÖST' });
    expect(() => streamFlowsJsonpb(t.db, fq)).toThrow(FilterError);
  });

  it('never fails for random valid queries, and agrees with the matcher', async () => {
    const gen = createQueryGen(seededRandom(SEED + 2), { nowMs: NOW_MS, validish: 0.95 });
    let run = 0;
    const seen = { nonEmpty: 0, refused: 0 };
    while (run < 250) {
      const params = gen.params();
      params.set('limit', '1000');
      params.delete('format');
      const parsed = parseFlowsQuery(params, NOW_MS);
      if (!parsed.ok) continue;
      run++;
      const fq = parsed.query;
      let page;
      try {
        page = await readFlowsPage(t.db, fq);
      } catch (e) {
        if (e instanceof FilterError && ++seen.refused) continue;
        throw new Error(`?${params}: ${(e as Error).message}`);
      }
      // The newest `limit` of what the matcher selects (older than the cursor, when there is one).
      const cursorNs = fq.cursor && timestampToNs(parseTimestamp(fq.cursor.time)!);
      const want = new Set(uuids(expected(fq).filter((r) => cursorNs === undefined || ns(r) < cursorNs + 1000n)));
      const got = uuids(page.flows);
      if (got.length > 0) seen.nonEmpty++;
      expect(got.filter((u) => !want.has(u)), `?${params}`).toEqual([]);
      if (cursorNs === undefined) expect(got.length, `?${params}`).toBe(Math.min(want.size, fq.limit));
      expect(page.nextCursor === undefined, `?${params}`).toBe(got.length === want.size);
    }
    console.info(`random valid queries: ${JSON.stringify(seen)} of ${run}`);
    // Or the generator has drifted into selecting nothing.
    expect(seen.nonEmpty).toBeGreaterThan(25);
  });
});
