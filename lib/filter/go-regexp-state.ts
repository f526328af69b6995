/**
 * The shared state of the Go (RE2) → JavaScript RegExp translator (`go-regexp.ts`): position and
 * flags, errors, and how runes, rune ranges and case-sensitive atoms are written as JS pattern text.
 */
import { FilterError } from './filter-error';

/** The RE2 flags in effect: `i` case-insensitive, `m` multi-line, `s` dot-all, `U` ungreedy. */
export interface ReFlags { i: boolean; m: boolean; s: boolean; U: boolean }

/** Where the translator is in the source, and what its survey pass has seen. */
export interface ReState {
  readonly src: string;
  pos: number;
  readonly baseI: boolean;
  /** First pass: only record which (?i) states case-sensitive atoms use. */
  readonly survey: boolean;
  usedI: boolean;
  usedNotI: boolean;
  readonly names: Set<string>;
}

/** Rune ranges as a flat list of inclusive bounds. */
export type Ranges = number[]; // flat [lo, hi, lo, hi, ...]

/** The largest Unicode code point. */
export const MAX_RUNE = 0x10ffff;

let modifiersSupported: boolean | undefined;
function supportsModifiers(): boolean {
  if (modifiersSupported === undefined) {
    try { modifiersSupported = new RegExp('(?i:a)', 'u').test('A'); } catch { modifiersSupported = false; }
  }
  return modifiersSupported;
}

/** A FilterError naming the expression being translated. */
export function reError(st: ReState, message: string): FilterError {
  return new FilterError(`invalid regexp ${JSON.stringify(st.src)}: ${message}`);
}

/** Whether `cp` is an ASCII letter or digit. */
export function isAlnum(cp: number): boolean {
  return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
}

/** A rune as JS pattern text: ASCII letters, digits and `_` as themselves, others as `\u{...}`. */
export function lit(cp: number): string {
  return isAlnum(cp) || cp === 95 ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

/** Reads the rune at `st.pos` and moves past it; throws at the end of the expression. */
export function nextRune(st: ReState): number {
  const cp = st.src.codePointAt(st.pos);
  if (cp === undefined) throw reError(st, 'unexpected end of expression');
  st.pos += cp > 0xffff ? 2 : 1;
  return cp;
}

/** Ranges as the body of a JS character class. */
export function rangesText(r: Ranges): string {
  let out = '';
  for (let i = 0; i < r.length; i += 2) out += r[i] === r[i + 1] ? lit(r[i]) : `${lit(r[i])}-${lit(r[i + 1])}`;
  return out;
}

/** Whether case folding can change what these ranges match (they hold a letter). */
export function rangesCased(r: Ranges): boolean {
  for (let i = 0; i < r.length; i += 2) {
    const [lo, hi] = [r[i], r[i + 1]];
    if ((lo <= 90 && hi >= 65) || (lo <= 122 && hi >= 97) || hi >= 0xb5) return true;
  }
  return false;
}

/** A literal rune as an atom; only letters with case variants depend on the (?i) state. */
export function literalAtom(st: ReState, flags: ReFlags, cp: number): string {
  return rangesCased([cp, cp]) ? caseAtom(st, flags, lit(cp)) : lit(cp);
}

/** Wraps a case-sensitive atom so it keeps its own `(?i)` state when that differs from the whole pattern's. */
export function caseAtom(st: ReState, flags: ReFlags, text: string): string {
  if (flags.i) st.usedI = true;
  else st.usedNotI = true;
  if (st.survey || flags.i === st.baseI) return text;
  if (!supportsModifiers()) throw reError(st, 'changing the (?i) flag inside the expression is not supported here; put (?i) at its start');
  return flags.i ? `(?i:${text})` : `(?-i:${text})`;
}
