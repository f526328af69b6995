/**
 * Go (RE2) regular expressions → JavaScript RegExp.
 *
 * The translation is a small RE2 parser that emits an equivalent `u`-flag JS pattern, so that what
 * Go accepts means the same here and what Go rejects is rejected here: `.` excludes only `\n`,
 * `\s` is ASCII, `^`/`$` are text anchors unless `(?m)`, `(?U)` swaps greediness, `[[:alpha:]]`,
 * `\Q...\E`, `\pL`, octal and `\x{...}` escapes are expanded; lookarounds and backreferences are
 * errors, as in Go.
 */
import { FilterError } from './filter-error';
import { parseClass, parseClassItem, parseEscapeChar } from './go-regexp-class';
import {
  caseAtom, lit, literalAtom, nextRune, rangesCased, rangesText, reError, type ReFlags, type ReState,
} from './go-regexp-state';

const MAX_REPEAT = 1000;

/** `{n}`, `{n,}` or `{n,m}` at st.pos; undefined when it is not a repeat (then `{` is a literal). */
function parseRepeat(st: ReState): { min: number; max: number; text: string } | undefined {
  const m = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(st.src.slice(st.pos));
  if (m === null) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === undefined ? -1 : Number(m[3]);
  if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) throw reError(st, `invalid repeat count: ${JSON.stringify(m[0])}`);
  return { min, max, text: m[0] };
}

/** After `(?`: flags (returns them, and whether a group opens) or a named group; lookarounds are errors. */
function parseGroupPrefix(st: ReState, flags: ReFlags): { flags: ReFlags; opensGroup: boolean; capture: boolean } {
  const start = st.pos - 2;
  const named = /^P?<([^>]*)>/.exec(st.src.slice(st.pos));
  if (named !== null && !/^<[=!]/.test(st.src.slice(st.pos))) {
    const name = named[1];
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw reError(st, `invalid named capture: ${JSON.stringify(st.src.slice(start, st.pos + named[0].length))}`);
    if (st.names.has(name)) throw reError(st, `duplicate capture group name: ${JSON.stringify(name)}`);
    st.names.add(name);
    st.pos += named[0].length;
    return { flags, opensGroup: true, capture: true };
  }
  const next = { ...flags };
  let negate = false;
  let sawFlag = false;
  while (st.pos < st.src.length) {
    const c = st.src[st.pos++];
    if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
      next[c] = !negate;
      sawFlag = true;
    } else if (c === '-' && !negate) {
      negate = true;
      sawFlag = false;
    } else if ((c === ':' || c === ')') && (!negate || sawFlag)) {
      return { flags: next, opensGroup: c === ':', capture: false };
    } else {
      break;
    }
  }
  throw reError(st, `invalid or unsupported Perl syntax: ${JSON.stringify(st.src.slice(start, st.pos))}`);
}

interface Atom { text: string; assertion: boolean; repeated: boolean }

