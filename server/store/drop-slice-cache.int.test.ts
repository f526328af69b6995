/**
 * The drop slice cache over a PGlite: what it reads, what it reuses, when it reads again, and how it
 * stays within its bounds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cnp, dropFlow, podEndpoint } from '../../lib/drops/drop-test-flows';
import { HOUR_MS, MINUTE_MS } from '../../lib/drops/drop-window';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { Db } from './db';
import { DropSliceCache, dropKeyRowOfText, SETTLE_MS, TTL_MS, type SliceFilter } from './drop-slice-cache';
import { createFlowWriter } from './flow-writer';
import { openTestPglite, type TestDb } from './test-db';

const T = Date.UTC(2026, 2, 1, 10, 0, 0);
const ALL: SliceFilter = { id: 'all', compile: () => 'TRUE' };
const SHOP: SliceFilter = { id: 'shop', compile: (p) => `src_namespace = ${p.add('shop')}` };

function drop(ms: number, source: string, namespace = 'shop'): FlowsResponse {
  const r = dropFlow({ source: podEndpoint(namespace, source, [`app=${source}`]), destination: podEndpoint('shop', 'api', ['app=api']), ingressDeniedBy: [cnp('shop', 'api-ingress')] });
  const flow = { ...r.flow!, time: new Date(ms).toISOString(), uuid: `${source}-${ms}` };
  return { ...r, flow, time: flow.time };
}

describe('DropSliceCache', () => {
  let t: TestDb;
  let queries = 0;
  let db: Db;
  beforeAll(async () => {
    t = await openTestPglite();
    await createFlowWriter(t.db).write([drop(T + 5_000, 'frontend'), drop(T + 6_000, 'frontend'), drop(T + 61_000, 'cart'), drop(T + 2 * MINUTE_MS, 'batch', 'jobs')]);
    db = { ...t.db, query: (sql, params) => { queries++; return t.db.query(sql, params); } };
  });
  afterAll(() => t?.cleanup());
  beforeEach(() => { queries = 0; });

  it('reads the slices of several buckets in one query, empty ones included, and interns their keys', async () => {
    const cache = new DropSliceCache();
    const slices = await cache.slices(db, 'edge_minute', [T, T + MINUTE_MS, T + 2 * MINUTE_MS, T + 3 * MINUTE_MS], ALL, T + HOUR_MS);
    expect(queries).toBe(1);
    expect(slices.map((s) => [s.bucketMs, s.ids.length])).toEqual([[T, 1], [T + MINUTE_MS, 1], [T + 2 * MINUTE_MS, 1], [T + 3 * MINUTE_MS, 0]]);
    expect(slices[0].counts[0]).toBe(2);
    expect(dropKeyRowOfText(cache.keyText(slices[0].ids[0]))).toMatchObject({ src_entity: 'frontend', dst_entity: 'api', dst_port: 8080, drop_reason: 133 });
    const [hour] = await cache.slices(db, 'edge_hour', [T], SHOP, T + HOUR_MS);
    expect(Array.from(hour.counts).sort()).toEqual([1, 2]);
    expect(cache.keyCount).toBe(3);
  });

  it('reuses settled slices until they expire, and reads unsettled ones every time', async () => {
    const cache = new DropSliceCache();
    const settled = T + MINUTE_MS + SETTLE_MS;
    await cache.slices(db, 'edge_minute', [T], ALL, settled);
    await cache.slices(db, 'edge_minute', [T], ALL, settled + MINUTE_MS);
    expect(queries).toBe(1);
    await cache.slices(db, 'edge_minute', [T], ALL, settled + TTL_MS + 1);
    expect(queries).toBe(2);
    await cache.slices(db, 'edge_minute', [T], SHOP, settled + TTL_MS + 2);
    expect(queries).toBe(3);
    const early = T + MINUTE_MS + 1_000;
    await cache.slices(db, 'edge_minute', [T + 10 * MINUTE_MS], ALL, early + 10 * MINUTE_MS);
    await cache.slices(db, 'edge_minute', [T + 10 * MINUTE_MS], ALL, early + 10 * MINUTE_MS);
    expect(queries).toBe(5);
  });

  it('drops the least recently used slices beyond its bound, and starts over when the keys outgrow theirs', async () => {
    const cache = new DropSliceCache(2, 2);
    const now = T + HOUR_MS;
    await cache.slices(db, 'edge_minute', [T, T + MINUTE_MS], ALL, now);
    await cache.slices(db, 'edge_minute', [T], ALL, now);
    await cache.slices(db, 'edge_minute', [T + 2 * MINUTE_MS], ALL, now);
    expect(queries).toBe(2);
    // T was used last and stays; T + 1 min went out.
    await cache.slices(db, 'edge_minute', [T], ALL, now);
    expect(queries).toBe(2);
    await cache.slices(db, 'edge_minute', [T + MINUTE_MS], ALL, now);
    expect(queries).toBe(3);
    expect(cache.keyCount).toBe(3);
    cache.beginRequest();
    expect(cache.keyCount).toBe(0);
  });
});
