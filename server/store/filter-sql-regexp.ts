/**
 * Go (RE2) regexps of the `http_path`, `http_url` and `dns_query` filters → PostgreSQL AREs for `~`.
 *
 * The in-memory matcher compiles a Go regexp to a JavaScript RegExp (`lib/filter/go-regexp.ts`), and
 * that RegExp is the meaning to reproduce. Its pattern text uses a small, regular subset of JS syntax
 * (every rune other than ASCII letters, digits and `_` is written `\u{...}`), so this module translates
 * that text, not the Go source: validation and Go's meaning come from the matcher, once.
 *
 * `~` only asks whether some substring matches, so greediness is dropped (same language). The
 * translation rejects, with a FilterError, what PostgreSQL cannot express identically:
 * - Unicode classes (`\pL`, `\p{Greek}`): PostgreSQL has no Unicode property classes;
 * - under `(?i)`, non-ASCII letters and classes whose case closure would involve non-ASCII letters
 *   (case-insensitivity is spelled out as ASCII classes, plus U+017F and U+212A, the two non-ASCII
 *   characters JavaScript folds onto ASCII letters, because PostgreSQL's own folding differs);
 * - repeat counts above 255 (PostgreSQL's limit), and patterns whose expansion is too large for
 *   PostgreSQL's regexp compiler.
 */
import { FilterError } from '../../lib/filter/filter-error';
import { compileGoRegExp } from '../../lib/filter/go-regexp';

const MAX_RUNE = 0x10ffff;
const PG_MAX_REPEAT = 255;
/** Rough NFA size bound (atoms times repeat counts) beyond which PostgreSQL may answer "too complex". */
const MAX_EXPANDED_SIZE = 20_000;
const LONG_S = 0x17f; // ſ folds to s
const KELVIN = 0x212a; // K folds to k

type Ranges = [number, number][];

interface State {
  readonly src: string;
  pos: number;
  readonly go: string;
  /** The global `i` flag (the JS RegExp's), which also widens `\b`'s word characters. */
  readonly globalI: boolean;
}

const fail = (st: State, why: string) =>
  new FilterError(`regexp ${JSON.stringify(st.go)} cannot be used on stored flows: ${why}`);

const isWordAscii = (c: string) => /^[0-9A-Za-z_]$/.test(c);

function pgRune(cp: number): string {
  const c = String.fromCodePoint(cp);
  return /^[0-9A-Za-z]$/.test(c) ? c : `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
}

function normalize(r: Ranges): Ranges {
  const sorted = [...r].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const has = (r: Ranges, cp: number) => r.some(([lo, hi]) => lo <= cp && cp <= hi);

/** JS `iu` case closure of a class: every rune whose simple case fold is the fold of a member. */
function caseClosure(st: State, r: Ranges): Ranges {
  const nonAscii = normalize(r.filter(([, hi]) => hi >= 0x80).map(([lo, hi]) => [Math.max(lo, 0x80), hi] as [number, number]));
  const all = nonAscii.length === 1 && nonAscii[0][0] === 0x80 && nonAscii[0][1] === MAX_RUNE;
  // U+0080..U+00B4 hold no letters; a partial non-ASCII range beyond that would need Unicode case tables.
  if (!all && nonAscii.some(([, hi]) => hi > 0xb4)) throw fail(st, 'case-insensitive matching of non-ASCII letters is not supported');
  const out: Ranges = [...r];
  const add = (cp: number) => out.push([cp, cp]);
  for (let cp = 0x41; cp <= 0x7a; cp++) {
    if (!has(r, cp)) continue;
    if (cp <= 0x5a) add(cp + 32);
    else if (cp >= 0x61) add(cp - 32);
  }
  if (all) for (const c of 'kKsS') add(c.codePointAt(0)!);
  if (has(out, 0x73)) add(LONG_S);
  if (has(out, 0x6b)) add(KELVIN);
  return normalize(out);
}

function bracket(r: Ranges, negated: boolean): string {
  const body = normalize(r).map(([lo, hi]) => (lo === hi ? pgRune(lo) : `${pgRune(lo)}-${pgRune(hi)}`)).join('');
  if (body === '') return negated ? '[\\U00000001-\\U0010FFFF]' : '[^\\U00000001-\\U0010FFFF]';
  return `[${negated ? '^' : ''}${body}]`;
}

function atomFor(st: State, r: Ranges, negated: boolean, caseless: boolean): string {
  const set = caseless ? caseClosure(st, r) : normalize(r);
  return set.length === 1 && set[0][0] === set[0][1] && !negated ? pgRune(set[0][0]) : bracket(set, negated);
}

function literalRanges(st: State, cp: number, caseless: boolean): string {
  if (caseless && cp >= 0x80) {
    const c = String.fromCodePoint(cp);
    if (c.toLowerCase() !== c || c.toUpperCase() !== c) throw fail(st, 'case-insensitive matching of non-ASCII letters is not supported');
    return pgRune(cp);
  }
  return atomFor(st, [[cp, cp]], false, caseless);
}

/** `\u{hex}` or a plain ASCII letter, digit or `_` at st.pos; undefined when neither. */
function readRune(st: State): number | undefined {
  const m = /^\\u\{([0-9a-f]+)\}/.exec(st.src.slice(st.pos));
  if (m) {
    st.pos += m[0].length;
    return parseInt(m[1], 16);
  }
  const c = st.src[st.pos];
  if (c !== undefined && isWordAscii(c)) {
    st.pos++;
    return c.codePointAt(0);
  }
  return undefined;
}

function parseClass(st: State, caseless: boolean): string {
  st.pos++; // [
  const negated = st.src[st.pos] === '^';
  if (negated) st.pos++;
  const r: Ranges = [];
  while (st.src[st.pos] !== ']') {
    if (st.pos >= st.src.length) throw fail(st, 'unexpected end of class');
    if (/^\\[pP]/.test(st.src.slice(st.pos))) throw fail(st, 'Unicode character classes (\\p) are not supported');
    let lo: number | undefined;
    if (st.src.startsWith('\\n', st.pos)) {
      st.pos += 2;
      lo = 10;
    } else {
      lo = readRune(st);
    }
    if (lo === undefined) throw fail(st, `unexpected ${JSON.stringify(st.src.slice(st.pos, st.pos + 4))} in a class`);
    let hi = lo;
    if (st.src[st.pos] === '-' && st.src[st.pos + 1] !== ']') {
      st.pos++;
      const h = readRune(st);
      if (h === undefined) throw fail(st, 'bad class range');
      hi = h;
    }
    r.push([lo, hi]);
  }
  st.pos++;
  return atomFor(st, r, negated, caseless);
}

function wordBoundary(st: State, negated: boolean): string {
  const w = st.globalI ? `[0-9A-Za-z_${pgRune(LONG_S)}${pgRune(KELVIN)}]` : '[0-9A-Za-z_]';
  return negated
    ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`
    : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
}

