/**
 * Signs JWTs for tests (the fake provider and the ID token tests), with keys made by node:crypto,
 * in the JWS compact form real providers use: RS256 as PKCS#1 v1.5, ES256 as raw r||s.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type TestAlg = 'RS256' | 'ES256';

export interface TestKey {
  kid: string;
  alg: TestAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeTestKey(alg: TestAlg, kid: string): TestKey {
  const pair = alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { kid, alg, ...pair };
}

/** The public half as a JWKS entry. */
export function publicJwk(key: TestKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A signed JWT; `header` overrides or adds header fields (alg, kid, typ). */
export function signJwt(claims: Record<string, unknown>, key: TestKey, header: Record<string, unknown> = {}): string {
  const input = `${part({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header })}.${part(claims)}`;
  const signature = key.alg === 'RS256'
    ? sign('sha256', Buffer.from(input), key.privateKey)
    : sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
