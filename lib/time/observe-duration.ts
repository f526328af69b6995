/**
 * Go's `time.ParseDuration`, exactly: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us, µs, μs,
 * ms, s, m, h (no days), the bare `0`, fractions scaled through float64 as Go does, and the same
 * overflow limits (±2^63 ns) and error messages.
 */

/** A duration that Go's time.ParseDuration rejects; the message is Go's. */
export class GoDurationError extends Error {}

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n], ['us', 1_000n], ['\u00b5s', 1_000n], ['\u03bcs', 1_000n], ['ms', 1_000_000n],
  ['s', 1_000_000_000n], ['m', 60_000_000_000n], ['h', 3_600_000_000_000n],
]);
const LIMIT = 1n << 63n;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's leadingFraction: digits after the point, ignoring those that would overflow. */
function leadingFraction(s: string): { f: bigint; scale: number; rest: string } {
  let i = 0;
  let f = 0n;
  let scale = 1;
  let overflow = false;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue;
    if (f > (LIMIT - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
    if (y > LIMIT) {
      overflow = true;
      continue;
    }
    f = y;
    scale *= 10;
  }
  return { f, scale, rest: s.slice(i) };
}

/** Parses a Go duration into nanoseconds. Throws GoDurationError with Go's message. */
export function parseGoDuration(orig: string): bigint {
  const invalid = () => new GoDurationError(`time: invalid duration ${JSON.stringify(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    let v = 0n;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > LIMIT / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    let frac = { f: 0n, scale: 1, rest: s };
    let post = false;
    if (s[0] === '.') {
      frac = leadingFraction(s.slice(1));
      post = frac.rest.length !== s.length - 1;
      s = frac.rest;
    }
    if (!pre && !post) throw invalid();
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw new GoDurationError(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const name = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS.get(name);
    if (unit === undefined) throw new GoDurationError(`time: unknown unit ${JSON.stringify(name)} in duration ${JSON.stringify(orig)}`);
    if (v > LIMIT / unit) throw invalid();
    v *= unit;
    if (frac.f > 0n) {
      // Go scales the fraction in float64; doing the same keeps results identical to the CLI's.
      v += BigInt(Math.trunc(Number(frac.f) * (Number(unit) / frac.scale)));
      if (v > LIMIT) throw invalid();
    }
    d += v;
    if (d > LIMIT) throw invalid();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) throw invalid();
  return d;
}
