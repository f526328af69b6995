import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdTokenError, verifyIdToken, type IdTokenExpectations, type KeyLookup } from './id-token';
import type { SigningKey } from './jwks';
import { makeTestKey, signJwt, type TestKey } from './testing/jwt-signing';

const ISSUER = 'https://idp.example.com';
const NOW_MS = Date.UTC(2026, 10, 26, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const WANT: IdTokenExpectations = { issuer: ISSUER, clientId: 'hubble', nonce: 'n-123', nowMs: NOW_MS };
const rsa = makeTestKey('RS256', 'rsa-1');
const ec = makeTestKey('ES256', 'ec-1');

const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, sub: 'u1', aud: 'hubble', iat: NOW_S - 10, exp: NOW_S + 300, nonce: 'n-123', ...extra });
const asSigningKey = (k: TestKey): SigningKey => ({ kid: k.kid, alg: k.alg, key: k.publicKey });
/** A lookup over a fixed key set, as the JWKS cache answers it. */
const keysOf = (...keys: TestKey[]): KeyLookup => async (kid, alg) =>
  keys.map(asSigningKey).filter((k) => (kid === undefined || k.kid === kid) && k.alg === alg);

async function failure(token: string, want: Partial<IdTokenExpectations> = {}, keys = keysOf(rsa, ec)): Promise<string> {
  const err = await verifyIdToken(token, { ...WANT, ...want }, keys).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(IdTokenError);
  return (err as Error).message;
}

describe('verifyIdToken', () => {
  it('accepts RS256 and ES256 tokens signed by a key in the JWKS', async () => {
    expect((await verifyIdToken(signJwt(claims({ email: 'ana@example.com' }), rsa), WANT, keysOf(rsa, ec))).email).toBe('ana@example.com');
    expect((await verifyIdToken(signJwt(claims(), ec), WANT, keysOf(rsa, ec))).sub).toBe('u1');
  });

  it('accepts a token without kid when a key of the algorithm verifies it', async () => {
    expect((await verifyIdToken(signJwt(claims(), ec, { kid: undefined }), WANT, keysOf(rsa, ec))).sub).toBe('u1');
  });

  it('refuses a signature made with another key, or a payload changed after signing', async () => {
    const impostor = makeTestKey('RS256', rsa.kid);
    expect(await failure(signJwt(claims(), impostor))).toMatch(/signature does not verify/);
    const [h, , s] = signJwt(claims(), rsa).split('.');
    const changed = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url');
    expect(await failure(`${h}.${changed}.${s}`)).toMatch(/signature does not verify/);
  });

  it('refuses alg none, HMAC signed with the public key, and an ES256 header over an RSA key', async () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(await failure(`${part({ alg: 'none', kid: rsa.kid })}.${part(claims())}.`)).toMatch(/signed with "none"/);
    const input = `${part({ alg: 'HS256', kid: rsa.kid })}.${part(claims())}`;
    const hmac = createHmac('sha256', rsa.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest('base64url');
    expect(await failure(`${input}.${hmac}`)).toMatch(/signed with "HS256"/);
    // An EC signature claimed against the RSA key (kid), with a lookup that ignores alg.
    const lax: KeyLookup = async () => [asSigningKey(rsa)];
    expect(await failure(signJwt(claims(), ec, { kid: rsa.kid }), {}, lax)).toMatch(/signature does not verify/);
  });

  it('refuses a short RSA key', async () => {
    const weak = { kid: 'weak', alg: 'RS256' as const, ...generateKeyPairSync('rsa', { modulusLength: 1024 }) };
    expect(await failure(signJwt(claims(), weak), {}, keysOf(weak))).toMatch(/signature does not verify/);
  });

  it('says so when no key matches the kid', async () => {
    expect(await failure(signJwt(claims(), rsa, { kid: 'rotated-away' }))).toMatch(/no key .* matches .*kid rotated-away/);
  });

  it.each([
    ['another issuer', claims({ iss: 'https://evil.example.com' }), /issued by "https:\/\/evil\.example\.com", not https:\/\/idp/],
    ['another audience', claims({ aud: 'grafana' }), /meant for "grafana", not this client/],
    ['several audiences without azp', claims({ aud: ['hubble', 'grafana'] }), /several audiences but no azp/],
    ['an azp of another client', claims({ aud: ['hubble', 'grafana'], azp: 'grafana' }), /issued to "grafana" \(azp\)/],
    ['expired beyond the skew', claims({ exp: NOW_S - 61 }), /expired at/],
    ['issued in the future', claims({ iat: NOW_S + 120 }), /issued in the future/],
    ['no exp', claims({ exp: undefined }), /no expiry/],
    ['another nonce', claims({ nonce: 'n-999' }), /nonce does not match/],
    ['no nonce', claims({ nonce: undefined }), /nonce does not match/],
  ])('refuses %s', async (_, c, message) => {
    expect(await failure(signJwt(c, rsa))).toMatch(message);
  });

  it('tolerates a small clock skew, and several audiences with our azp', async () => {
    await expect(verifyIdToken(signJwt(claims({ exp: NOW_S - 30, iat: NOW_S + 30 }), rsa), WANT, keysOf(rsa))).resolves.toBeTruthy();
    await expect(verifyIdToken(signJwt(claims({ aud: ['hubble', 'grafana'], azp: 'hubble' }), rsa), WANT, keysOf(rsa))).resolves.toBeTruthy();
  });

  it('refuses what is not a compact JWS', async () => {
    expect(await failure('abc.def')).toMatch(/not a compact JWS/);
    expect(await failure('a.b.c.d')).toMatch(/not a compact JWS/);
    expect(await failure('bm90IGpzb24.e30.')).toMatch(/header is not a base64url JSON object/);
  });
});
