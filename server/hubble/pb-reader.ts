/**
 * A cursor over protobuf wire bytes for flows-response-decoder.ts, reading varints the way
 * protobufjs does (a 32-bit read keeps the low 32 bits of a longer varint). Anything malformed or
 * unexpected throws NOT_HANDLED, which sends the response to proto-loader's decoder instead.
 */

/** Thrown for what the fast decoder leaves to the old path; never escapes decodeFlowsResponse. */
export class NotHandled extends Error {}
export const NOT_HANDLED = new NotHandled('not handled by the fast decoder');

/** A cursor over one response's bytes. */
export class PbReader {
  pos = 0;
  /** The high 32 bits of the last varint read by varint64(). */
  hi = 0;
  constructor(readonly buf: Buffer) {}

  /** A varint's low 32 bits as an unsigned number (what protobufjs's uint32() returns). */
  uint32(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = buf[this.pos++];
      if (byte === undefined) throw NOT_HANDLED;
      if (shift < 28) value |= (byte & 0x7f) << shift;
      else value = (value | ((byte & 0x0f) << 28)) >>> 0;
      if (byte < 0x80) return value >>> 0;
    }
    // The rest of a 10-byte varint (a negative int32) carries only high bits.
    for (let i = 0; i < 5; i++) if (this.buf[this.pos++] < 0x80) return value >>> 0;
    throw NOT_HANDLED;
  }

  /** A varint's low 32 bits; the high 32 are left in `hi`. */
  varint64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const byte = buf[this.pos++];
      if (byte === undefined) throw NOT_HANDLED;
      const bits = byte & 0x7f;
      const shift = i * 7;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (shift - 32);
      if (byte < 0x80) {
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    throw NOT_HANDLED;
  }

  string(): string {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.buf.length) throw NOT_HANDLED;
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint64();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) {
      const length = this.uint32();
      this.pos += length;
    }
    else if (wireType === 5) this.pos += 4;
    else throw NOT_HANDLED;
    if (this.pos > this.buf.length) throw NOT_HANDLED;
  }
}

/** A 64-bit varint as the decimal string protobufjs's Long.toString gives. */
export function int64Text(lo: number, hi: number, signed: boolean): string {
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  const value = (BigInt(hi) << 32n) | BigInt(lo);
  return String(signed ? BigInt.asIntN(64, value) : value);
}
