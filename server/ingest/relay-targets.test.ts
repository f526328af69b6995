import { describe, expect, it } from 'vitest';
import { parseRelayTargets, relayKey } from './relay-targets';

describe('relayKey', () => {
  it('keeps a single unnamed relay under its address, as before, and names every other relay by its cluster', () => {
    expect(relayKey({ cluster: 'default', named: false }, 1, 'hubble-relay:80')).toBe('hubble-relay:80');
    expect(relayKey({ cluster: 'east', named: true }, 1, 'relay.east:443')).toBe('east');
    expect(relayKey({ cluster: 'default', named: false }, 2, 'relay.local:4245')).toBe('default');
  });
});

describe('parseRelayTargets', () => {
  it('tells two spellings of one address apart from two addresses (default port, tls://, case, IPv6)', () => {
    expect(() => parseRelayTargets('X', 'a=[::1],b=tls://[::1]:4245', 'default')).toThrow(/^X=.*\[::1\]:4245 is listed twice/);
    expect(parseRelayTargets('X', 'a=[::1]:4245,b=[::1]:4246', 'default').map((t) => t.cluster)).toEqual(['a', 'b']);
    expect(parseRelayTargets('X', 'a=relay:80,b=relay:81', 'default')).toHaveLength(2);
  });
});
