/**
 * The investigations route handlers, called with Requests as Next calls them, over a PGlite
 * registered as the process's shared Db: create, list, read, the frozen flows as pages and
 * downloads, the preview count, delete, and the 4xx answers for what a client can get wrong.
 */
import { describe, expect, it } from 'vitest';
import type { FlowsPage } from '../../../lib/api/flows-query';
import {
  investigationFlowsUrl, type InvestigationCreated, type InvestigationDetail, type InvestigationList, type InvestigationPreview,
} from '../../../lib/api/investigations';
import { FLOWS_CSV_COLUMNS } from '../../../lib/export/flows-csv';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { DELETE, GET as getOne } from './[id]/route';
import { GET as getFlows } from './[id]/flows/route';
import { GET as getPreview } from './preview/route';
import { GET as getList, POST } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 10 * 60_000;
const stored: FlowsResponse[] = createDemoTraffic({ seed: 9, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
const WINDOW = { since: new Date(FROM_MS).toISOString(), until: new Date(FROM_MS + 20_000).toISOString() };

const url = (path: string) => new URL(path, 'http://localhost');
const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  POST(new Request(url('/api/investigations'), { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }));
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

async function create(body: Record<string, unknown>): Promise<InvestigationCreated> {
  const res = await post({ kind: 'flows', title: 'shop drops', ...WINDOW, ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as InvestigationCreated;
}

describe('/api/investigations', () => {
  const t = useSharedTestDb(stored);

  it('creates an investigation, lists it and reads it back with its frozen flows', async () => {
    const res = await post({ kind: 'flows', title: 'shop drops', notes: 'after the deploy', q: '--namespace shop', ...WINDOW });
    expect(res.status).toBe(201);
    const created = (await res.json()) as InvestigationCreated;
    expect(res.headers.get('location')).toBe(`/i/${created.investigation.id}`);
    expect(created.url).toBe(`/i/${created.investigation.id}`);
    expect(created.investigation).toMatchObject({ title: 'shop drops', q: '--namespace shop', truncated: false });
    const count = created.investigation.flowCount;
    expect(count).toBeGreaterThan(10);

    const list = (await (await getList(new Request(url('/api/investigations')))).json()) as InvestigationList;
    expect(list.investigations[0]).toEqual(created.investigation);

    const one = await getOne(new Request(url(created.url)), withId(created.investigation.id));
    expect(one.status).toBe(200);
    const detail = (await one.json()) as InvestigationDetail;
    expect(detail).toMatchObject({ notes: 'after the deploy', view: {}, command: `hubble observe --namespace shop --since ${WINDOW.since} --until ${WINDOW.until}` });

    const id = created.investigation.id;
    const first = (await (await getFlows(new Request(url(investigationFlowsUrl(id, { limit: 5 }))), withId(id))).json()) as FlowsPage;
    expect(first.flows).toHaveLength(5);
    expect(first.command).toBe(detail.command);
    const rest = (await (await getFlows(new Request(url(investigationFlowsUrl(id, { limit: 1000, cursor: first.nextCursor }))), withId(id))).json()) as FlowsPage;
    expect(first.flows.length + rest.flows.length).toBe(count);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('downloads the frozen flows as jsonpb and CSV', async () => {
    const { investigation: { id, flowCount } } = await create({ q: '--verdict DROPPED' });
    const jsonpb = await getFlows(new Request(url(investigationFlowsUrl(id, { format: 'jsonpb' }))), withId(id));
    expect(jsonpb.headers.get('content-type')).toBe('application/x-ndjson');
    expect(jsonpb.headers.get('content-disposition')).toBe(`attachment; filename="investigation-${id}.jsonpb"`);
    const lines = (await jsonpb.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as FlowsResponse);
    expect(lines).toHaveLength(flowCount);
    for (const line of lines) expect(line.flow?.verdict).toBe('DROPPED');
    const csv = await getFlows(new Request(url(investigationFlowsUrl(id, { format: 'csv' }))), withId(id));
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const records = (await csv.text()).split('\r\n').filter(Boolean);
    expect(records[0]).toBe(FLOWS_CSV_COLUMNS.join(','));
    expect(records).toHaveLength(flowCount + 1);
  });

  it('previews how many flows would be frozen', async () => {
    const res = await getPreview(new Request(url(`/api/investigations/preview?q=--verdict+DROPPED&since=${WINDOW.since}&until=${WINDOW.until}`)));
    const preview = (await res.json()) as InvestigationPreview;
    const frozen = await create({ q: '--verdict DROPPED' });
    expect(preview).toEqual({ ...WINDOW, matching: frozen.investigation.flowCount, capped: false, cap: 50_000 });
  });

  it('draws the service map of the frozen window when a map investigation comes without one', async () => {
    const { investigation } = await create({ kind: 'map', view: { namespaces: ['shop'], hide: ['host'] } });
    const detail = (await (await getOne(new Request(url(`/api/investigations/${investigation.id}`)), withId(investigation.id))).json()) as InvestigationDetail;
    expect(detail.map).toBeDefined();
    expect(detail.map!.edges.length).toBeGreaterThan(0);
    expect(detail.map!.since).toBe(WINDOW.since);
    expect(detail.map!.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(detail.map!.edges.map((e) => e.source)));
    expect(detail.view).toEqual({ namespaces: ['shop'], hide: ['host'] });
  });

  it('deletes an investigation: 204, then 404 everywhere', async () => {
    const { investigation: { id } } = await create({});
    expect((await DELETE(new Request(url(`/api/investigations/${id}`), { method: 'DELETE' }), withId(id))).status).toBe(204);
    expect((await DELETE(new Request(url(`/api/investigations/${id}`), { method: 'DELETE' }), withId(id))).status).toBe(404);
    expect((await getOne(new Request(url(`/api/investigations/${id}`)), withId(id))).status).toBe(404);
    expect((await getFlows(new Request(url(investigationFlowsUrl(id))), withId(id))).status).toBe(404);
    expect((await getFlows(new Request(url(investigationFlowsUrl(id, { format: 'csv' }))), withId(id))).status).toBe(404);
    const list = (await (await getList(new Request(url('/api/investigations')))).json()) as InvestigationList;
    expect(list.investigations.map((i) => i.id)).not.toContain(id);
  });

  it.each([
    ['not JSON', '{', 400, /^body is not JSON/],
    ['a bad flag', { kind: 'flows', title: 'x', since: '1h', q: '--verdict dropped' }, 400, /invalid argument "dropped"/],
    ['a filter the store cannot match', { kind: 'flows', title: 'x', since: '1h', q: '--http-method PÖST' }, 400, /http_method/],
    ['no title', { kind: 'flows', since: '1h' }, 400, /^title: required/],
  ])('answers a body with %s with its message', async (_, body, status, message) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('refuses a body not sent as JSON, or too large', async () => {
    expect((await post({ kind: 'flows' }, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const huge = JSON.stringify({ kind: 'flows', title: 'x', since: '1h', notes: 'x'.repeat(6 * 1024 * 1024) });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('request body larger than 5 MiB');
  });

  it('answers 404 for an id it never handed out, and 400 for bad paging', async () => {
    for (const id of ['nope', "'; DROP TABLE investigations; --", 'A'.repeat(22)]) {
      expect((await getOne(new Request(url('/api/investigations/x')), withId(id))).status).toBe(404);
    }
    const { investigation: { id } } = await create({});
    const res = await getFlows(new Request(url(`${investigationFlowsUrl(id)}?limit=0`)), withId(id));
    expect(res.status).toBe(400);
    expect((await getList(new Request(url('/api/investigations?limit=x')))).status).toBe(400);
  });
});
