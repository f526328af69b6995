/**
 * Namespace-scoped access, tried on every route as the wrong user: a dashboard of its own behind
 * an "authenticating proxy" (these requests, from the trusted loopback address, carry the user and
 * group headers themselves), where team-a may see shop only.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startOwnDashboard, type OwnDashboard } from './support/own-dashboard';

const PORT = 3192;
const BASE = `http://127.0.0.1:${PORT}`;
const TEAM_A = { 'x-forwarded-user': 'ana', 'x-forwarded-groups': 'team-a' };
const SRE = { 'x-forwarded-user': 'sam', 'x-forwarded-groups': 'sre' };
const TEAM_P = { 'x-forwarded-user': 'pia', 'x-forwarded-groups': 'team-p' };
let dashboard: OwnDashboard | undefined;

type Side = { namespace?: string };
type FlowLike = { source?: Side; destination?: Side };
const inShop = (f: FlowLike) => f.source?.namespace === 'shop' || f.destination?.namespace === 'shop';

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  dashboard = await startOwnDashboard(PORT, {
    HUBBLE_DEMO_RATE: '300', HUBBLE_DASHBOARD_AUTH: 'proxy', HUBBLE_DASHBOARD_TRUSTED_PROXIES: '127.0.0.1,::1',
    HUBBLE_DASHBOARD_ACCESS: 'sre=*;team-a=shop;team-p=payments',
  });
  // Wait for stored flows in more namespaces than shop, so every check below could fail.
  await expect.poll(async () => {
    const res = await request.get(`${BASE}/api/flows?since=10m&limit=1000`, { headers: SRE }).catch(() => undefined);
    if (!res?.ok()) return 0;
    return ((await res.json()) as { flows: { flow: FlowLike }[] }).flows.filter((r) => !inShop(r.flow)).length;
  }, { timeout: 200_000, intervals: [2_000] }).toBeGreaterThan(50);
});

test.afterAll(() => dashboard?.stop());

async function json<T>(request: APIRequestContext, path: string, headers: Record<string, string>): Promise<T> {
  const res = await request.get(`${BASE}${path}`, { headers });
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

test('no user, or a user without namespaces, gets nothing from pages or the API', async ({ request }) => {
  expect((await request.get(`${BASE}/api/flows`)).status()).toBe(401);
  expect((await request.get(`${BASE}/flows`)).status()).toBe(401);
  const outsider = { 'x-forwarded-user': 'eve', 'x-forwarded-groups': 'interns' };
  for (const path of ['/', '/flows', '/map', '/drops', '/api/flows', '/api/service-map', '/api/drops', '/api/triage', '/api/flow-values?field=namespace']) {
    expect((await request.get(`${BASE}${path}`, { headers: outsider })).status(), path).toBe(403);
  }
  // Probes stay open for the kubelet.
  expect((await request.get(`${BASE}/healthz`)).status()).toBe(200);
});

test('team-a sees only flows with a side in shop, by every route', async ({ request }) => {
  const window = `since=10m`;
  const sre = await json<{ flows: { flow: FlowLike }[] }>(request, `/api/flows?${window}&limit=1000`, SRE);
  expect(sre.flows.some((r) => !inShop(r.flow))).toBe(true);

  const page = await json<{ flows: { flow: FlowLike }[] }>(request, `/api/flows?${window}&limit=1000`, TEAM_A);
  expect(page.flows.length).toBeGreaterThan(0);
  expect(page.flows.filter((r) => !inShop(r.flow))).toEqual([]);
  // Asking for another namespace outright gives nothing.
  const other = await json<{ flows: unknown[] }>(request, `/api/flows?${window}&q=${encodeURIComponent('--namespace payments --not --namespace shop')}`, TEAM_A);
  expect(other.flows).toEqual([]);

  const exported = await request.get(`${BASE}/api/flows?${window}&format=jsonpb`, { headers: TEAM_A });
  const lines = (await exported.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { flow: FlowLike });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((r) => !inShop(r.flow))).toEqual([]);

  const csv = await (await request.get(`${BASE}/api/flows?${window}&format=csv`, { headers: TEAM_A })).text();
  for (const row of csv.split('\r\n').slice(1).filter(Boolean)) expect(row, 'a CSV row names shop').toMatch(/shop\//);

  const values = await json<{ values: string[] }>(request, `/api/flow-values?field=namespace&${window}`, TEAM_A);
  // Values are read from minute rollups, so they may reach a little past the export above: compare
  // with everything team-a can see up to now, from a minute before the window on.
  const later = await request.get(`${BASE}/api/flows?since=15m&format=jsonpb`, { headers: TEAM_A });
  const visible = (await later.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { flow: FlowLike });
  const seenByNow = new Set(visible.flatMap((r) => [r.flow.source?.namespace, r.flow.destination?.namespace]).filter(Boolean));
  expect(values.values.length).toBeGreaterThan(0);
  expect(values.values.filter((ns) => !seenByNow.has(ns))).toEqual([]);

  const map = await json<{ nodes: { id: string; namespace: string }[]; edges: { source: string; target: string }[] }>(request, `/api/service-map?${window}`, TEAM_A);
  const nsOf = new Map(map.nodes.map((n) => [n.id, n.namespace]));
  expect(map.edges.length).toBeGreaterThan(0);
  expect(map.edges.filter((e) => nsOf.get(e.source) !== 'shop' && nsOf.get(e.target) !== 'shop')).toEqual([]);

  const drops = await json<{ groups: { key: { source: Side; destination: Side } }[] }>(request, `/api/drops?${window}`, TEAM_A);
  expect(drops.groups.filter((g) => !inShop(g.key))).toEqual([]);

  const triage = await json<{ dropRates: { namespaces: { namespace: string }[] }; dropPairs: { pairs: FlowLike[] } }>(request, '/api/triage', TEAM_A);
  expect(triage.dropRates.namespaces.filter((n) => n.namespace !== 'shop')).toEqual([]);
  expect(triage.dropPairs.pairs.filter((p) => !inShop(p))).toEqual([]);

  const foreign = await request.get(`${BASE}/api/drops/group?from=payments/payments-api&to=data/postgres&port=5432&protocol=TCP&reason=POLICY_DENIED&since=10m`, { headers: TEAM_A });
  expect(foreign.status()).toBe(403);
});

test('an investigation freezes only flows in its creator\'s scope and opens only for viewers who see all of it', async ({ request }) => {
  const res = await request.post(`${BASE}/api/investigations`, { headers: TEAM_A, data: { kind: 'flows', title: 'shop drops', since: '10m' } });
  expect(res.status()).toBe(201);
  const { investigation, url } = (await res.json()) as { investigation: { id: string; flowCount: number }; url: string };
  expect(investigation.flowCount).toBeGreaterThan(0);
  const frozen = await request.get(`${BASE}/api/investigations/${investigation.id}/flows?format=jsonpb`, { headers: TEAM_A });
  const lines = (await frozen.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { flow: FlowLike });
  expect(lines.length).toBe(investigation.flowCount);
  expect(lines.filter((r) => !inShop(r.flow))).toEqual([]);
  for (const path of [`/api/investigations/${investigation.id}`, `/api/investigations/${investigation.id}/flows`, url]) {
    expect((await request.get(`${BASE}${path}`, { headers: TEAM_P })).status(), path).toBe(404);
    expect((await request.get(`${BASE}${path}`, { headers: SRE })).status(), path).toBe(200);
  }
  const listed = await json<{ investigations: { id: string }[] }>(request, '/api/investigations', TEAM_P);
  expect(listed.investigations.map((i) => i.id)).not.toContain(investigation.id);
  expect((await request.delete(`${BASE}/api/investigations/${investigation.id}`, { headers: TEAM_P })).status()).toBe(404);
});

test('the live stream carries only flows in scope', async () => {
  const after = new Date(Date.now() - 10_000).toISOString();
  const abort = new AbortController();
  const res = await fetch(`${BASE}/api/flows/live?after=${encodeURIComponent(after)}`, { headers: TEAM_A, signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const flows: FlowLike[] = [];
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline && flows.length < 200) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const message = text.slice(0, end);
      text = text.slice(end + 2);
      if (!message.startsWith('event: flows')) continue;
      const data = message.split('\n').find((l) => l.startsWith('data: '))!.slice(6);
      for (const r of (JSON.parse(data) as { flows: { flow: FlowLike }[] }).flows) flows.push(r.flow);
    }
  }
  abort.abort();
  expect(flows.length).toBeGreaterThan(0);
  expect(flows.filter((f) => !inShop(f))).toEqual([]);
});
