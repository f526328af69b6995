import { describe, expect, it } from 'vitest';
import { flowsApiParams, flowsExportHref, flowsViewFromSearch, flowsViewHref, flowsWindowEnd } from './flows-query';
import { flowCells } from './flow-cells';

describe('flows view in the URL', () => {
  it('round-trips through the page URL, with defaults for what is missing', () => {
    expect(flowsViewFromSearch(new URLSearchParams(''))).toEqual({ q: '', since: '1h', limit: 100 });
    const view = { q: '--namespace shop --verdict DROPPED', since: '24h', until: '2026-01-15T12:00:00Z', limit: 50 };
    const href = flowsViewHref(view);
    expect(href.startsWith('/flows?')).toBe(true);
    expect(flowsViewFromSearch(new URL(href, 'http://x').searchParams)).toEqual(view);
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

  it('exports every flow of the window as jsonpb, without a page limit', () => {
    const href = new URL(flowsExportHref({ q: '--namespace shop', since: '1h', limit: 10 }), 'http://x');
    expect(Object.fromEntries(href.searchParams)).toEqual({ q: '--namespace shop', since: '1h', format: 'jsonpb' });
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
        source: { namespace: 'shop', pod_name: 'frontend-1' }, destination: { namespace: 'shop', pod_name: 'api-1' },
        event_type: { type: 5 }, node_name: 'demo/worker-1',
        ingress_denied_by: [{ name: 'api-ingress', namespace: 'shop' }],
      },
    }, 0, 'UTC');
    expect(cells).toMatchObject({
      key: 'u1', time: 'Jan 15 12:00:00.500', source: 'shop/frontend-1:40000', destination: 'shop/api-1:8080',
      portProtocol: '8080/TCP', l7: '', verdict: 'DROPPED', dropReason: 'Policy denied',
      policy: 'ingress denied by shop/api-ingress', node: 'demo/worker-1',
    });
    expect(cells?.type).toMatch(/^policy-verdict:/);
  });

  it('has no cells for lost events', () => {
    expect(flowCells({ lost_events: { num_events_lost: '3' } }, 0, 'UTC')).toBeUndefined();
  });
});
