/**
 * The flags text as flag occurrences: which words belong to which flag (`--namespace shop` is two
 * words, `--verdict=DROPPED` one, `-4Af` three flags in one word) and whether a `--not` negates
 * it. Grouping asks lib/filter's own scanner how each word is read, so it follows pflag's rules
 * exactly, and it tolerates text the parser refuses (autocomplete runs on half-typed flags).
 */
import { scanObserveArgs, type ObserveFlagSpec } from '../../lib/filter/observe-flags';
import type { ShellWordAt } from './shell-words-at';

/** One flag as the scanner read it. */
export interface ScannedFlag {
  spec: ObserveFlagSpec;
  value: string;
  /** A filter flag right after `--not` (which negates the next filter flag only). */
  negated?: boolean;
}

/** One or two words that the scanner reads together. */
export interface FlagOccurrence {
  words: ShellWordAt[];
  /** Empty for a word that is not a flag the scanner knows (a typo, a stray value). */
  flags: ScannedFlag[];
  /** The flag wants its value from the next word and the text ends before it. */
  missingValue?: boolean;
}

/** A stand-in for "the next word" that no typed text can equal. */
const NEXT = '\u0000next-word';

/** How the scanner reads one word: its flags, and whether the last one takes the next word. */
export function readFlagWord(word: string): { flags: ScannedFlag[]; takesNext: boolean } {
  const flags: ScannedFlag[] = [];
  let takesNext = false;
  try {
    scanObserveArgs([word, NEXT], (spec, value) => {
      if (value === NEXT) takesNext = true;
      flags.push({ spec, value });
    });
  } catch {
    // Either the stand-in was left over as a positional argument (the word took no value) or the
    // word itself is not valid; the flags read before the failure are what there is.
  }
  return { flags, takesNext };
}

/** Groups `words` into occurrences, in order. */
export function flagOccurrences(words: readonly ShellWordAt[]): FlagOccurrence[] {
  const out: FlagOccurrence[] = [];
  let negating = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.value === '--' || !word.value.startsWith('-')) {
      out.push({ words: [word], flags: [] });
      continue;
    }
    const read = readFlagWord(word.value);
    const occurrence: FlagOccurrence = { words: [word], flags: read.flags };
    if (read.takesNext) {
      const next = words[i + 1];
      if (next) {
        occurrence.words.push(next);
        read.flags[read.flags.length - 1].value = next.value;
        i++;
      } else {
        occurrence.missingValue = true;
      }
    }
    for (const flag of read.flags) {
      if (flag.spec.kind !== 'filter') continue;
      if (negating && flag.spec.name !== 'not') flag.negated = true;
      negating = flag.spec.name === 'not';
    }
    out.push(occurrence);
  }
  return out;
}

/** The start and end of an occurrence in the text. */
export function occurrenceSpan(o: FlagOccurrence): { start: number; end: number } {
  return { start: o.words[0].start, end: o.words[o.words.length - 1].end };
}
