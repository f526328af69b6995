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
/**
 * A namespace of cluster east whose flows with `shop` are left out of what is stored, so that a viewer
 * of it sees cluster east only, whatever the demo's traffic mix happens to hold over these 20 s.
 */
const LONE = 'kube-system';
const joinsLoneAndShop = (s?: string, d?: string) => (s === LONE && d === 'shop') || (s === 'shop' && d === LONE);
const stored: FlowsResponse[] = createDemoTraffic({ seed: 11, rateFlowsPerS: 30 }).flowsBetween(FROM_MS, FROM_MS + 20_000)
  .filter((flow) => !joinsLoneAndShop(flow.source?.namespace, flow.destination?.namespace))
  .map((flow) => {
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
    expect(stored.some((r) => r.flow!.source?.namespace === LONE || r.flow!.destination?.namespace === LONE),
      `the demo traffic has flows in ${LONE}`).toBe(true);
    expect(expected([LONE])).toEqual(new Set(['east']));
    expect(await clusters([LONE])).toEqual(['east']);
    expect(new Set(await clusters(['shop']))).toEqual(expected(['shop']));
    expect(expected(['shop']).has('west')).toBe(true);
    expect(await clusters(['no-such-namespace'])).toEqual([]);
  });
});
