import { describe, expect, it } from 'vitest';
import { copyData, copyRow, timestampMicros, type CopyColumns } from './copy-binary';

const ONE_TEXT_ARRAY: CopyColumns = { names: ['labels'], types: ['text[]'] };

/** The fields of one tuple, each as its bytes (null for NULL). */
function fields(tuple: Buffer): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  let pos = 2;
  for (let i = 0; i < tuple.readInt16BE(0); i++) {
    const n = tuple.readInt32BE(pos);
    pos += 4;
    out.push(n < 0 ? null : tuple.subarray(pos, pos + n));
    pos += Math.max(n, 0);
  }
  expect(pos).toBe(tuple.length);
  return out;
}

describe('copyRow', () => {
  it('encodes a frozen array (shared by many flows, its field reused) like a fresh one, NUL removed', () => {
    const labels = ['k8s:app=a"b', 'k8s:x=back\\slash', 'tab\there', 'ünï', 'nul\0byte'];
    const fresh = copyRow([labels], ONE_TEXT_ARRAY);
    const frozen = Object.freeze([...labels]);
    expect(copyRow([frozen], ONE_TEXT_ARRAY)).toEqual(fresh);
    expect(copyRow([frozen], ONE_TEXT_ARRAY)).toEqual(fresh);
    const [array] = fields(fresh);
    // dimensions, has-nulls, element type (text), length, lower bound, then each element
    expect([0, 4, 8, 12, 16].map((o) => array!.readInt32BE(o))).toEqual([1, 0, 25, 5, 1]);
    const elements: string[] = [];
    for (let pos = 20; pos < array!.length;) {
      const n = array!.readInt32BE(pos);
      elements.push(array!.toString('utf8', pos + 4, pos + 4 + n));
      pos += 4 + n;
    }
    expect(elements).toEqual(labels.map((l) => l.replace('\0', '')));
    expect([...fields(copyRow([[]], ONE_TEXT_ARRAY))[0]!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25]);
  });

  it('writes each type in its wire form, and NULL as length -1', () => {
    const columns: CopyColumns = {
      names: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
      types: ['int2', 'int4', 'int8', 'int8', 'bool', 'inet', 'inet', 'timestamptz', 'text'],
    };
    const [a, b, c, d, e, f, g, h, i] = fields(copyRow([-2, 70000, -5, '9223372036854775807', true, '10.1.2.3', '2001:db8::1', '2000-01-01T00:00:01.000002Z', null], columns));
    expect(a!.readInt16BE(0)).toBe(-2);
    expect(b!.readInt32BE(0)).toBe(70000);
    expect(c!.readBigInt64BE(0)).toBe(-5n);
    expect(d!.readBigInt64BE(0)).toBe(2n ** 63n - 1n);
    expect([...e!]).toEqual([1]);
    expect([...f!]).toEqual([2, 32, 0, 4, 10, 1, 2, 3]);
    expect([...g!.subarray(0, 4)]).toEqual([3, 128, 0, 16]);
    expect(h!.readBigInt64BE(0)).toBe(1_000_002n);
    expect(i).toBeNull();
  });

  it('refuses a value its column cannot hold, naming the column', () => {
    const one = (type: CopyColumns['types'][number], value: unknown) => () => copyRow([value as never], { names: ['col'], types: [type] });
    expect(one('int2', 40000)).toThrow('COPY column col (int2) cannot hold 40000');
    expect(one('int4', 1.5)).toThrow(TypeError);
    expect(one('int8', 2 ** 53)).toThrow(TypeError);
    expect(one('int8', '9223372036854775808')).toThrow(TypeError);
    expect(one('bool', 'true')).toThrow(TypeError);
    expect(one('inet', 'fe80::1%eth0')).toThrow(TypeError);
    expect(one('timestamptz', 'yesterday')).toThrow(/not an RFC 3339 time/);
    expect(one('text', ['a'])).toThrow(TypeError);
    expect(() => copyRow([1, 2], { names: ['x'], types: ['int4'] })).toThrow(/2 values for 1 columns/);
    // The scratch buffer is left clean for the next row.
    expect(fields(copyRow([7], { names: ['x'], types: ['int4'] }))[0]!.readInt32BE(0)).toBe(7);
  });

  it('keeps every row whole across chunk boundaries, a value larger than a chunk included', () => {
    const columns: CopyColumns = { names: ['n', 'a', 't'], types: ['int4', 'text[]', 'text'] };
    const made: Array<[Buffer, number]> = [];
    // ~1 kB rows fill several 1 MiB chunks; an array field's length is filled in after its elements.
    for (let i = 0; i < 3000; i++) made.push([copyRow([i, ['l'.repeat(i % 500), 'é'], 'x'.repeat(500)], columns), i]);
    const long = `${'y'.repeat(3 * 2 ** 20)}é`;
    made.push([copyRow([-1, [long], long], columns), -1]);
    for (const [tuple, i] of made) {
      const [n, a, t] = fields(tuple);
      expect(n!.readInt32BE(0)).toBe(i);
      expect(a!.readInt32BE(12)).toBe(i < 0 ? 1 : 2);
      expect(t!.toString('utf8')).toBe(i < 0 ? long : 'x'.repeat(500));
    }
  });
});

