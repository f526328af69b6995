import { describe, expect, it } from 'vitest';
import { GO_TIME_LAYOUTS, formatGoTime, goTimeLayout } from './go-time';

// Expected strings follow Go's time.Format rules (src/time/format.go) for the instant below,
// a Wednesday, day 167 of 2021.
const T = '2021-06-16T16:52:13.136834446Z';
const L = GO_TIME_LAYOUTS;

describe('formatGoTime in UTC', () => {
  it.each([
    [L.StampMilli, 'Jun 16 16:52:13.136'],
    [L.RFC3339, '2021-06-16T16:52:13Z'],
    [L.RFC3339Milli, '2021-06-16T16:52:13.136Z'],
    [L.RFC3339Micro, '2021-06-16T16:52:13.136834Z'],
    [L.RFC3339Nano, '2021-06-16T16:52:13.136834446Z'],
    [L.RFC1123Z, 'Wed, 16 Jun 2021 16:52:13 +0000'],
    [L.YearMonthDay, '2021-06-16'],
    [L.YearMonthDayHour, '2021-06-16T16Z'],
    [L.YearMonthDayHourMinute, '2021-06-16T16:52Z'],
    ['Mon Jan _2 15:04:05 MST 2006', 'Wed Jun 16 16:52:13 UTC 2021'],
    ['Monday, January 2, 06', 'Wednesday, June 16, 21'],
    ['3:04PM pm 03', '4:52PM pm 04'],
    ['1/2 4:5', '6/16 52:13'],
    ['__2 002', '167 167'],
    ['15:04:05,000', '16:52:13,136'],
    ['.000000000000', '.136834446'],
    ['_2006', '_2021'],
    ['Jank Monx', 'Jank Monx'],
    ['Z07 Z07:00:00 -07 -070000 -07:00:00', 'Z Z +00 +000000 +00:00:00'],
  ])('%s', (layout, expected) => {
    expect(formatGoTime(T, layout, 'UTC')).toBe(expected);
  });

  it('pads a one-digit day with a space for _2 and a day of year for __2 and 002', () => {
    expect(formatGoTime('2024-05-01T12:00:00Z', L.StampMilli, 'UTC')).toBe('May  1 12:00:00.000');
    expect(formatGoTime('2024-01-05T00:00:00Z', '__2|002|3PM', 'UTC')).toBe('  5|005|12AM');
  });

  it('trims trailing zeros for .999 and drops the dot for whole seconds', () => {
    expect(formatGoTime('2021-06-16T16:52:13.100Z', L.RFC3339Milli, 'UTC')).toBe('2021-06-16T16:52:13.1Z');
    expect(formatGoTime('2021-06-16T16:52:13Z', L.RFC3339Nano, 'UTC')).toBe('2021-06-16T16:52:13Z');
    expect(formatGoTime('2021-06-16T16:52:13Z', L.StampMilli, 'UTC')).toBe('Jun 16 16:52:13.000');
  });

  it('truncates, never rounds, fractional seconds', () => {
    expect(formatGoTime('2021-06-16T16:52:13.999999999Z', L.StampMilli, 'UTC')).toBe('Jun 16 16:52:13.999');
  });

  it('prints N/A for a missing, unparsable or out-of-range timestamp (Timestamp.IsValid)', () => {
    expect(formatGoTime(undefined, L.StampMilli, 'UTC')).toBe('N/A');
    expect(formatGoTime('yesterday', L.StampMilli, 'UTC')).toBe('N/A');
    expect(formatGoTime('10000-01-01T00:00:00Z', L.StampMilli, 'UTC')).toBe('N/A');
  });

  it('reads offsets in the input timestamp', () => {
    expect(formatGoTime('2021-06-16T18:52:13+02:00', L.RFC3339, 'UTC')).toBe('2021-06-16T16:52:13Z');
  });
});

describe('formatGoTime in other zones', () => {
  it('applies a fixed offset, which has no zone name (MST prints the offset)', () => {
    expect(formatGoTime(T, L.RFC3339, '+05:30')).toBe('2021-06-16T22:22:13+05:30');
    expect(formatGoTime(T, 'MST -0700 Z0700', '+05:30')).toBe('+0530 +0530 +0530');
    expect(formatGoTime(T, L.RFC3339, '-0700')).toBe('2021-06-16T09:52:13-07:00');
  });

  it('follows daylight saving time in an IANA zone', () => {
    expect(formatGoTime(T, L.RFC3339, 'America/New_York')).toBe('2021-06-16T12:52:13-04:00');
    expect(formatGoTime('2021-01-16T16:52:13Z', L.RFC3339, 'America/New_York')).toBe('2021-01-16T11:52:13-05:00');
    expect(formatGoTime(T, 'Jan _2 15:04:05.000 MST', 'America/New_York')).toBe('Jun 16 12:52:13.136 EDT');
  });

  it('crosses the date line with the zone', () => {
    expect(formatGoTime('2021-06-16T23:30:00Z', 'Mon Jan _2 15:04', 'Asia/Tokyo')).toBe('Thu Jun 17 08:30');
  });

  it('names zones Intl has no abbreviation for by their offset (Go would say CEST)', () => {
    expect(formatGoTime(T, 'Jan _2 15:04:05 MST Z07:00', 'Europe/Berlin')).toBe('Jun 16 18:52:13 +02 +02:00');
  });

  it('throws for a time zone Intl does not know', () => {
    expect(() => formatGoTime(T, L.RFC3339, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('goTimeLayout (hubble --time-format names)', () => {
  it('maps names case-insensitively and falls back to StampMilli', () => {
    expect(goTimeLayout('RFC3339')).toBe('2006-01-02T15:04:05Z07:00');
    expect(goTimeLayout('rfc3339nano')).toBe('2006-01-02T15:04:05.999999999Z07:00');
    expect(goTimeLayout('StampMilli')).toBe('Jan _2 15:04:05.000');
    expect(goTimeLayout('whatever')).toBe('Jan _2 15:04:05.000');
  });
});
