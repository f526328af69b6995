/**
 * A command line → argv, the way a POSIX shell splits words (without expansions): unquoted
 * whitespace separates words, `'...'` is literal, `"..."` is literal except that a backslash escapes
 * `"`, `\`, `$`, `` ` `` and a newline, and an unquoted backslash escapes any character. So a
 * `hubble observe` command copied from a terminal, or printed by `formatObserveCommand`, gives back
 * the arguments the shell would have passed.
 */

/** A command line a shell would not accept as it is (an unterminated quote). */
export class ShellWordsError extends Error {
  override name = 'ShellWordsError';
}

const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`', '\n']);

/**
 * Splits `line` into words. Throws ShellWordsError for an unterminated quote. A trailing unquoted
 * backslash is kept as a literal backslash; backslash-newline outside single quotes joins lines.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once anything, even an empty quoted string, was read since the last separator.
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (SPACE.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 >= line.length) word += '\\';
      else if (line[i + 1] !== '\n') word += line[i + 1];
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellWordsError(`unterminated single quote at offset ${i}`);
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(line, i, (s) => { word += s; });
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads `"..."` starting at `start` (the opening quote); returns the index after the closing one. */
function readDoubleQuoted(line: string, start: number, emit: (s: string) => void): number {
  let i = start + 1;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') return i + 1;
    if (c === '\\' && i + 1 < line.length && DOUBLE_QUOTE_ESCAPES.has(line[i + 1])) {
      if (line[i + 1] !== '\n') emit(line[i + 1]);
      i += 2;
    } else {
      emit(c);
      i++;
    }
  }
  throw new ShellWordsError(`unterminated double quote at offset ${start}`);
}
