/**
 * The cluster list behind the cluster picker (GET /api/flow-values?field=cluster) over flows of two
 * clusters: every named cluster for an unrestricted viewer, and for a restricted one only the
 * clusters of flows with a side in its namespaces, as every other route scopes what it answers.
 */
import { describe, expect, it } from 'vitest';
import { flowValuesUrl, type FlowValues } from '../../../lib/api/flow-values';
import type { Endpoint, FlowsResponse } from '../../../lib/flow/flow';
import { viewerToHeader, VIEWER_HEADER } from '../../../server/access/viewer-header';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';
import { GET } from './route';

const FROM_MS = Date.now() - 5 * 60_000;

/** `shop` lives in cluster west, every other namespace in east; endpoints outside namespaces name no cluster. */
const clusterOf = (e: Endpoint | undefined) => (!e?.namespace ? '' : e.namespace === 'shop' ? 'west' : 'east');
const stored: FlowsResponse[] = createDemoTraffic({ seed: 11, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000).map((flow) => {
  const source = flow.source && { ...flow.source, cluster_name: clusterOf(flow.source) };
  const destination = flow.destination && { ...flow.destination, cluster_name: clusterOf(flow.destination) };
  const renamed = { ...flow, source, destination };
  return { flow: renamed, node_name: flow.node_name, time: flow.time };
});

/** The clusters of the stored flows with a side in `namespaces` (all flows without). */
function expected(namespaces?: readonly string[]): Set<string> {
  const visible = stored.map((r) => r.flow!).filter((f) => !namespaces
    || namespaces.includes(f.source?.namespace ?? '') || namespaces.includes(f.destination?.namespace ?? ''));
  return new Set(visible.flatMap((f) => [f.source?.cluster_name, f.destination?.cluster_name]).filter((c): c is string => !!c));
}

async function clusters(namespaces?: string[]): Promise<string[]> {
  const headers = namespaces ? { [VIEWER_HEADER]: viewerToHeader({ user: 'alice', groups: ['team'], namespaces }) } : undefined;
  const res = await GET(new Request(new URL(flowValuesUrl({ field: 'cluster', limit: 500, since: '1h' }), 'http://localhost'), { headers }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as FlowValues;
  expect(body.field).toBe('cluster');
  return body.values;
}

describe('GET /api/flow-values?field=cluster', () => {
  useSharedTestDb(stored);

  it('lists both clusters, and no empty name, for a viewer who sees everything', async () => {
    expect(expected()).toEqual(new Set(['east', 'west']));
    expect(new Set(await clusters())).toEqual(expected());
  });

  it('lists only the clusters of the flows a restricted viewer may see', async () => {
    const onlyEast = stored.map((r) => r.flow!).map((f) => f.source?.namespace).find((ns) => ns && ns !== 'shop'
      && !stored.some((r) => r.flow!.source?.namespace === ns && r.flow!.destination?.namespace === 'shop')
      && !stored.some((r) => r.flow!.destination?.namespace === ns && r.flow!.source?.namespace === 'shop'));
    expect(onlyEast, 'the demo traffic has a namespace that never talks to shop').toBeDefined();
    expect(expected([onlyEast!])).toEqual(new Set(['east']));
    expect(await clusters([onlyEast!])).toEqual(['east']);
    expect(new Set(await clusters(['shop']))).toEqual(expected(['shop']));
    expect(expected(['shop']).has('west')).toBe(true);
    expect(await clusters(['no-such-namespace'])).toEqual([]);
  });
});
