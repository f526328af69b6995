/**
 * Verifies an OpenID Connect ID token (a JWS in compact form) as OpenID Connect Core 3.1.3.7
 * asks: the signature with the provider's key, then iss, aud/azp, exp, iat and nonce. Only
 * asymmetric algorithms are accepted, and the key's type must fit the algorithm, so neither
 * `alg: none` nor an HMAC "signed" with a public key can pass.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import type { SigningKey } from './jwks';

/** The token is not acceptable; the message says why, without echoing the token. */
export class IdTokenError extends Error {
  override name = 'IdTokenError';
}

interface Algorithm {
  hash: string;
  keyType: 'rsa' | 'ec';
  curve?: string;
  pss?: boolean;
}

const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  PS256: { hash: 'sha256', keyType: 'rsa', pss: true },
  PS384: { hash: 'sha384', keyType: 'rsa', pss: true },
  PS512: { hash: 'sha512', keyType: 'rsa', pss: true },
  ES256: { hash: 'sha256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', keyType: 'ec', curve: 'secp384r1' },
  ES512: { hash: 'sha512', keyType: 'ec', curve: 'secp521r1' },
};

export const SUPPORTED_ALGORITHMS = Object.keys(ALGORITHMS);

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  nowMs: number;
  /** Tolerated clock difference with the provider. */
  clockSkewS?: number;
}

export type KeyLookup = (kid: string | undefined, alg: string) => Promise<SigningKey[]>;

export type IdTokenClaims = Record<string, unknown> & { iss: string; sub: string; aud: string | string[]; exp: number; iat: number };

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new IdTokenError(`the ID token's ${what} is not a base64url JSON object`);
}

function keyFits(key: KeyObject, alg: Algorithm): boolean {
  const details = key.asymmetricKeyDetails;
  if (alg.keyType === 'rsa') return key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048;
  return key.asymmetricKeyType === 'ec' && details?.namedCurve === alg.curve;
}

function signatureValid(key: KeyObject, alg: Algorithm, data: Buffer, signature: Buffer): boolean {
  if (!keyFits(key, alg)) return false;
  const opts = alg.keyType === 'ec'
    ? { key, dsaEncoding: 'ieee-p1363' as const }
    : alg.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key };
  try {
    return verify(alg.hash, data, opts, signature);
  } catch {
    return false;
  }
}

async function checkSignature(token: string, keys: KeyLookup): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]*$/.test(p))) throw new IdTokenError('the ID token is not a compact JWS (three base64url parts)');
  const header = decodePart(parts[0], 'header');
  const algName = typeof header.alg === 'string' ? header.alg : '';
  const alg = ALGORITHMS[algName];
  if (!alg) throw new IdTokenError(`the ID token is signed with ${JSON.stringify(header.alg)}; accepted: ${SUPPORTED_ALGORITHMS.join(', ')}`);
  if (header.crit !== undefined) throw new IdTokenError('the ID token has critical header parameters this dashboard does not understand');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const candidates = await keys(kid, algName);
  if (candidates.length === 0) throw new IdTokenError(`no key in the provider's JWKS matches the ID token (kid ${kid ?? 'unset'}, ${algName})`);
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  if (!candidates.some((k) => signatureValid(k.key, alg, data, signature))) {
    throw new IdTokenError(`the ID token's signature does not verify with the provider's key (kid ${kid ?? 'unset'}, ${algName})`);
  }
  return decodePart(parts[1], 'payload');
}

function checkClaims(claims: Record<string, unknown>, want: IdTokenExpectations): IdTokenClaims {
  const skewS = want.clockSkewS ?? 60;
  const nowS = want.nowMs / 1000;
  if (claims.iss !== want.issuer) throw new IdTokenError(`the ID token was issued by ${JSON.stringify(claims.iss)}, not ${want.issuer}`);
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(want.clientId)) throw new IdTokenError(`the ID token is meant for ${JSON.stringify(aud)}, not this client (${want.clientId})`);
  if (audiences.length > 1 && claims.azp === undefined) throw new IdTokenError('the ID token has several audiences but no azp (authorized party)');
  if (claims.azp !== undefined && claims.azp !== want.clientId) throw new IdTokenError(`the ID token was issued to ${JSON.stringify(claims.azp)} (azp), not this client`);
  if (typeof claims.exp !== 'number') throw new IdTokenError('the ID token has no expiry (exp)');
  if (nowS > claims.exp + skewS) throw new IdTokenError(`the ID token expired at ${new Date(claims.exp * 1000).toISOString()}; check this machine's clock if that is wrong`);
  if (typeof claims.iat !== 'number') throw new IdTokenError('the ID token has no issue time (iat)');
  if (claims.iat > nowS + skewS) throw new IdTokenError(`the ID token was issued in the future (${new Date(claims.iat * 1000).toISOString()}); check the clocks`);
  if (typeof claims.nbf === 'number' && claims.nbf > nowS + skewS) throw new IdTokenError('the ID token is not valid yet (nbf)');
  if (claims.nonce !== want.nonce) throw new IdTokenError('the ID token\'s nonce does not match this sign-in (a replayed or mixed-up token)');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new IdTokenError('the ID token has no subject (sub)');
  return claims as IdTokenClaims;
}

/** The verified claims; throws IdTokenError saying what failed. */
export async function verifyIdToken(token: string, want: IdTokenExpectations, keys: KeyLookup): Promise<IdTokenClaims> {
  return checkClaims(await checkSignature(token, keys), want);
}
