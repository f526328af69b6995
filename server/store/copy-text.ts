/**
 * Values in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes for
 * the characters that would break a line. NUL cannot be stored in text and is removed.
 */

export type CopyValue = string | number | bigint | boolean | null | undefined | readonly string[];

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== '\0') out += ch;
  }
  return out;
}

/** An array literal `{"a","b"}` with each element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One COPY field. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return escapeText(arrayLiteral(value));
}

/** One COPY line (without the newline). */
export function copyLine(values: readonly CopyValue[]): string {
  let line = copyField(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i])}`;
  return line;
}
