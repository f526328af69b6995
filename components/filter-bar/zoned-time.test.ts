import { describe, expect, it } from 'vitest';
import { formatOffset, fromZonedInput, isValidTimeZone, toZonedInput, zoneLabel, zoneOffsetMinutes } from './zoned-time';

const utc = (iso: string) => Date.parse(iso);

describe('zoned time', () => {
  it('names the zone with its offset at that instant', () => {
    expect(zoneLabel('Europe/Berlin', utc('2026-01-15T12:00:00Z'))).toBe('Europe/Berlin, UTC+01:00');
    expect(zoneLabel('Europe/Berlin', utc('2026-07-15T12:00:00Z'))).toBe('Europe/Berlin, UTC+02:00');
    expect(zoneLabel('America/St_Johns', utc('2026-01-15T12:00:00Z'))).toBe('America/St_Johns, UTC-03:30');
    expect(zoneLabel('Asia/Kolkata', utc('2026-01-15T12:00:00Z'))).toBe('Asia/Kolkata, UTC+05:30');
    expect(zoneLabel('UTC', 0)).toBe('UTC');
    expect(formatOffset(0)).toBe('UTC+00:00');
    expect(zoneOffsetMinutes('UTC', 0)).toBe(0);
  });

  it('shows an instant as local wall time and reads it back', () => {
    const ms = utc('2026-01-15T12:34:56Z');
    expect(toZonedInput(ms, 'Europe/Berlin')).toBe('2026-01-15T13:34:56');
    expect(toZonedInput(ms, 'UTC')).toBe('2026-01-15T12:34:56');
    expect(toZonedInput(utc('2026-01-15T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-01-16T08:30:00');
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
      for (let t = utc('2026-01-01T00:00:00Z'); t < utc('2027-01-01T00:00:00Z'); t += 7 * 3_600_000 + 13 * 60_000) {
        const back = fromZonedInput(toZonedInput(t, zone), zone);
        // A wall time in the repeated hour reads as its first occurrence.
        if (back !== t) expect(fromZonedInput(toZonedInput(t, zone), zone)! < t, `${zone} ${new Date(t).toISOString()}`).toBe(true);
        else expect(back).toBe(t);
      }
    }
  });

  it('takes minutes without seconds, and refuses what is not a time', () => {
    expect(fromZonedInput('2026-01-15T13:30', 'Europe/Berlin')).toBe(utc('2026-01-15T12:30:00Z'));
    expect(fromZonedInput('2026-01-15T13:30:05.250', 'UTC')).toBe(utc('2026-01-15T13:30:05.250Z'));
    for (const bad of ['', '2026-02-30T10:00', '2026-01-15 13:30', '2026-01-15T24:00', 'yesterday']) {
      expect(fromZonedInput(bad, 'UTC'), bad).toBeUndefined();
    }
  });

  it('reads the hour that happens twice as its first occurrence and the skipped hour with the earlier offset', () => {
    expect(fromZonedInput('2026-10-25T02:30', 'Europe/Berlin')).toBe(utc('2026-10-25T00:30:00Z'));
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Berlin')).toBe(utc('2026-03-29T01:30:00Z'));
  });

  it('knows which zone names are real', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