interface Piece { text: string; size: number }

function repeatCount(st: State, prev: Piece | undefined): Piece {
  const m = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(st.src.slice(st.pos));
  if (!m || !prev) throw fail(st, 'unexpected repetition');
  st.pos += m[0].length;
  if (m[1]) return { text: `${prev.text}${m[1]}`, size: prev.size * 2 };
  const min = Number(m[2]);
  const max = m[3] === undefined ? min : m[4] === '' ? -1 : Number(m[4]);
  if (min > PG_MAX_REPEAT || max > PG_MAX_REPEAT) throw fail(st, `repeat counts above ${PG_MAX_REPEAT} are not supported`);
  const bound = m[3] === undefined ? `{${min}}` : `{${min},${max < 0 ? '' : max}}`;
  return { text: `${prev.text}${bound}`, size: prev.size * Math.max(1, max < 0 ? min + 1 : max) };
}

const FIXED_TOKENS: [string, string][] = [
  ['(?<![^\\n])', '(?<![^\\n])'], ['(?![^\\n])', '(?![^\\n])'], ['[^\\n]', '[^\\n]'], ['[\\s\\S]', '.'],
];

/** A sequence of alternatives up to an unconsumed `)` or the end; `caseless` is the `(?i)` state. */
function parseAlternation(st: State, caseless: boolean): Piece {
  const branches: Piece[] = [];
  let seq: Piece[] = [];
  const close = () => branches.push({ text: seq.map((p) => p.text).join(''), size: seq.reduce((n, p) => n + p.size, 0) });
  while (st.pos < st.src.length && st.src[st.pos] !== ')') {
    const rest = st.src.slice(st.pos);
    const fixed = FIXED_TOKENS.find(([js]) => rest.startsWith(js));
    const c = st.src[st.pos];
    if (fixed) {
      st.pos += fixed[0].length;
      seq.push({ text: fixed[1], size: 1 });
    } else if (c === '|') {
      st.pos++;
      close();
      seq = [];
    } else if ('*+?{'.includes(c)) {
      seq.push(repeatCount(st, seq.pop()));
    } else if (c === '(') {
      const g = /^\((\?(?::|i:|-i:))?/.exec(rest)!;
      st.pos += g[0].length;
      const inner = g[1] === '?i:' ? true : g[1] === '?-i:' ? false : caseless;
      const body = parseAlternation(st, inner);
      if (st.src[st.pos] !== ')') throw fail(st, 'missing )');
      st.pos++;
      seq.push({ text: `(${g[1] === undefined ? '' : '?:'}${body.text})`, size: body.size });
    } else if (c === '^' || c === '$') {
      st.pos++;
      seq.push({ text: c, size: 1 });
    } else if (c === '[') {
      seq.push({ text: parseClass(st, caseless), size: 1 });
    } else if (rest.startsWith('\\b') || rest.startsWith('\\B')) {
      st.pos += 2;
      seq.push({ text: wordBoundary(st, rest[1] === 'B'), size: 4 });
    } else if (/^\\[pP]/.test(rest)) {
      throw fail(st, 'Unicode character classes (\\p) are not supported');
    } else {
      const cp = readRune(st);
      if (cp === undefined) throw fail(st, `unexpected ${JSON.stringify(rest.slice(0, 4))}`);
      seq.push({ text: literalRanges(st, cp, caseless), size: 1 });
    }
  }
  close();
  return { text: branches.map((b) => b.text).join('|'), size: branches.reduce((n, b) => n + b.size, 0) };
}

/**
 * Translates a Go regexp (as the `http_path`, `http_url`, `dns_query` filters take it) into a
 * PostgreSQL ARE with the matcher's meaning, for an unanchored `~`. Throws the matcher's FilterError
 * for an invalid regexp, and a FilterError saying why when PostgreSQL cannot express it identically.
 */
export function goRegExpToPostgres(goSource: string): string {
  const re = compileGoRegExp(goSource);
  const st: State = { src: re.source, pos: 0, go: goSource, globalI: re.flags.includes('i') };
  const out = parseAlternation(st, st.globalI);
  if (st.pos !== st.src.length) throw fail(st, 'unbalanced )');
  if (out.size > MAX_EXPANDED_SIZE) throw fail(st, 'the pattern expands too much for PostgreSQL');
  return out.text;
}
