/**
 * The provider's signing keys (its JWKS), fetched once and kept. Providers rotate keys by
 * publishing the new one before signing with it, so a token naming an unknown `kid` triggers one
 * refetch; such refetches are spaced out so that forged tokens cannot make us hammer the provider.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { logger } from '../log/logger';
import { fetchJson, ProviderError } from './oidc-http';

const log = logger('access');

export interface SigningKey {
  kid?: string;
  /** The JWK's `alg`, when it pins one. */
  alg?: string;
  key: KeyObject;
}

export interface JwksOptions {
  /** Resolved lazily: it comes from discovery. */
  jwksUri: () => Promise<string>;
  nowMs?: () => number;
  /** At least this long between refetches for unknown kids. */
  minRefetchIntervalMs?: number;
}

export interface Jwks {
  /** Keys that may have signed a token with this header; refetches once when `kid` is unknown. */
  keysFor(kid: string | undefined, alg: string): Promise<SigningKey[]>;
  /** Forget the keys (discovery changed). */
  reset(): void;
}

function importKeys(body: Record<string, unknown>, uri: string): SigningKey[] {
  if (!Array.isArray(body.keys)) throw new ProviderError(`the provider's JWKS (${uri}) has no "keys" array`);
  const keys: SigningKey[] = [];
  for (const jwk of body.keys as Array<Record<string, unknown>>) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    // Encryption keys and symmetric keys never verify an ID token here.
    if ((jwk.use !== undefined && jwk.use !== 'sig') || (jwk.kty !== 'RSA' && jwk.kty !== 'EC')) continue;
    try {
      keys.push({
        kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
        alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
        key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
      });
    } catch (err) {
      log.warn({ kid: jwk.kid, err: String(err) }, 'skipping a JWKS key that cannot be imported');
    }
  }
  return keys;
}

export function createJwks(opts: JwksOptions): Jwks {
  const now = opts.nowMs ?? Date.now;
  const minIntervalMs = opts.minRefetchIntervalMs ?? 10_000;
  let keys: SigningKey[] | undefined;
  let fetchedAtMs = -Infinity;
  let inFlight: Promise<SigningKey[]> | undefined;

  function load(): Promise<SigningKey[]> {
    inFlight ??= (async () => {
      try {
        const uri = await opts.jwksUri();
        const { status, body } = await fetchJson('the provider\'s JWKS', uri);
        if (status !== 200) throw new ProviderError(`the provider's JWKS (${uri}) answered ${status}`);
        keys = importKeys(body, uri);
        fetchedAtMs = now();
        log.info({ uri, kids: keys.map((k) => k.kid ?? '-') }, 'fetched the provider\'s signing keys');
        return keys;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  const matching = (all: SigningKey[], kid: string | undefined, alg: string) =>
    all.filter((k) => (kid === undefined || k.kid === kid) && (k.alg === undefined || k.alg === alg));

  return {
    async keysFor(kid, alg) {
      const found = matching(keys ?? (await load()), kid, alg);
      if (found.length > 0 || kid === undefined) return found;
      if (now() - fetchedAtMs < minIntervalMs) return [];
      log.info({ kid }, 'a token names an unknown key: refetching the JWKS once');
      return matching(await load(), kid, alg);
    },
    reset() {
      keys = undefined;
      fetchedAtMs = -Infinity;
    },
  };
}
