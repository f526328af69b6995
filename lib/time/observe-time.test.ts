import { describe, expect, it } from 'vitest';
import { GoDurationError, parseGoDuration } from './observe-duration';
import { ObserveTimeError, parseObserveTime, resolveObserveTime } from './observe-time';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0); // 2024-05-01T12:00:00Z

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each([
    ['3s', 3_000_000_000n], ['4m', 240_000_000_000n], ['1h43m', 6_180_000_000_000n], ['1.5h', 5_400_000_000_000n],
    ['300ms', 300_000_000n], ['1us', 1_000n], ['1\u00b5s', 1_000n], ['1\u03bcs', 1_000n], ['7ns', 7n], ['0', 0n], ['-0', 0n],
    ['+5s', 5_000_000_000n], ['-1.5s', -1_500_000_000n], ['.5s', 500_000_000n], ['1.s', 1_000_000_000n],
    ['1h0.5m', 3_630_000_000_000n], ['0.1s', 100_000_000n], ['1.0000000001s', 1_000_000_000n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n], ['-2562047h47m16.854775808s', -9_223_372_036_854_775_808n],
  ])('%s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each([
    ['', 'time: invalid duration ""'], ['3', 'time: missing unit in duration "3"'], ['2d', 'time: unknown unit "d" in duration "2d"'],
    ['.s', 'time: invalid duration ".s"'], ['1h ', 'time: unknown unit "h " in duration "1h "'], ['-', 'time: invalid duration "-"'],
    ['2562047h47m16.854775808s', 'time: invalid duration "2562047h47m16.854775808s"'], ['h', 'time: invalid duration "h"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(GoDurationError);
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('resolveObserveTime', () => {
  it.each([
    // Relative: now minus the duration (negative means later).
    ['3s', '2024-05-01T11:59:57Z'], ['4m', '2024-05-01T11:56:00Z'], ['1h43m', '2024-05-01T10:17:00Z'],
    ['1.5h', '2024-05-01T10:30:00Z'], ['300ms', '2024-05-01T11:59:59.700Z'], ['1us', '2024-05-01T11:59:59.999999Z'],
    ['1ns', '2024-05-01T11:59:59.999999999Z'], ['-5m', '2024-05-01T12:05:00Z'], ['0', '2024-05-01T12:00:00Z'],
    // Absolute layouts the CLI tries, in its order.
    ['2024-01-02', '2024-01-02T00:00:00Z'],
    ['2024-01-02T15Z', '2024-01-02T15:00:00Z'], ['2024-01-02T15+02:00', '2024-01-02T13:00:00Z'],
    ['2024-01-02T15:04Z', '2024-01-02T15:04:00Z'], ['2024-01-02T15:04-07:00', '2024-01-02T22:04:00Z'],
    ['2024-01-02T15:04:05Z', '2024-01-02T15:04:05Z'], ['2024-01-02T15:04:05.123Z', '2024-01-02T15:04:05.123Z'],
    ['2024-01-02T15:04:05.123456+01:00', '2024-01-02T14:04:05.123456Z'],
    ['2024-01-02T15:04:05.123456789Z', '2024-01-02T15:04:05.123456789Z'],
    ['2024-01-02T15:04:05.1234567891Z', '2024-01-02T15:04:05.123456789Z'], // Go truncates past nanoseconds
    ['2024-01-02T15:04:05,5Z', '2024-01-02T15:04:05.500Z'], // Go also accepts a comma
    ['2024-01-02T5:04:05Z', '2024-01-02T05:04:05Z'], // and a one-digit hour
    ['2024-01-02T00:00:00+24:00', '2024-01-01T00:00:00Z'],
    ['Tue, 02 Jan 2024 15:04:05 -0700', '2024-01-02T22:04:05Z'], ['tue,  02 JAN 2024 15:04:05.25 +0000', '2024-01-02T15:04:05.250Z'],
    ['0001-01-01', '0001-01-01T00:00:00Z'], ['1969-12-31T23:59:59.5Z', '1969-12-31T23:59:59.500Z'],
    // StampMilli, in the current (UTC) year.
    ['Jan  2 15:04:05.000', '2024-01-02T15:04:05Z'], ['Feb 29 01:02:03.456', '2024-02-29T01:02:03.456Z'], ['dec 31 23:59:59,999', '2024-12-31T23:59:59.999Z'],
  ])('%s', (text, rfc3339) => {
    expect(resolveObserveTime(text, NOW)).toBe(rfc3339);
  });

  it.each([
    'yesterday', '', ' 3h', '2d', '2024', '2024-01-02T15:04', '2024-01-02 15:04:05Z', '2024-01-02t15:04:05Z', '2024-01-02T15:04:05z',
    '2024-13-01', '2023-02-29', '2024-04-31', '2024-01-02T24:00:00Z', '2024-01-02T15:60Z', '2024-01-02T15:04:60Z',
    '2024-01-02T15:04:05+25:00', '2024-01-02T15:04:05.Z', '2024-1-02', '0000-01-01', 'Tue, 2 Jan 2024 15:04:05 -0700',
    'Tue, 02 Jan 2024 15:04:05 Z', 'Foo 02 15:04:05.000', 'Jan 02 15:04:05', 'Jan 02 15:04:05.0000', 'Jan 32 15:04:05.000',
  ])('rejects %j', (text) => {
    expect(() => resolveObserveTime(text, NOW)).toThrow(ObserveTimeError);
  });

  it('checks Feb 29 against the current year for StampMilli', () => {
    expect(() => resolveObserveTime('Feb 29 01:02:03.456', Date.UTC(2023, 0, 1))).toThrow(ObserveTimeError);
    expect(parseObserveTime('Feb 29 01:02:03.456').kind).toBe('stamp');
  });

  it('keeps sub-millisecond clocks', () => {
    expect(resolveObserveTime('1ms', NOW + 0.5)).toBe('2024-05-01T11:59:59.999500Z');
  });

  it('names the value and the accepted forms', () => {
    expect(() => resolveObserveTime('soon', NOW)).toThrow(/^failed to convert soon to time: expected a duration \(3s, 4m, 1h43m, 1.5h\)/);
  });

  it('rejects results outside years 1–9999', () => {
    const year1 = -62135596800000; // 0001-01-01T00:00:00Z
    expect(resolveObserveTime('0s', year1)).toBe('0001-01-01T00:00:00Z');
    expect(() => resolveObserveTime('1ns', year1)).toThrow(ObserveTimeError);
    expect(() => resolveObserveTime('-1s', 253402300799000)).toThrow(ObserveTimeError);
  });
});
