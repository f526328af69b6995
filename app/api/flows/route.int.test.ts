/**
 * The route handler itself, called with Requests as Next calls it, over a PGlite registered as the
 * process's shared Db: status codes, bodies, headers, the jsonpb and CSV downloads, cancellation, and
 * a fuzz of random query strings that must only ever answer 200 or 400.
 */
import { describe, expect, it } from 'vitest';
import { createQueryGen, seededRandom } from '../../../lib/api/flows-query-gen';
import { flowsUrl, type FlowsPage } from '../../../lib/api/flows-query';
import { flowToCsvRecord, flowsCsvHeader } from '../../../lib/export/flows-csv';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { incidentWindow } from '../../../server/demo/incidents';
import type { Db } from '../../../server/store/db';
import { createFlowWriter } from '../../../server/store/flow-writer';
import { createPartitionManager } from '../../../server/store/partitions';
import { registerSharedDb } from '../../../server/store/shared-db';
import { GET } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 10 * 60_000;
const SEED = Number(process.env.FLOWS_QUERY_SEED ?? 20260115);
// The policy-change incident across the stored span, so DROPPED flows exist whatever the time of day.
const incidents = [incidentWindow('policy-change', FROM_MS, FROM_MS + 20_000)];
const stored: FlowsResponse[] = createDemoTraffic({ seed: 5, rateFlowsPerS: 30, incidents }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const get = (url: string, init?: RequestInit) => GET(new Request(new URL(url, 'http://localhost'), init));

describe('GET /api/flows', () => {
  const t = useSharedTestDb(stored);

  it('answers a page and a cursor to the next one', async () => {
    const res = await get(flowsUrl({ q: '--all', limit: 10 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = (await res.json()) as FlowsPage;
    expect(page.flows).toHaveLength(10);
    expect(page.command).toBe('hubble observe --all');
    const next = (await (await get(flowsUrl({ limit: 10, cursor: page.nextCursor }))).json()) as FlowsPage;
    expect(next.flows).toHaveLength(10);
    expect(next.flows.map((r) => r.flow?.uuid)).not.toContain(page.flows[0].flow?.uuid);
  });

  it.each([
    ['?q=--verdict+dropped', /^invalid argument "dropped" for "--verdict" flag/],
    ['?q=--pod+%27x', /^q: unterminated single quote/],
    ['?limit=5000', /^limit: /],
    ['?cursor=%27%3B+DROP+TABLE+flows', /^cursor: /],
    ['?q=--http-method+P%C3%96ST', /http_method/],
  ])('answers 400 with the message for %s', async (search, message) => {
    const res = await get(`/api/flows${search}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(message);
    expect(body.error).not.toMatch(/SELECT|WHERE|flows\./);
  });

  it('names the flags as at fault when the store cannot match their filter', async () => {
    const res = await get('/api/flows?q=--http-method+P%C3%96ST');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/http_method/), param: 'q' });
  });

  it('streams the jsonpb export as a download', async () => {
    const res = await get(flowsUrl({ since: '1h', until: '2026-12-31T00:00:00Z', format: 'jsonpb' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="flows-\d{8}T\d{6}Z-20261231T000000Z\.jsonpb"$/);
    const raws = await t.db.query<{ raw: string }>('SELECT raw FROM flows ORDER BY time, flow_key');
    expect(await res.text()).toBe(raws.map((r) => `${r.raw}\n`).join(''));
  });

  it('streams the CSV export as a download, oldest first, with the header row', async () => {
    const res = await get(flowsUrl({ q: '--verdict DROPPED', since: '1h', until: '2026-12-31T00:00:00Z', format: 'csv' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="flows-\d{8}T\d{6}Z-20261231T000000Z\.csv"$/);
    const raws = await t.db.query<{ raw: string }>('SELECT raw FROM flows ORDER BY time, flow_key');
    const dropped = raws.map((r) => JSON.parse(r.raw) as FlowsResponse).filter((r) => r.flow?.verdict === 'DROPPED');
    expect(dropped.length).toBeGreaterThan(0);
    const expected = flowsCsvHeader() + dropped.map((r) => flowToCsvRecord(r.flow!, r.node_name)).join('');
    expect(await res.text()).toBe(expected);
  });

  it('neutralizes spreadsheet formulas that arrive in flow fields of a CSV export', async () => {
    const base = stored[0].flow!;
    const hostile: FlowsResponse = {
      flow: { ...base, uuid: 'csv-hostile', source: { pod_name: '=HYPERLINK("http://x","y")' }, node_name: '@node' },
      time: base.time,
    };
    await createFlowWriter(t.db, { partitions: createPartitionManager(t.db) }).write([hostile]);
    const res = await get(flowsUrl({ q: '--uuid csv-hostile', format: 'csv' }));
    const [header, record, end] = (await res.text()).split('\r\n');
    expect(header).toBe(flowsCsvHeader().trimEnd());
    expect(record).toContain(`,'@node,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(end).toBe('');
  });

  it('stops the export when the client goes away', async () => {
    const ac = new AbortController();
    const res = await get(flowsUrl({ format: 'jsonpb' }), { signal: ac.signal });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    ac.abort();
    await reader.cancel();
    expect((await t.db.query<{ n: number }>('SELECT 1 AS n'))[0].n).toBe(1);
  });

  /** The route's answer while every query fails with `err`. */
  async function answerWhenStoreThrows(err: Error): Promise<{ status: number; body: unknown }> {
    const fail = async (): Promise<never> => { throw err; };
    const restore = registerSharedDb({ ...t.db, query: fail, transaction: fail } as Db);
    try {
      const res = await get('/api/flows?q=--http-path+/nowhere&since=720h');
      return { status: res.status, body: await res.json() };
    } finally {
      restore();
      registerSharedDb(t.db);
    }
  }

  it('answers 500 without details when the store fails', async () => {
    expect(await answerWhenStoreThrows(new Error('syntax error at or near "SELECT raw FROM flows"')))
      .toEqual({ status: 500, body: { error: 'internal error while reading flows' } });
  });

  it('answers 400 with what to narrow when the page is not found within its timeout', async () => {
    const canceled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(await answerWhenStoreThrows(canceled)).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^Finding 100 matching flows took over 15 s: .* Narrow the time range, or add --namespace or --verdict/) },
    });
  });

  it('answers only 200 or 400 to a thousand random query strings', async () => {
    const gen = createQueryGen(seededRandom(SEED + 3), { validish: 0.85 });
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 1000; i++) {
      const params = gen.params();
      params.delete('format');
      const res = await get(`/api/flows?${params}`);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const body = (await res.json()) as { error?: string };
      if (res.status !== 200) expect({ search: `${params}`, status: res.status, body }).toMatchObject({ status: 400, body: { error: expect.any(String) } });
    }
    expect(statuses[200]).toBeGreaterThan(100);
    expect(statuses[400]).toBeGreaterThan(100);
  });
});
