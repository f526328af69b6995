/**
 * The whole OpenID Connect sign-in, driven with fetch hop by hop against the real guard in front of
 * the real route handlers (over an embedded database of demo flows): a team-a user sees only
 * flows with a side in shop in the flows page, the export and the service map, and pages get
 * team-a's scope; a user without a grant gets 403; no session or a forged one gets 302/401.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as flowsRoute } from '../../app/api/flows/route';
import { GET as serviceMapRoute } from '../../app/api/service-map/route';
import { serviceMapUrl, type ServiceMapResponse } from '../../lib/api/service-map';
import type { FlowsResponse } from '../../lib/flow/flow';
import { createDemoTraffic } from '../demo/traffic';
import { useSharedTestDb } from '../store/testing/shared-test-db';
import { sessionCookieName } from './session-cookie';
import { startOidcGuardedServer, type GuardedServer } from './testing/oidc-guarded-server';
import { NAVIGATION_HEADERS, TestBrowser } from './testing/test-browser';
import { viewerOfHeaders } from './viewer-header';

const FROM_MS = Date.now() - 3 * 60_000;
const stored: FlowsResponse[] = createDemoTraffic({ seed: 11, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

type Side = { namespace?: string };
type FlowLike = { source?: Side; destination?: Side };
const inShop = (f: FlowLike) => f.source?.namespace === 'shop' || f.destination?.namespace === 'shop';

const ROUTES: Record<string, (request: Request) => Promise<Response>> = { '/api/flows': flowsRoute, '/api/service-map': serviceMapRoute };

/** What Next does with a request the guard let through: API routes run; a page reports the viewer its server components read. */
async function app(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const route = ROUTES[url.pathname];
  const response = route ? await route(new Request(url, { headers })) : Response.json({ page: url.pathname, viewer: viewerOfHeaders(headers) });
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

let dash: GuardedServer;
useSharedTestDb(stored);
beforeAll(async () => {
  dash = await startOidcGuardedServer((req, res) => void app(req, res));
});
afterAll(() => dash.close());

async function signIn(user: { sub: string; email: string; groups: string[] }): Promise<TestBrowser> {
  dash.provider.signInAs(user);
  const browser = new TestBrowser();
  const landed = await browser.visit(`${dash.url}/flows`);
  // The page → /auth/login → the provider → the callback → the page.
  expect(browser.hops.map((h) => h.status)).toEqual([302, 302, 302, 302, landed.status]);
  return browser;
}

async function json<T>(browser: TestBrowser, path: string): Promise<T> {
  const res = await browser.fetch(`${dash.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('OpenID Connect sign-in in front of the real routes', () => {
  it('has flows outside shop to hide, as the sre group sees', async () => {
    const sre = await signIn({ sub: 'u-sam', email: 'sam@example.com', groups: ['sre'] });
    const all = await json<{ flows: { flow: FlowLike }[] }>(sre, '/api/flows?since=1h&limit=1000');
    expect(all.flows.filter((r) => !inShop(r.flow)).length).toBeGreaterThan(50);
    expect(all.flows.some((r) => inShop(r.flow))).toBe(true);
  });

  it('shows team-a only flows with a side in shop: flows, export, service map and pages', async () => {
    const ana = await signIn({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
    const page = await json<{ flows: { flow: FlowLike }[] }>(ana, '/api/flows?since=1h&limit=1000');
    expect(page.flows.length).toBeGreaterThan(0);
    expect(page.flows.filter((r) => !inShop(r.flow))).toEqual([]);

    const exported = await (await ana.fetch(`${dash.url}/api/flows?since=1h&format=jsonpb`)).text();
    const lines = exported.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { flow: FlowLike });
    expect(lines.length).toBe(page.flows.length);
    expect(lines.filter((r) => !inShop(r.flow))).toEqual([]);

    const map = await json<ServiceMapResponse>(ana, serviceMapUrl({ timelineSince: '1h' }));
    const nsOf = new Map(map.nodes.map((n) => [n.id, n.namespace]));
    expect(map.edges.length).toBeGreaterThan(0);
    expect(map.edges.filter((e) => nsOf.get(e.source) !== 'shop' && nsOf.get(e.target) !== 'shop')).toEqual([]);

    expect(await json(ana, '/drops')).toEqual({ page: '/drops', viewer: { user: 'ana@example.com', groups: ['team-a'], namespaces: ['shop'] } });
  });

  it('answers 403 to a user whose groups grant nothing, on pages and the API', async () => {
    const eve = await signIn({ sub: 'u-eve', email: 'eve@example.com', groups: ['interns'] });
    for (const path of ['/flows', '/map', '/api/flows', '/api/service-map', '/api/flows?format=csv']) {
      expect((await eve.fetch(`${dash.url}${path}`)).status, path).toBe(403);
    }
  });

  it('without a session or with a forged one: pages go to sign in, the API and page fetches answer 401', async () => {
    const nobody = new TestBrowser();
    const page = await nobody.fetch(`${dash.url}/flows`, { headers: NAVIGATION_HEADERS });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/auth/login?return=%2Fflows');
    expect((await nobody.fetch(`${dash.url}/flows`, { headers: { rsc: '1', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' } })).status).toBe(401);
    expect((await nobody.fetch(`${dash.url}/api/flows?since=1h`)).status).toBe(401);

    const ana = await signIn({ sub: 'u-ana', email: 'ana@example.com', groups: ['team-a'] });
    const [payload, signature] = ana.cookie(sessionCookieName(false))!.split('.');
    const widened = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { data: { groups: string[] } };
    widened.data.groups = ['sre'];
    ana.setCookie(sessionCookieName(false), `${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${signature}`);
    expect((await ana.fetch(`${dash.url}/api/flows?since=1h&format=jsonpb`)).status).toBe(401);
    expect((await ana.fetch(`${dash.url}/api/service-map`)).status).toBe(401);
  });
});
