/**
 * Rows in PostgreSQL's binary COPY format: each field is its length and its bytes in the type's
 * binary wire form, so the server reads rows by length instead of scanning text. With text COPY,
 * PostgreSQL spent about a third of its ingest CPU finding line ends and field separators,
 * unescaping, and parsing array literals, timestamps and addresses (measured: 31–34k → 42–48k
 * demo rows/s into `flows`). A value is checked against its column's type here, so a row either
 * encodes or throws on its own (the collector drops it and records a gap) instead of failing the
 * whole batch's COPY in the database. NUL cannot be stored in text and is removed.
 */
import { parseIPAddressCached } from '../../lib/filter/ip-address';
import { parseTimestamp } from '../../lib/time/timestamp';

export type CopyValue = string | number | bigint | boolean | null | undefined | readonly string[];

/** The column types rows here are written to. */
export type CopyType = 'text' | 'int2' | 'int4' | 'int8' | 'bool' | 'timestamptz' | 'inet' | 'text[]';

/** Signature, flags and header extension length: the start of every binary COPY stream. */
const HEADER: Uint8Array<ArrayBuffer> = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
/** A tuple with field count -1 ends the stream. */
const TRAILER: Uint8Array<ArrayBuffer> = Buffer.from([0xff, 0xff]);

const TEXT_OID = 25;
/** PostgreSQL counts timestamps in microseconds from 2000-01-01 UTC. */
const PG_EPOCH_S = 946_684_800;
const TWO_32 = 2 ** 32;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
/** inet's address families on the wire (PGSQL_AF_INET, PGSQL_AF_INET6). */
const AF_INET = 2;
const AF_INET6 = 3;

/** Rounds half to even, as C's rint() does where PostgreSQL reads a fraction of a second. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Microseconds since PostgreSQL's epoch for an RFC 3339 time, exactly what the server makes of the
 * same text: it reads the fraction as a double and rounds fraction × 10⁶ half to even (nanos / 10⁹
 * is that same double, both being correctly rounded).
 */
export function timestampMicros(text: string): number | bigint {
  const ts = parseTimestamp(text);
  if (!ts) throw new TypeError(`not an RFC 3339 time: ${JSON.stringify(text.slice(0, 40))}`);
  const fraction = rint((ts.nanos / 1e9) * 1e6);
  const micros = (ts.seconds - PG_EPOCH_S) * 1e6 + fraction;
  // Beyond 2^53 µs (about 285 years from 2000) a double cannot hold every microsecond.
  return Number.isSafeInteger(micros) ? micros : BigInt(ts.seconds - PG_EPOCH_S) * 1_000_000n + BigInt(fraction);
}

/** Strings up to this length are copied a character at a time while they are ASCII: cheaper than a call into the encoder. */
const SHORT_STRING = 64;
const LONG_STRING = 16 * 1024;

/**
 * Rows are written one after another into large chunks and handed out as views of them, so a row
 * costs neither an allocation of its own nor a copy; a chunk is freed once no row in it is held.
 * A row that does not fit the rest of a chunk moves to a new one. Integers are stored byte by
 * byte: Buffer's checked write methods cost more than the stores.
 */
class RowBuilder {
  buf: Buffer;
  /** Where the row being built starts in `buf`. */
  start = 0;
  pos = 0;

  constructor(private readonly chunkBytes: number) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const row = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.chunkBytes, 2 * (row + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = row;
  }

  int16(v: number): void {
    this.reserve(2);
    const { buf, pos } = this;
    buf[pos] = v >>> 8;
    buf[pos + 1] = v;
    this.pos = pos + 2;
  }

  int32(v: number): void {
    this.reserve(4);
    this.put32(v, this.pos);
    this.pos += 4;
  }

  /** A 32-bit integer (either sign) at `at`, big-endian. */
  put32(v: number, at: number): void {
    const buf = this.buf;
    buf[at] = v >>> 24;
    buf[at + 1] = v >>> 16;
    buf[at + 2] = v >>> 8;
    buf[at + 3] = v;
  }

  /** A safe integer as int64. */
  int64(v: number): void {
    const high = Math.floor(v / TWO_32);
    this.reserve(8);
    this.put32(high, this.pos);
    this.put32(v - high * TWO_32, this.pos + 4);
    this.pos += 8;
  }

