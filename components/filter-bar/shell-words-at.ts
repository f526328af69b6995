/**
 * Where each shell word of a command line sits in the text, so the filter bar can edit the flags
 * text in place (remove one flag, insert a completed value) and leave the rest exactly as typed.
 * Word boundaries follow the same rules as lib/api/shell-words.ts (quotes, backslashes), and each
 * word's value is that module's own reading of the word's text.
 */
import { ShellWordsError, splitShellWords } from '../../lib/api/shell-words';

/** One word: its text is `line.slice(start, end)`; `value` is what the shell passes. */
export interface ShellWordAt {
  start: number;
  end: number;
  value: string;
  /** The quote still open at the end of the line, when the word is unterminated. */
  open?: "'" | '"';
}

const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

/** The end of the word starting at `start`, and the quote left open if the line ends inside one. */
function wordEnd(line: string, start: number): { end: number; open?: "'" | '"' } {
  let i = start;
  let quote: "'" | '"' | undefined;
  while (i < line.length) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      i++;
    } else if (quote === '"') {
      // Inside double quotes a backslash escapes `"` and `\`; before anything else it is literal,
      // and skipping that other character is harmless as it cannot end the quote.
      if (c === '\\') i += 2;
      else {
        if (c === '"') quote = undefined;
        i++;
      }
    } else if (SPACE.has(c)) {
      break;
    } else if (c === '\\') {
      i += 2;
    } else {
      if (c === "'" || c === '"') quote = c;
      i++;
    }
  }
  return { end: Math.min(i, line.length), open: quote };
}

/** What the shell makes of one word's text; an unterminated quote is read as if closed. */
function wordValue(text: string, open: "'" | '"' | undefined): string {
  let closed = open === undefined ? text : `${text}${open}`;
  // A trailing lone backslash inside double quotes would escape the added quote.
  if (open === '"' && /(^|[^\\])(\\\\)*\\"$/.test(closed)) closed = `${text}\\"`;
  try {
    return splitShellWords(closed).join('');
  } catch (e) {
    if (e instanceof ShellWordsError) return text;
    throw e;
  }
}

/**
 * The words of `line` with their positions. Unlike splitShellWords this never throws: a word with
 * an unterminated quote runs to the end of the line and says which quote is open.
 */
export function shellWordsAt(line: string): ShellWordAt[] {
  const words: ShellWordAt[] = [];
  let i = 0;
  while (i < line.length) {
    if (SPACE.has(line[i])) {
      i++;
      continue;
    }
    const { end, open } = wordEnd(line, i);
    const value = wordValue(line.slice(i, end), open);
    words.push(open === undefined ? { start: i, end, value } : { start: i, end, value, open });
    i = end;
  }
  return words;
}
