import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from './timestamp';

/** 2026-11-27T04:05:06Z */
const S = Date.UTC(2026, 10, 27, 4, 5, 6) / 1000;

describe('parseTimestamp', () => {
  it('reads RFC 3339 with 0–9 fraction digits and any offset', () => {
    expect(parseTimestamp('2026-11-27T04:05:06Z')).toEqual({ seconds: S, nanos: 0 });
    expect(parseTimestamp('2026-11-27T04:05:06.5Z')).toEqual({ seconds: S, nanos: 500_000_000 });
    expect(parseTimestamp('2026-11-27T04:05:06.000000001z')).toEqual({ seconds: S, nanos: 1 });
    expect(parseTimestamp('2026-11-27T05:05:06.25+01:00')).toEqual({ seconds: S, nanos: 250_000_000 });
    expect(parseTimestamp('0001-01-01T00:00:00Z')?.seconds).toBe(-62135596800);
  });

  it('gives the same answers when a time shares the previous one\'s date and seconds', () => {
    const times = [
      '2026-11-27T04:05:06.1Z', '2026-11-27T04:05:06.123456789Z', '2026-11-27T04:05:06+02:00', '2026-11-27T04:05:06Z',
      '2026-11-27T04:05:06.1234567890Z', '2026-11-27T04:05:06.Z', '2026-11-27T04:05:06.5Zjunk', '2026-11-27T04:05:06.7-00:30',
      '2026-11-27T04:05:07.2Z', '2026-11-27T04:05:06.3Z',
    ];
    const expected = [
      { seconds: S, nanos: 100_000_000 }, { seconds: S, nanos: 123_456_789 }, { seconds: S - 7200, nanos: 0 },
      { seconds: S, nanos: 0 }, undefined, undefined, undefined, { seconds: S + 1800, nanos: 700_000_000 },
      { seconds: S + 1, nanos: 200_000_000 }, { seconds: S, nanos: 300_000_000 },
    ];
    expect(times.map((t) => parseTimestamp(t))).toEqual(expected);
    // Once more, each after its neighbours (the remembered prefix changes on every UTC time).
    expect(times.map((t) => parseTimestamp(t))).toEqual(expected);
    expect(formatTimestamp(parseTimestamp('2026-11-27T04:05:06.120Z')!)).toBe('2026-11-27T04:05:06.120Z');
  });
});