  bigint64(v: bigint): void {
    this.reserve(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Length and UTF-8 bytes, NUL removed. */
  string(s: string): void {
    const n = s.length;
    // Up to 3 bytes a UTF-16 unit; a long string is measured rather than given three times its room.
    this.reserve(4 + (n <= LONG_STRING ? 3 * n : Buffer.byteLength(s)));
    const buf = this.buf;
    const at = this.pos + 4;
    if (n <= SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80 || c === 0) break;
        buf[at + i] = c;
      }
      if (i === n) {
        this.put32(n, this.pos);
        this.pos = at + n;
        return;
      }
    }
    const text = s.includes('\0') ? s.replaceAll('\0', '') : s;
    const written = buf.write(text, at);
    this.put32(written, this.pos);
    this.pos = at + written;
  }

  /** Starts a field whose length is known once written; end() fills it in. Offsets are row-relative: the row may move. */
  begin(): number {
    this.reserve(4);
    this.pos += 4;
    return this.pos - this.start;
  }

  end(fieldStart: number): void {
    const at = this.start + fieldStart;
    this.put32(this.pos - at, at - 4);
  }

  /** The row built since the last take(), as a view of its chunk. */
  take(): Buffer {
    const row = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    // A chunk grown for one huge row is that row's alone: the next rows start a chunk of the usual size.
    if (this.buf.length > this.chunkBytes) {
      this.buf = Buffer.allocUnsafe(this.chunkBytes);
      this.start = this.pos = 0;
    }
    return row;
  }

  /** Drops a row left half-built. */
  discard(): void {
    this.pos = this.start;
  }
}

/** Where every row is built (copyRow). */
const tuples = new RowBuilder(1024 * 1024);
/** A frozen array's field is built here while a row is being built in `tuples`. */
const arrayScratch = new RowBuilder(64 * 1024);

function fail(type: CopyType, value: unknown, column: string | number): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : Array.isArray(value) ? 'an array' : String(value);
  throw new TypeError(`COPY column ${column} (${type}) cannot hold ${shown}`);
}

function integer(b: RowBuilder, value: CopyValue, type: 'int2' | 'int4', column: string | number): void {
  const limit = type === 'int2' ? 2 ** 15 : 2 ** 31;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -limit || value >= limit) fail(type, value, column);
  b.int32(type === 'int2' ? 2 : 4);
  if (type === 'int2') b.int16(value);
  else b.int32(value);
}

function int64(b: RowBuilder, value: CopyValue, column: string | number): void {
  let big: bigint | undefined;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail('int8', value, column);
    b.int32(8);
    b.int64(value);
    return;
  }
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'string' && /^-?[0-9]{1,19}$/.test(value)) big = BigInt(value);
  if (big === undefined || big < INT8_MIN || big > INT8_MAX) fail('int8', value, column);
  b.int32(8);
  b.bigint64(big);
}

/** inet fields of the addresses flows repeat, kept within a bound. */
const inetFields = new Map<string, Buffer>();

function inet(b: RowBuilder, value: CopyValue, column: string | number): void {
  if (typeof value !== 'string') fail('inet', value, column);
  let field = inetFields.get(value);
  if (field === undefined) {
    const addr = parseIPAddressCached(value);
    if (!addr || addr.zone !== '') fail('inet', value, column);
    const v4 = addr.bytes.length === 4;
    field = Buffer.alloc(8 + addr.bytes.length);
    field.writeInt32BE(4 + addr.bytes.length, 0);
    // family, prefix bits, is_cidr, address length, address
    field.set([v4 ? AF_INET : AF_INET6, addr.bytes.length * 8, 0, addr.bytes.length], 4);
    field.set(addr.bytes, 8);
    if (inetFields.size >= 4096) inetFields.clear();
    inetFields.set(value, field);
  }
  b.bytes(field);
}

function textArray(b: RowBuilder, values: readonly string[]): void {
  const fieldStart = b.begin();
  b.int32(values.length === 0 ? 0 : 1); // dimensions: an empty array has none
  b.int32(0); // no NULL elements
  b.int32(TEXT_OID);
  if (values.length > 0) {
    b.int32(values.length);
    b.int32(1); // lower bound
    for (const v of values) b.string(typeof v === 'string' ? v : String(v));
  }
  b.end(fieldStart);
}

