import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonStream } from './observe-json';
import { RawFilterError, parseRawFilters } from './observe-raw-filters';

describe('parseJsonStream', () => {
  it('reads a stream of values, objects as Maps, big integers as bigints', () => {
    expect(parseJsonStream(' {"a":[1,"x\\u00e9\\n",true,null]}{}\n[] 12345678901234567890 -1.5e2 ')).toEqual([
      new Map([['a', [1, 'xé\n', true, null]]]), new Map(), [], 12345678901234567890n, -150,
    ]);
    expect(parseJsonStream('   ')).toEqual([]);
  });

  it.each(['{', '{"a"}', '{"a":1,}', '[1,]', '"\u0001"', '"\\x"', '-', 'tru', '{"a":1,"a":2}', '{a:1}', '"abc'])('rejects %j', (text) => {
    expect(() => parseJsonStream(text)).toThrow(JsonSyntaxError);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseJsonStream('['.repeat(5000))).toThrow(JsonSyntaxError);
  });
});

describe('parseRawFilters', () => {
  it('reads protojson: both field spellings, enums by name or number, null as unset', () => {
    expect(parseRawFilters('{"sourcePod":["a"],"destination_pod":null,"ipVersion":[1,"IPv6",7],"eventType":[{"type":"129"}],'
      + '"interface":[{"index":"2","name":""}],"httpHeader":[{"key":"k","value":""}],"experimental":{"celExpression":[]}}')).toEqual([
      { source_pod: ['a'], ip_version: ['IPv4', 'IPv6', 7], event_type: [{ type: 129 }], interface: [{ index: 2 }], http_header: [{ key: 'k' }] },
    ]);
  });

  it('never fails with anything but RawFilterError on random JSON-ish text (seeded fuzz)', () => {
    let seed = 99;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const parts = ['{', '}', '[', ']', ',', ':', '"source_pod"', '"event_type"', '"type"', '"tcp_flags"', '"SYN"', '"experimental"',
      '"cel_expression"', '"interface"', '"index"', '"verdict"', '"DROPPED"', '"ip_trace_id"', '1', '-1', '1.5', '1e400', 'true', 'null',
      '"x"', '"__proto__"', '"constructor"', '99999999999999999999', ' '];
    for (let i = 0; i < 20000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 12) }, () => parts[Math.floor(next() * parts.length)]).join('');
      try {
        parseRawFilters(text);
      } catch (e) {
        if (!(e instanceof RawFilterError)) throw new Error(`${text}: ${String(e)}`);
      }
    }
  });
});