/** A sequence of alternatives up to an unconsumed `)` or the end. */
function parseAlternation(st: ReState, outerFlags: ReFlags, depth: number): string {
  let flags = outerFlags;
  let out = '';
  let atom: Atom | undefined;
  const push = (text: string, assertion = false) => {
    if (atom) out += atom.text;
    atom = { text, assertion, repeated: false };
  };
  const repeat = (op: string, source: string) => {
    if (!atom) throw reError(st, `missing argument to repetition operator: ${JSON.stringify(source)}`);
    if (atom.repeated) throw reError(st, `invalid nested repetition operator: ${JSON.stringify(source)}`);
    let lazy = flags.U;
    if (st.src[st.pos] === '?') {
      st.pos++;
      lazy = !lazy;
    }
    const base = atom.assertion ? `(?:${atom.text})` : atom.text;
    atom = { text: `${base}${op}${lazy ? '?' : ''}`, assertion: false, repeated: true };
  };
  while (st.pos < st.src.length) {
    const c = st.src[st.pos];
    if (c === ')') {
      if (depth === 0) throw reError(st, `unexpected ): ${JSON.stringify(st.src)}`);
      break;
    }
    st.pos++;
    switch (c) {
      case '|':
        if (atom) out += atom.text;
        atom = undefined;
        out += '|';
        break;
      case '*': case '+': case '?':
        repeat(c, c);
        break;
      case '{': {
        const r = parseRepeat({ ...st, pos: st.pos - 1 });
        if (r === undefined) {
          push(lit(123));
          break;
        }
        st.pos += r.text.length - 1;
        repeat(r.max === r.min ? `{${r.min}}` : `{${r.min},${r.max < 0 ? '' : r.max}}`, r.text);
        break;
      }
      case '(': {
        let inner = flags;
        let prefix = '(';
        if (st.src[st.pos] === '?') {
          st.pos++;
          const g = parseGroupPrefix(st, flags);
          if (!g.opensGroup) {
            flags = g.flags;
            if (atom) out += atom.text;
            atom = undefined;
            break;
          }
          inner = g.flags;
          prefix = g.capture ? '(' : '(?:';
        }
        const body = parseAlternation(st, inner, depth + 1);
        if (st.src[st.pos] !== ')') throw reError(st, `missing closing ): ${JSON.stringify(st.src)}`);
        st.pos++;
        push(`${prefix}${body})`);
        break;
      }
      case '[':
        push(parseClass(st, flags));
        break;
      case '.':
        push(flags.s ? '[\\s\\S]' : '[^\\n]');
        break;
      case '^':
        push(flags.m ? '(?<![^\\n])' : '^', true);
        break;
      case '$':
        push(flags.m ? '(?![^\\n])' : '$', true);
        break;
      case '\\':
        parseEscapeAtom(st, flags, push);
        break;
      default: {
        st.pos--;
        push(literalAtom(st, flags, nextRune(st)));
      }
    }
  }
  if (atom) out += atom.text;
  return out;
}

function parseEscapeAtom(st: ReState, flags: ReFlags, push: (text: string, assertion?: boolean) => void): void {
  if (st.pos >= st.src.length) throw reError(st, 'trailing backslash at end of expression');
  const c = st.src[st.pos];
  const assertions: Record<string, string> = { A: '^', z: '$', b: '\\b', B: '\\B' };
  if (assertions[c] !== undefined) {
    st.pos++;
    push(assertions[c], true);
    return;
  }
  if (c === 'Q') {
    const end = st.src.indexOf('\\E', st.pos + 1);
    const text = st.src.slice(st.pos + 1, end < 0 ? undefined : end);
    st.pos = end < 0 ? st.src.length : end + 2;
    for (const ch of text) push(literalAtom(st, flags, ch.codePointAt(0)!));
    return;
  }
  st.pos--;
  const item = parseClassItem(st);
  if (item !== undefined) {
    const cased = typeof item === 'string' || rangesCased(item);
    const text = typeof item === 'string' ? item : `[${rangesText(item)}]`;
    push(cased ? caseAtom(st, flags, text) : text);
    return;
  }
  st.pos++;
  push(literalAtom(st, flags, parseEscapeChar(st)));
}

function translateGoRegExp(source: string, baseI: boolean, survey: boolean): ReState & { text: string } {
  const st: ReState = { src: source, pos: 0, baseI, survey, usedI: false, usedNotI: false, names: new Set() };
  const text = parseAlternation(st, { i: false, m: false, s: false, U: false }, 0);
  return { ...st, text };
}

/**
 * Compiles a Go (RE2) regular expression, with Go's meaning, into a JavaScript RegExp (flag `u`,
 * plus `i` when the whole pattern is case-insensitive). The result is unanchored, like Go's
 * `MatchString`. Throws a FilterError for anything Go's `regexp.Compile` rejects.
 */
export function compileGoRegExp(source: string): RegExp {
  const survey = translateGoRegExp(source, false, true);
  const t = translateGoRegExp(source, survey.usedI && !survey.usedNotI, false);
  try {
    return new RegExp(t.text, t.baseI ? 'iu' : 'u');
  } catch (e) {
    throw new FilterError(`invalid regexp ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}