/**
 * Fields of frozen arrays: the relay client's decoder shares one frozen endpoint, label array
 * included, among all the flows that carry it, so its labels are encoded once.
 */
const frozenArrayFields = new WeakMap<readonly string[], Buffer>();

function arrayField(b: RowBuilder, value: CopyValue, column: string | number): void {
  if (!Array.isArray(value)) fail('text[]', value, column);
  const values = value as readonly string[];
  if (!Object.isFrozen(values)) return textArray(b, values);
  let field = frozenArrayFields.get(values);
  if (field === undefined) {
    try {
      textArray(arrayScratch, values);
    } catch (err) {
      arrayScratch.discard();
      throw err;
    }
    // Its own memory: cached fields outlive the rows, and must not hold a chunk of them.
    field = Buffer.from(arrayScratch.take());
    frozenArrayFields.set(values, field);
  }
  b.bytes(field);
}

function field(b: RowBuilder, value: CopyValue, type: CopyType, column: string | number): void {
  if (value === null || value === undefined) return b.int32(-1);
  switch (type) {
    case 'text':
      if (typeof value === 'object') fail(type, value, column);
      return b.string(typeof value === 'string' ? value : String(value));
    case 'int2':
    case 'int4':
      return integer(b, value, type, column);
    case 'int8':
      return int64(b, value, column);
    case 'bool':
      if (typeof value !== 'boolean') fail(type, value, column);
      b.int32(1);
      return b.bytes(value ? ONE : ZERO);
    case 'timestamptz': {
      if (typeof value !== 'string') fail(type, value, column);
      const micros = timestampMicros(value);
      b.int32(8);
      return typeof micros === 'number' ? b.int64(micros) : b.bigint64(micros);
    }
    case 'inet':
      return inet(b, value, column);
    case 'text[]':
      return arrayField(b, value, column);
  }
}

const ONE = Uint8Array.of(1);
const ZERO = Uint8Array.of(0);

/** The columns a COPY writes, in order, with their types. */
export interface CopyColumns {
  readonly names: readonly string[];
  readonly types: readonly CopyType[];
}

/**
 * One row as a binary COPY tuple. Throws a TypeError naming the column when a value does not fit
 * its type (the caller drops that row, not the batch).
 */
export function copyRow(values: readonly CopyValue[], columns: CopyColumns): Buffer {
  const { names, types } = columns;
  if (values.length !== types.length) throw new TypeError(`COPY row has ${values.length} values for ${types.length} columns`);
  const b = tuples;
  try {
    b.int16(types.length);
    for (let i = 0; i < types.length; i++) field(b, values[i], types[i], names[i] ?? i);
    return b.take();
  } catch (err) {
    b.discard();
    throw err;
  }
}

/** A binary COPY stream as its parts, in order: sent one after another, never joined. */
export type CopyData = readonly Uint8Array<ArrayBuffer>[];

/**
 * The COPY stream of tuples made by copyRow: the header, the tuples and the end marker. Tuples
 * that lie one after another in a chunk (rows written in a row) become one view of it, so a
 * batch is sent as a few large parts without copying its bytes.
 */
export function copyData(rows: readonly Uint8Array[]): CopyData {
  const parts: Uint8Array<ArrayBuffer>[] = [HEADER];
  let run: Uint8Array | undefined;
  let runLength = 0;
  const endRun = () => {
    if (run) parts.push(new Uint8Array(run.buffer as ArrayBuffer, run.byteOffset, runLength));
  };
  for (const row of rows) {
    if (run && row.buffer === run.buffer && row.byteOffset === run.byteOffset + runLength) runLength += row.length;
    else {
      endRun();
      run = row;
      runLength = row.length;
    }
  }
  endRun();
  parts.push(TRAILER);
  return parts;
}

/** copyData of values, for a few rows at a time (tests, benchmarks). */
export function copyRows(rows: readonly (readonly CopyValue[])[], columns: CopyColumns): CopyData {
  return copyData(rows.map((r) => copyRow(r, columns)));
}
