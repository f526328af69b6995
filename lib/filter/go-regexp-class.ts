/**
 * Character classes and escapes for the Go (RE2) → JavaScript RegExp translator (`go-regexp.ts`):
 * `[...]` classes, Perl (`\d`), POSIX (`[:alpha:]`) and Unicode (`\pL`, `\p{Greek}`) classes, and
 * escaped runes, expanded to rune ranges or `u`-flag JS classes with Go's meaning.
 */
import {
  caseAtom, isAlnum, MAX_RUNE, nextRune, rangesCased, rangesText, reError, type Ranges, type ReFlags, type ReState,
} from './go-regexp-state';

const PERL_CLASSES: Record<string, Ranges> = { d: [48, 57], s: [9, 10, 12, 13, 32, 32], w: [48, 57, 65, 90, 95, 95, 97, 122] };
const POSIX_CLASSES: Record<string, Ranges> = {
  alnum: [48, 57, 65, 90, 97, 122], alpha: [65, 90, 97, 122], ascii: [0, 127], blank: [9, 9, 32, 32],
  cntrl: [0, 31, 127, 127], digit: [48, 57], graph: [33, 126], lower: [97, 122], print: [32, 126],
  punct: [33, 47, 58, 64, 91, 96, 123, 126], space: [9, 13, 32, 32], upper: [65, 90],
  word: [48, 57, 65, 90, 95, 95, 97, 122], xdigit: [48, 57, 65, 70, 97, 102],
};
const GENERAL_CATEGORIES = new Set(('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps ' +
  'S Sc Sk Sm So Z Zl Zp Zs').split(' '));

function negateRanges(r: Ranges): Ranges {
  const sorted: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) sorted.push([r[i], r[i + 1]]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

/** After `\`: the escaped rune (octal, `\x` hex, `\a\f\n\r\t\v`, or escaped punctuation). */
export function parseEscapeChar(st: ReState): number {
  const start = st.pos - 1;
  const c = nextRune(st);
  const peekOctal = () => st.pos < st.src.length && st.src[st.pos] >= '0' && st.src[st.pos] <= '7';
  if ((c >= 49 && c <= 55 && peekOctal()) || c === 48) {
    let r = c - 48;
    for (let n = 1; n < 3 && peekOctal(); n++) r = r * 8 + (st.src.charCodeAt(st.pos++) - 48);
    return r;
  }
  if (c === 120 /* x */ && st.pos < st.src.length) {
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(st.src.slice(st.pos));
    const pair = /^[0-9A-Fa-f]{2}/.exec(st.src.slice(st.pos));
    const value = braced ? parseInt(braced[1], 16) : pair ? parseInt(pair[0], 16) : NaN;
    if (value <= MAX_RUNE) {
      st.pos += (braced ?? pair)![0].length;
      return value;
    }
  }
  const simple: Record<number, number> = { 97: 7, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };
  if (simple[c] !== undefined) return simple[c];
  if (c < 0x80 && !isAlnum(c)) return c;
  throw reError(st, `invalid escape sequence: ${JSON.stringify(st.src.slice(start, st.pos))}`);
}

/** After `\p` or `\P`: returns the JS text (`\p{L}`, `\P{Script=Greek}`) or ranges for `Any`. */
function parseUnicodeClass(st: ReState, negated: boolean): string | Ranges {
  const start = st.pos - 2;
  let name: string;
  if (st.src[st.pos] === '{') {
    const close = st.src.indexOf('}', st.pos);
    if (close < 0) throw reError(st, `invalid character class range: ${JSON.stringify(st.src.slice(start))}`);
    name = st.src.slice(st.pos + 1, close);
    st.pos = close + 1;
  } else {
    name = String.fromCodePoint(nextRune(st));
  }
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  if (name === 'Any') return negated ? [] : [0, MAX_RUNE];
  const body = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
  try {
    if (!/^[A-Za-z_]+$/.test(name)) throw new Error(name);
    new RegExp(`\\p{${body}}`, 'u');
  } catch {
    throw reError(st, `invalid character class range: ${JSON.stringify(st.src.slice(start, st.pos))}`);
  }
  return `\\${negated ? 'P' : 'p'}{${body}}`;
}

/** A class item that is itself a class (`\d`, `\pL`, `[:alpha:]`), as ranges or JS text; else undefined. */
export function parseClassItem(st: ReState): Ranges | string | undefined {
  const s = st.src;
  if (s.startsWith('[:', st.pos)) {
    const close = s.indexOf(':]', st.pos + 2);
    if (close >= 0) {
      const raw = s.slice(st.pos + 2, close);
      const ranges = POSIX_CLASSES[raw.replace(/^\^/, '')];
      if (ranges === undefined) throw reError(st, `invalid character class range: ${JSON.stringify(`[:${raw}:]`)}`);
      st.pos = close + 2;
      return raw.startsWith('^') ? negateRanges(ranges) : ranges;
    }
  }
  if (s[st.pos] !== '\\') return undefined;
  const c = s[st.pos + 1];
  if (c === 'p' || c === 'P') {
    st.pos += 2;
    return parseUnicodeClass(st, c === 'P');
  }
  const perl = c === undefined ? undefined : PERL_CLASSES[c.toLowerCase()];
  if (perl === undefined) return undefined;
  st.pos += 2;
  return c === c.toLowerCase() ? perl : negateRanges(perl);
}

function parseClassChar(st: ReState): number {
  if (st.pos >= st.src.length) throw reError(st, 'missing closing ]');
  const c = nextRune(st);
  if (c !== 92 /* \ */) return c;
  if (st.pos >= st.src.length) throw reError(st, 'trailing backslash at end of expression');
  return parseEscapeChar(st);
}

/** After `[`: the whole class as one JS class. */
export function parseClass(st: ReState, flags: ReFlags): string {
  const start = st.pos - 1;
  const negated = st.src[st.pos] === '^';
  if (negated) st.pos++;
  let body = '';
  let cased = false;
  let first = true;
  while (first || st.src[st.pos] !== ']') {
    if (st.pos >= st.src.length) throw reError(st, `missing closing ]: ${JSON.stringify(st.src.slice(start))}`);
    first = false;
    const item = parseClassItem(st);
    if (item !== undefined) {
      body += typeof item === 'string' ? item : rangesText(item);
      cased ||= typeof item === 'string' || rangesCased(item);
      continue;
    }
    const rangeStart = st.pos;
    const lo = parseClassChar(st);
    let hi = lo;
    if (st.src[st.pos] === '-' && st.pos + 1 < st.src.length && st.src[st.pos + 1] !== ']') {
      st.pos++;
      hi = parseClassChar(st);
      if (hi < lo) throw reError(st, `invalid character class range: ${JSON.stringify(st.src.slice(rangeStart, st.pos))}`);
    }
    body += rangesText([lo, hi]);
    cased ||= rangesCased([lo, hi]);
  }
  st.pos++;
  const text = `[${negated ? '^' : ''}${body}]`;
  return cased ? caseAtom(st, flags, text) : text;
}
