/**
 * Values in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes for
 * the characters that would break a line. NUL cannot be stored in text and is removed.
 */

export type CopyValue = string | number | bigint | boolean | null | undefined | readonly string[];

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\\t\n\r\0]/g;
// eslint-disable-next-line no-control-regex
const HAS_ESCAPE = /[\\\t\n\r\0]/;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' };

function escapeText(s: string): string {
  // The common case (nothing to escape) returns `s` itself.
  return HAS_ESCAPE.test(s) ? s.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch]) : s;
}

/**
 * A JSON.stringify result as a COPY field. JSON escapes every control character (tab, newline,
 * CR, NUL included), so a backslash is the only character that needs escaping.
 */
export function copyJsonField(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** An array literal `{"a","b"}` with each element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * Field text of frozen arrays: the relay client's decoder shares one frozen endpoint, label array
 * included, among all the flows that carry it, so its labels are quoted and escaped once.
 */
const frozenArrayText = new WeakMap<readonly string[], string>();

function arrayField(values: readonly string[]): string {
  if (!Object.isFrozen(values)) return escapeText(arrayLiteral(values));
  let text = frozenArrayText.get(values);
  if (text === undefined) {
    text = escapeText(arrayLiteral(values));
    frozenArrayText.set(values, text);
  }
  return text;
}

/** One COPY field. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return arrayField(value);
}

/**
 * One COPY line (without the newline), as one flat string (cheap to keep while it waits). With
 * `lastIsJson`, the last value is a JSON.stringify result and takes copyJsonField's shortcut.
 */
export function copyLine(values: readonly CopyValue[], lastIsJson = false): string {
  const n = values.length;
  const fields = new Array<string>(n);
  const plain = lastIsJson ? n - 1 : n;
  for (let i = 0; i < plain; i++) fields[i] = copyField(values[i]);
  if (plain < n) fields[plain] = copyJsonField(values[plain] as string);
  return fields.join('\t');
}