describe('copyRow after trouble', () => {
  it('leaves no half-built frozen array behind when an element throws', () => {
    const bad = Object.freeze(['a', { toString: () => { throw new Error('no text'); } } as unknown as string]);
    expect(() => copyRow([bad], ONE_TEXT_ARRAY)).toThrow('no text');
    const good = Object.freeze(['x', 'y']);
    expect(copyRow([good], ONE_TEXT_ARRAY)).toEqual(copyRow([['x', 'y']], ONE_TEXT_ARRAY));
  });

  it('gives a huge row a chunk of its own, and the next rows a chunk of the usual size', () => {
    const huge = copyRow(['z'.repeat(5 * 2 ** 20)], { names: ['t'], types: ['text'] });
    const next = copyRow(['small'], { names: ['t'], types: ['text'] });
    expect(huge.buffer.byteLength).toBeGreaterThan(5 * 2 ** 20);
    expect(next.buffer).not.toBe(huge.buffer);
    expect(next.buffer.byteLength).toBe(2 ** 20);
  });
});

describe('timestampMicros', () => {
  it('rounds the fraction to microseconds half to even, as PostgreSQL does', () => {
    expect(timestampMicros('2000-01-01T00:00:00.000000500Z')).toBe(0);
    expect(timestampMicros('2000-01-01T00:00:00.000001500Z')).toBe(2);
    expect(timestampMicros('2000-01-01T00:00:00.000000501Z')).toBe(1);
    expect(timestampMicros('1999-12-31T23:59:59Z')).toBe(-1_000_000);
    expect(timestampMicros('2000-01-01T05:30:00+05:30')).toBe(0);
    // Past 2^53 µs the count is exact as a bigint.
    expect(timestampMicros('2300-01-01T00:00:00.000001Z')).toBe(9_467_107_200_000_001n);
  });
});

describe('copyData', () => {
  it('frames tuples with the binary COPY signature and the end marker, one part per run of adjacent rows', () => {
    const one: CopyColumns = { names: ['x'], types: ['int4'] };
    const adjacent = [copyRow([1], one), copyRow([2], one), copyRow([3], one)];
    const apart = Buffer.from(copyRow([4], one));
    const parts = copyData([...adjacent, apart]);
    expect(parts).toHaveLength(4);
    const data = Buffer.concat(parts);
    expect(data.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(data.readInt32BE(11)).toBe(0);
    expect(data.readInt32BE(15)).toBe(0);
    expect(parts[1]).toHaveLength(3 * 10);
    expect([19, 29, 39, 49].map((at) => data.readInt32BE(at + 6))).toEqual([1, 2, 3, 4]);
    expect(data.readInt16BE(data.length - 2)).toBe(-1);
    expect(data.length).toBe(19 + 4 * 10 + 2);
  });
});
