import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwks } from './jwks';
import { ProviderError } from './oidc-http';
import { startFakeOidcProvider, type FakeOidcProvider } from './testing/fake-oidc-provider';

let provider: FakeOidcProvider;
beforeAll(async () => {
  provider = await startFakeOidcProvider({ clientId: 'hubble', clientSecret: 's', redirectUri: 'http://127.0.0.1:1/auth/callback' });
});
afterAll(() => provider.close());

describe('createJwks', () => {
  it('keeps the keys, and refetches once for an unknown kid, no more often than allowed', async () => {
    let nowMs = 1_000_000;
    const jwks = createJwks({ jwksUri: async () => `${provider.issuer}/jwks`, nowMs: () => nowMs, minRefetchIntervalMs: 10_000 });
    const before = provider.requests.jwks;
    expect((await jwks.keysFor('key-1', 'RS256')).map((k) => k.kid)).toEqual(['key-1']);
    expect(await jwks.keysFor('key-1', 'RS256')).toHaveLength(1);
    expect(await jwks.keysFor('key-1', 'ES256')).toEqual([]); // the JWK pins RS256
    expect(provider.requests.jwks - before).toBe(1);

    provider.rotateKey();
    nowMs += 11_000;
    expect((await jwks.keysFor('key-2', 'RS256')).map((k) => k.kid)).toEqual(['key-2']);
    expect(provider.requests.jwks - before).toBe(2);

    // Right after a fetch, an unknown kid (a forged token, say) fetches nothing more...
    expect(await jwks.keysFor('forged', 'RS256')).toEqual([]);
    expect(provider.requests.jwks - before).toBe(2);
    // ...and later exactly once.
    nowMs += 11_000;
    expect(await jwks.keysFor('forged', 'RS256')).toEqual([]);
    expect(provider.requests.jwks - before).toBe(3);
  });

  it('reports an unreachable JWKS as a provider error, and tries again on the next call', async () => {
    let uri = 'http://127.0.0.1:9/jwks';
    const jwks = createJwks({ jwksUri: async () => uri });
    await expect(jwks.keysFor('key-1', 'RS256')).rejects.toThrow(ProviderError);
    await expect(jwks.keysFor('key-1', 'RS256')).rejects.toThrow(/JWKS \(http:\/\/127\.0\.0\.1:9\/jwks\) could not be reached/);
    uri = `${provider.issuer}/jwks`;
    expect(await jwks.keysFor(undefined, 'RS256')).toHaveLength(1);
  });
});
