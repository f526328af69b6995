import { describe, expect, it } from 'vitest';
import { ALL_FLOWS, laterTime, resumeQuery, shiftTime } from './resume';

describe('resume', () => {
  it('shifts RFC 3339 times at nanosecond precision, across second boundaries', () => {
    expect(shiftTime('2026-01-01T10:00:00.123456789Z', -1_000)).toBe('2026-01-01T09:59:59.123456789Z');
    expect(shiftTime('2026-01-01T10:00:00.000000100Z', -0.0002)).toBe('2026-01-01T09:59:59.999999900Z');
    expect(shiftTime('2026-01-01T10:00:00Z', 1_500)).toBe('2026-01-01T10:00:01.500Z');
    expect(() => shiftTime('yesterday', 1)).toThrow(RangeError);
  });

  it('asks from the resume point minus the overlap, or for everything the relay holds on a first start', () => {
    expect(resumeQuery('2026-01-01T10:00:00.5Z', 1_000)).toEqual({ since: '2026-01-01T09:59:59.500Z' });
    expect(resumeQuery(undefined, 1_000)).toEqual({ number: ALL_FLOWS });
  });

  it('orders times by their instant, not their text', () => {
    expect(laterTime('2026-01-01T10:00:01Z', '2026-01-01T10:00:01.5Z')).toBe('2026-01-01T10:00:01.5Z');
    expect(laterTime('2026-01-01T10:00:01.5Z', '2026-01-01T10:00:01Z')).toBe('2026-01-01T10:00:01.5Z');
    expect(laterTime(undefined, '2026-01-01T10:00:01Z')).toBe('2026-01-01T10:00:01Z');
    expect(laterTime('2026-01-01T10:00:01Z', undefined)).toBe('2026-01-01T10:00:01Z');
  });
});
