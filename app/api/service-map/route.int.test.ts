/**
 * The route handler itself, called with Requests as Next calls it, over a PGlite registered as the
 * process's shared Db: the map of recent demo traffic, 400s with the parser's message, the raw-scan
 * bound, a store failure, and a fuzz of random query strings that must only ever answer 200 or 400.
 */
import { describe, expect, it } from 'vitest';
import { createQueryGen, seededRandom } from '../../../lib/api/flows-query-gen';
import { SERVICE_MAP_NOISE, serviceMapUrl, type ServiceMapResponse } from '../../../lib/api/service-map';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { createDemoTraffic } from '../../../server/demo/traffic';
import type { Db } from '../../../server/store/db';
import { registerSharedDb } from '../../../server/store/shared-db';
import { GET } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 3 * 60_000;
const SEED = Number(process.env.SERVICE_MAP_QUERY_SEED ?? 20261127);
const stored: FlowsResponse[] = createDemoTraffic({ seed: 5, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const get = (url: string) => GET(new Request(new URL(url, 'http://localhost')));

describe('GET /api/service-map', () => {
  const t = useSharedTestDb(stored);

  it('answers the live map: the last 5 minutes, every flow on an edge', async () => {
    const res = await get(serviceMapUrl({ timelineSince: '1h' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const map = (await res.json()) as ServiceMapResponse;
    expect(map.resolution).toBe('minute');
    expect(map.timelineResolution).toBe('minute');
    expect(map.truncated).toBe(false);
    expect(map.edges.reduce((n, e) => n + e.flows, 0)).toBe(stored.length);
    expect(map.timeline.reduce((n, p) => n + p.flows, 0)).toBe(stored.length);
    expect(map.timeline.length).toBeGreaterThanOrEqual(60);
    const ids = new Set(map.nodes.map((n) => n.id));
    for (const e of map.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    expect(map.nodes.map((n) => n.kind)).toEqual(expect.arrayContaining(['workload', 'kube-dns', 'world']));
  });

  it('applies scope and noise', async () => {
    const res = await get(serviceMapUrl({ namespaces: ['shop'], hide: [...SERVICE_MAP_NOISE] }));
    const map = (await res.json()) as ServiceMapResponse;
    expect(map.edges.length).toBeGreaterThan(0);
    const byId = new Map(map.nodes.map((n) => [n.id, n]));
    for (const e of map.edges) expect([byId.get(e.source)!.namespace, byId.get(e.target)!.namespace]).toContain('shop');
    for (const n of map.nodes) expect(['host', 'remote-node', 'kube-dns']).not.toContain(n.kind);
  });

  it.each([
    ['?q=--verdict+dropped', /^invalid argument "dropped" for "--verdict" flag/],
    ['?q=--pod+%27x', /^q: unterminated single quote/],
    ['?q=--last+5', /^--last is not supported on the map/],
    ['?since=yesterday', /^since: /],
    ['?since=1m&until=2m', /must be before until/],
    ['?hide=noise', /^hide: expected/],
    ['?q=--http-method+P%C3%96ST', /http_method/],
  ])('answers 400 with the message for %s', async (search, message) => {
    const res = await get(`/api/service-map${search}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(message);
    expect(body.error).not.toMatch(/SELECT|WHERE|edge_minute/);
  });

  it.each(['10m', '12h'])('answers a filter the rollups cannot answer from the raw flows, since %s', async (since) => {
    const res = await get(serviceMapUrl({ q: '--from-namespace shop', since }));
    expect(res.status).toBe(200);
    const map = (await res.json()) as ServiceMapResponse;
    expect(map.source).toBe('raw');
    expect(map.edges.length).toBeGreaterThan(0);
  });

  it('answers 500 without details when the store fails', async () => {
    const fail = async (): Promise<never> => { throw new Error('syntax error at or near "SELECT"'); };
    const failing = { ...t.db, query: fail, transaction: fail } as Db;
    const restore = registerSharedDb(failing);
    try {
      const res = await get('/api/service-map');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'internal error while reading the service map' });
    } finally {
      restore();
      registerSharedDb(t.db);
    }
  });

  it('answers only 200 or 400 to two thousand random query strings', async () => {
    const random = seededRandom(SEED + 5);
    const gen = createQueryGen(random, { validish: 0.85 });
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const times = ['5m', '1h', '7h', '2d', '40d', '-5m', '0s', 'soon', '%00', '2026-01-15T11:00:00Z', `'; DROP TABLE edge_minute; --`];
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 2000; i++) {
      const params = new URLSearchParams();
      if (random() < 0.8) params.set('q', gen.q());
      for (const name of ['since', 'until', 'timelineSince', 'timelineUntil']) if (random() < 0.2) params.set(name, pick(times));
      while (random() < 0.3) params.append(pick(['namespace', 'cluster', 'hide']), pick(['shop', 'demo', 'host', 'kube-dns', 'x\u0000', '🚀', '']));
      const res = await get(`/api/service-map?${params}`);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const body = (await res.json()) as { error?: string };
      if (res.status !== 200) expect({ search: `${params}`, status: res.status, body }).toMatchObject({ status: 400, body: { error: expect.any(String) } });
    }
    expect(statuses[200]).toBeGreaterThan(200);
    expect(statuses[400]).toBeGreaterThan(200);
  }, 300_000);
});
