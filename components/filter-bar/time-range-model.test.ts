import { describe, expect, it } from 'vitest';
import { absoluteFromDuration, durationMs, isAbsoluteTime, TIME_PRESETS } from './time-range-model';

describe('time range model', () => {
  it('has presets hubble observe --since accepts', () => {
    expect(TIME_PRESETS.map((p) => durationMs(p.since))).toEqual([5, 15, 60, 360, 1440, 10080].map((m) => m * 60_000));
  });

  it('tells durations from points in time', () => {
    expect(isAbsoluteTime('2026-01-15T10:00:00Z')).toBe(true);
    expect(isAbsoluteTime('2026-01-15')).toBe(true);
    expect(isAbsoluteTime('1h30m')).toBe(false);
    expect(isAbsoluteTime('nonsense')).toBe(false);
    expect(durationMs('2026-01-15T10:00:00Z')).toBeUndefined();
    expect(durationMs('7d')).toBeUndefined();
  });

  it('turns a duration into the absolute range it stands for now', () => {
    expect(absoluteFromDuration('15m', Date.parse('2026-01-15T12:00:00.750Z'))).toEqual({ since: '2026-01-15T11:45:00Z', until: '2026-01-15T12:00:00Z' });
    expect(absoluteFromDuration('bad', Date.parse('2026-01-15T12:00:00Z'))).toEqual({ since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z' });
  });
});
