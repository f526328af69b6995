import { describe, expect, it } from 'vitest';
import { flowsApiParams, flowsExportHref, flowsLiveBlocked, flowsViewFromSearch, flowsViewHref, flowsWindowEnd } from './flows-query';
import { flowCells } from './flow-cells';

describe('flows view in the URL', () => {
  it('round-trips through the page URL, with defaults for what is missing', () => {
    expect(flowsViewFromSearch(new URLSearchParams(''))).toEqual({ q: '', since: '1h', limit: 100 });
    const view = { q: '--namespace shop --verdict DROPPED', since: '24h', until: '2026-01-15T12:00:00Z', limit: 50 };
    const href = flowsViewHref(view);
    expect(href.startsWith('/flows?')).toBe(true);
    expect(flowsViewFromSearch(new URL(href, 'http://x').searchParams)).toEqual(view);
  });

  it('keeps the live tail and the open flow in the URL, and leaves them out of the API call', () => {
    const view = { q: '-n shop', since: '1h', until: '2026-01-15T12:00:00Z', limit: 100, live: true as const, flow: 'a1b2-c3' };
    const href = flowsViewHref(view);
    expect(new URL(href, 'http://x').searchParams.get('live')).toBe('1');
    expect(flowsViewFromSearch(new URL(href, 'http://x').searchParams)).toEqual(view);
    expect(flowsViewHref({ q: '', since: '1h', limit: 100, flow: 'u' })).toBe('/flows?since=1h&limit=100&flow=u');
    expect(flowsViewFromSearch(new URLSearchParams('live=0&flow='))).toEqual({ q: '', since: '1h', limit: 100 });
    expect(flowsApiParams(view)).toEqual({ q: '-n shop', since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z', limit: 100 });
  });

  it('cannot follow live a view whose flags set --until', () => {
    expect(flowsLiveBlocked({ q: '--namespace shop --until 5m' })).toMatch(/--until/);
    expect(flowsLiveBlocked({ q: '--namespace shop --since 5m' })).toBeUndefined();
  });

  it('resolves a relative since against the pinned until', () => {
    const params = flowsApiParams({ q: '--verdict DROPPED', since: '1h', until: '2026-01-15T12:00:00Z', limit: 100 });
    expect(params).toEqual({ q: '--verdict DROPPED', since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z', limit: 100 });
  });

  it('leaves a bound to the flags when q sets it, and an unparsable since to the API', () => {
    const fromFlags = flowsApiParams({ q: '--since 2h --until=1h', since: '1h', until: '2026-01-15T12:00:00Z', limit: 10 });
    expect(fromFlags.since).toBeUndefined();
    expect(fromFlags.until).toBeUndefined();
    expect(flowsApiParams({ q: '', since: 'yesterday', until: '2026-01-15T12:00:00Z', limit: 10 }).since).toBe('yesterday');
  });

  it('exports every flow of the view as jsonpb or CSV, without a page limit, and on past the pinned end when live', () => {
    const href = new URL(flowsExportHref({ q: '--namespace shop', since: '1h', limit: 10 }), 'http://x');
    expect(Object.fromEntries(href.searchParams)).toEqual({ q: '--namespace shop', since: '1h', format: 'jsonpb' });
    const csv = new URL(flowsExportHref({ q: '', since: '1h', until: '2026-01-15T12:00:00Z', limit: 10, live: true }, 'csv'), 'http://x');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ since: '2026-01-15T11:00:00Z', format: 'csv' });
    const pinned = new URL(flowsExportHref({ q: '', since: '1h', until: '2026-01-15T12:00:00Z', limit: 10 }, 'csv'), 'http://x');
    expect(pinned.searchParams.get('until')).toBe('2026-01-15T12:00:00Z');
  });

  it('pins the window end at the newest stored flow when the collector is behind', () => {
    const nowMs = Date.parse('2026-01-15T12:00:00Z');
    expect(flowsWindowEnd(nowMs, '2026-01-15T11:59:58.123456789Z')).toBe('2026-01-15T11:59:58.123456789Z');
    expect(flowsWindowEnd(nowMs, '2026-01-15T12:00:05Z')).toBe('2026-01-15T12:00:00.000Z');
    expect(flowsWindowEnd(nowMs)).toBe('2026-01-15T12:00:00.000Z');
  });
});

describe('flowCells', () => {
  it('prints a policy drop with the printer’s endpoint text', () => {
    const cells = flowCells({
      flow: {
        time: '2026-01-15T12:00:00.5Z', uuid: 'u1', verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED',
        IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4' },
        l4: { TCP: { source_port: 40000, destination_port: 8080 } },
        source: { namespace: 'shop', pod_name: 'frontend-1', cluster_name: 'west' }, destination: { namespace: 'shop', pod_name: 'api-1' },
        event_type: { type: 5 }, node_name: 'demo/worker-1',
        ingress_denied_by: [{ name: 'api-ingress', namespace: 'shop' }],
      },
    }, 'UTC');
    expect(cells).toMatchObject({
      key: 'u1', time: 'Jan 15 12:00:00.500', source: 'shop/frontend-1:40000', destination: 'shop/api-1:8080', sourceCluster: 'west', destinationCluster: '',
      portProtocol: '8080/TCP', l7: '', verdict: 'DROPPED', dropReason: 'Policy denied',
      policy: 'ingress denied by shop/api-ingress', node: 'demo/worker-1',
    });
    expect(cells?.type).toMatch(/^policy-verdict:/);
  });

  it('has no cells for lost events', () => {
    expect(flowCells({ lost_events: { num_events_lost: '3' } }, 'UTC')).toBeUndefined();
  });
});
