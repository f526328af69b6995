/**
 * A small strict JSON reader for `--allowlist` / `--denylist` values. Like Go's `json.Decoder`
 * it reads a *stream* (`{...}{...}` or whitespace-separated values are several FlowFilters).
 * Objects come back as Maps (no prototype surprises, duplicate keys detected), and integers
 * beyond 2^53 as bigints so that uint64 values survive.
 */

/** A parsed JSON value. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
/** A parsed JSON object, keys in document order. */
export type JsonObject = Map<string, JsonValue>;

/** A JSON syntax error with Go-like wording. */
export class JsonSyntaxError extends Error {}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && WS.has(this.text[this.pos])) this.pos++;
  }

  fail(what: string): never {
    const c = this.text[this.pos];
    throw new JsonSyntaxError(c === undefined ? 'unexpected end of JSON input' : `invalid character '${c}' ${what}`);
  }

  value(depth: number): JsonValue {
    if (depth > 1000) throw new JsonSyntaxError('exceeded max depth');
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail('looking for beginning of value');
    this.pos += m[0].length;
    const n = Number(m[0]);
    return /^-?[0-9]+$/.test(m[0]) && !Number.isSafeInteger(n) ? BigInt(m[0]) : n;
  }

  object(depth: number): JsonObject {
    const out: JsonObject = new Map();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      if (out.has(key)) throw new JsonSyntaxError(`duplicate field ${JSON.stringify(key)}`);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      out.set(key, this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') {
        this.pos--;
        this.fail('after object key:value pair');
      }
    }
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') {
        this.pos--;
        this.fail('after array element');
      }
    }
  }

  string(): string {
    let out = '';
    this.pos++;
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new JsonSyntaxError('unexpected end of JSON input');
      if (c === '"') return out;
      if (c < ' ') {
        this.pos--;
        this.fail('in string literal');
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('in \\u hexadecimal character escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e !== undefined && ESCAPES[e] !== undefined) out += ESCAPES[e];
      else {
        this.pos--;
        this.fail('in string escape code');
      }
    }
  }
}

/** Parses every JSON value in `text` (none for blank text). Throws JsonSyntaxError. */
export function parseJsonStream(text: string): JsonValue[] {
  const r = new Reader(text);
  const values: JsonValue[] = [];
  for (;;) {
    r.skipSpace();
    if (r.pos >= text.length) return values;
    values.push(r.value(0));
  }
}
