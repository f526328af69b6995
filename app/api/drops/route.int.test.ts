/**
 * GET /api/drops and GET /api/drops/group as Next calls them, over a PGlite holding demo traffic
 * registered as the process's shared Db: answers, and 400s with the message of what is at fault.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dropGroupApiUrl, dropsUrl, type DropGroupDetail, type DropGroupsResponse } from '../../../lib/api/drops';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { createDemoTraffic } from '../../../server/demo/traffic';
import { incidentWindow } from '../../../server/demo/incidents';
import { GET as getGroup } from './group/route';
import { GET as getDrops } from './route';
import { useSharedTestDb } from '../../../server/store/testing/shared-test-db';

const FROM_MS = Date.now() - 5 * 60_000;
const traffic = createDemoTraffic({ seed: 3, rateFlowsPerS: 40, defaultTimeline: false, incidents: [incidentWindow('policy-change', FROM_MS, FROM_MS + 60_000)] });
const stored: FlowsResponse[] = traffic.flowsBetween(FROM_MS, FROM_MS + 60_000).map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));

const call = (handler: (r: Request) => Promise<Response>, url: string) => handler(new Request(new URL(url, 'http://localhost')));

describe('GET /api/drops and /api/drops/group', () => {
  const t = useSharedTestDb(stored);

  it('groups the drops, and a group\'s page suggests the policy that allows the policy-change traffic', async () => {
    const res = await call(getDrops, dropsUrl({ since: '15m', sort: 'novelty' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const inbox = (await res.json()) as DropGroupsResponse;
    const group = inbox.groups.find((g) => g.key.source.entity === 'frontend' && g.key.destination.entity === 'api');
    expect(group).toMatchObject({ isNew: true, key: { port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress' } });

    const page = await call(getGroup, dropGroupApiUrl(group!.key, { since: inbox.since, until: inbox.until }));
    expect(page.status).toBe(200);
    const detail = (await page.json()) as DropGroupDetail;
    expect(detail.count).toBe(group!.count);
    expect(detail.samples.length).toBeGreaterThan(0);
    expect(detail.command).toMatch(/^hubble observe .*--to-workload api .*--since /);
    if (detail.suggestion.kind !== 'policy') throw new Error(detail.suggestion.reason);
    const policy = parse(detail.suggestion.yaml);
    expect(policy.spec.endpointSelector.matchLabels).toEqual({ app: 'api' });
    expect(policy.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }] }]);
  });

  it.each([
    ['/api/drops?q=--bogus', /unknown flag: --bogus/],
    ['/api/drops?sort=size', /^sort: /],
    ['/api/drops?q=--to-port+8080&since=12h', /windows of up to 6 h/],
    ['/api/drops?q=--pod+%00', /U\+0000/],
    ['/api/drops/group?to=shop/api&reason=POLICY_DENIED', /^from: missing/],
    ['/api/drops/group?from=a/b&to=c/d&reason=POLICY_DENIED&since=soon', /^since: /],
  ])('answers 400 for %s', async (url, message) => {
    const res = await call(url.startsWith('/api/drops/group') ? getGroup : getDrops, url);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });
});
