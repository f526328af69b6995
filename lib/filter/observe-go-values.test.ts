import { describe, expect, it } from 'vitest';
import { FlagValueError, goQuote, parseGoBool, parseGoUint } from './observe-go-values';

describe('parseGoUint (Go strconv.ParseUint)', () => {
  it.each([
    ['42', 10, 32, 42n], ['007', 10, 32, 7n], ['4294967295', 10, 32, 4294967295n],
    ['0x1F', 0, 64, 31n], ['0o17', 0, 64, 15n], ['017', 0, 64, 15n], ['0b101', 0, 64, 5n], ['0', 0, 64, 0n],
    ['1_000', 0, 64, 1000n], ['0x_1f', 0, 64, 31n], ['18446744073709551615', 0, 64, 18446744073709551615n],
  ] as const)('%s (base %d, %d bits)', (s, base, bits, n) => {
    expect(parseGoUint(s, base, bits)).toBe(n);
  });

  it.each([
    ['', 10, 32, 'invalid syntax'], ['+1', 10, 32, 'invalid syntax'], ['1_000', 10, 32, 'invalid syntax'], ['08', 0, 64, 'invalid syntax'],
    ['0x', 0, 64, 'invalid syntax'], ['_1', 0, 64, 'invalid syntax'], ['1__0', 0, 64, 'invalid syntax'], ['1_', 0, 64, 'invalid syntax'],
    ['4294967296', 10, 32, 'value out of range'], ['99999999999x', 10, 32, 'value out of range'], ['18446744073709551616', 0, 64, 'value out of range'],
  ] as const)('rejects %j (base %d, %d bits)', (s, base, bits, why) => {
    expect(() => parseGoUint(s, base, bits)).toThrow(new FlagValueError(`strconv.ParseUint: parsing ${goQuote(s)}: ${why}`));
  });
});

describe('parseGoBool and goQuote', () => {
  it('accepts exactly Go\'s spellings', () => {
    expect(['1', 't', 'T', 'TRUE', 'true', 'True'].map(parseGoBool)).toEqual(Array(6).fill(true));
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False'].map(parseGoBool)).toEqual(Array(6).fill(false));
    expect(() => parseGoBool('yes')).toThrow('strconv.ParseBool: parsing "yes": invalid syntax');
  });

  it('quotes like %q', () => {
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });
});
