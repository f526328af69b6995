/**
 * The route handler called with Requests as Next calls it, over a PGlite registered as the
 * process's shared Db: a valid request answers values from the stored flows, a bad one a 400 naming
 * its parameter, and neither is cached.
 */
import { describe, expect, it } from 'vitest';
import { flowValuesUrl, type FlowValues } from '../../../lib/api/flow-values';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { GET } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 5 * 60_000;
const stored: FlowsResponse[] = createDemoTraffic({ seed: 7, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const get = (url: string) => GET(new Request(new URL(url, 'http://localhost')));

describe('GET /api/flow-values', () => {
  const t = useSharedTestDb(stored);

  it('answers the namespaces seen in the window', async () => {
    const res = await get(flowValuesUrl({ field: 'namespace', limit: 100, since: '1h' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as FlowValues;
    const want = new Set(stored.flatMap((r) => [r.flow?.source?.namespace, r.flow?.destination?.namespace]).filter(Boolean));
    expect(body.field).toBe('namespace');
    expect(new Set(body.values)).toEqual(want);
    // A window before anything was stored holds nothing.
    const empty = (await (await get(flowValuesUrl({ field: 'namespace', since: '3h', until: '2h' }))).json()) as FlowValues;
    expect(empty.values).toEqual([]);
  });

  it('answers pods matching a prefix, in --pod form', async () => {
    const body = (await (await get(flowValuesUrl({ field: 'pod', prefix: 'kube-system/', limit: 5 }))).json()) as FlowValues;
    expect(body.values.length).toBeGreaterThan(0);
    expect(body.values.length).toBeLessThanOrEqual(5);
    for (const v of body.values) expect(v).toMatch(/^kube-system\/[^/]+$/);
  });

  it.each([
    ['', /^field: required/],
    ['?field=secrets', /^field: expected one of namespace, pod/],
    ['?field=pod&limit=0', /^limit: /],
    ['?field=pod&limit=abc', /^limit: /],
    ['?field=pod&since=yesterday', /^since: failed to convert yesterday/],
    ['?field=pod&since=1h&until=2h', /^since \(.*\) is after until/],
    [`?field=pod&prefix=${'x'.repeat(300)}`, /^prefix: at most/],
  ])('answers 400 naming the parameter for %s', async (search, message) => {
    const res = await get(`/api/flow-values${search}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });
});
