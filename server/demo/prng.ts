/**
 * A small, fast, seeded PRNG (mulberry32) and integer hashing for the demo cluster. Everything the
 * simulation draws comes from here, so the same seed always gives the same cluster traffic.
 */

/** murmur3's 32-bit finalizer: a bijection on uint32, so distinct inputs give distinct outputs. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits any finite number into two uint32 words, so seeds above 2^32 or below 0 still count. */
function words(n: number): [number, number] {
  const i = Math.trunc(n);
  return [i >>> 0, Math.floor(i / 4294967296) >>> 0];
}

/** Hashes a list of numbers (each may exceed 32 bits) into one uint32. */
export function hashNumbers(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    const [lo, hi] = words(v);
    h = mix32(h ^ lo) + 0x7f4a7c15;
    h = mix32(h ^ hi);
  }
  return h >>> 0;
}

/** FNV-1a over a string, finalized: stable names → stable numbers (identities, pod suffixes). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Cumulative weights for {@link Prng.weighted}. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += Math.max(0, weights[i]);
    out[i] = sum;
  }
  return out;
}

/** mulberry32: one uint32 of state, good enough statistics for traffic, very fast. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uint32. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn by weight, from {@link cumulative} weights; -1 when all weights are zero. */
  weighted(cum: Float64Array): number {
    const total = cum.length ? cum[cum.length - 1] : 0;
    if (total <= 0) return -1;
    const x = this.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A positive, right-skewed duration around `medianNs` (log-normal-ish), capped at `maxNs`. */
  skewed(medianNs: number, maxNs: number): number {
    const u = this.next() + this.next() + this.next() - 1.5;
    return Math.min(maxNs, Math.round(medianNs * Math.exp(u * 1.2)));
  }
}

const HEX_CODES = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
/** Character positions of the 32 hex digits in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
const UUID_DIGIT_AT = [...Array(36).keys()].filter((i) => i !== 8 && i !== 13 && i !== 18 && i !== 23);
const uuidCodes: number[] = new Array<number>(36).fill(45);

/**
 * Four uint32 words as a UUID with version 4 and RFC 4122 variant bits, like `crypto.randomUUID()`.
 * Built as one flat string from character codes: millions of flows need it, and ropes of
 * concatenated pieces cost several times more in allocation and GC.
 */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const words = [a >>> 0, ((b & 0xffff0fff) | 0x4000) >>> 0, ((c & 0x3fffffff) | 0x80000000) >>> 0, d >>> 0];
  let p = 0;
  for (let w = 0; w < 4; w++) {
    const x = words[w];
    for (let shift = 28; shift >= 0; shift -= 4) uuidCodes[UUID_DIGIT_AT[p++]] = HEX_CODES[(x >>> shift) & 15];
  }
  return String.fromCharCode.apply(null, uuidCodes);
}
