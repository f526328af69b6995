/**
 * The few Go standard-library parsers whose exact behaviour shows through `hubble observe`'s flags:
 * `strconv.ParseUint` (base 10, and base 0 with `0x`/`0o`/`0b`/leading-0 prefixes and `_`
 * separators, as pflag's uint64 flags and identity numbers use), `strconv.ParseBool`, and `%q`.
 */

/** A flag value the CLI rejects; the message is the CLI's (or Go's) text for it, without the flag. */
export class FlagValueError extends Error {}

/** Go's `strconv.Quote` for the characters that matter in messages (close to `%q`). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Go's `underscoreOK`: `_` only between digits (a base prefix counts as a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/**
 * `strconv.ParseUint(s, base, bits)` for base 10 or 0. Throws a FlagValueError with Go's message
 * (`strconv.ParseUint: parsing "x": invalid syntax` / `value out of range`).
 */
export function parseGoUint(s: string, base: 0 | 10, bits: 32 | 64): bigint {
  const fail = (why: string) => new FlagValueError(`strconv.ParseUint: parsing ${goQuote(s)}: ${why}`);
  if (s === '') throw fail('invalid syntax');
  let digits = s;
  let radix = 10;
  if (base === 0 && s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    radix = p === 'b' ? 2 : p === 'o' ? 8 : p === 'x' ? 16 : 8;
    digits = p === 'b' || p === 'o' || p === 'x' ? s.slice(2) : s.slice(1);
  }
  const max = (1n << BigInt(bits)) - 1n;
  let n = 0n;
  let underscores = false;
  for (const ch of digits) {
    if (ch === '_' && base === 0) {
      underscores = true;
      continue;
    }
    const d = DIGITS.indexOf(ch.toLowerCase());
    if (d < 0 || d >= radix) throw fail('invalid syntax');
    n = n * BigInt(radix) + BigInt(d);
    // Go reports the overflow as soon as it happens, before any later syntax error.
    if (n > max) throw fail('value out of range');
  }
  if (underscores && !underscoreOK(s)) throw fail('invalid syntax');
  return n;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new FlagValueError(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}
