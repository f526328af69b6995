import { describe, expect, it } from 'vitest';
import { dropGroupHref, DropGroupKeyError, parseDropGroupParams, type DropGroupKey } from './drop-groups';

const key: DropGroupKey = {
  source: { cluster: 'mesh-a', namespace: 'shop', entity: 'frontend' },
  destination: { cluster: '', namespace: '', entity: 'world' },
  destinationName: '2001:db8::/48', port: 443, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/egress,shop/deny',
};

describe('drop group links', () => {
  it('round-trip a key through the page URL, window included', () => {
    const url = new URL(dropGroupHref(key, { since: '2026-11-26T10:00:00Z', until: '2026-11-26T11:00:00Z' }), 'http://x');
    expect(url.pathname).toBe('/drops/group');
    expect(parseDropGroupParams(url.searchParams)).toEqual(key);
    expect(url.searchParams.get('since')).toBe('2026-11-26T10:00:00Z');
  });

  it('name the parameter at fault', () => {
    const bad = (q: string) => () => parseDropGroupParams(new URLSearchParams(q));
    expect(bad('to=a/b&reason=POLICY_DENIED')).toThrow(/^from: missing/);
    expect(bad('from=a/b&to=c/d&reason=POLICY_DENIED&port=70000')).toThrow(/^port: expected 0 to 65535/);
    expect(bad('from=a/b&to=c/d&reason=NOPE')).toThrow(DropGroupKeyError);
  });
});
