import { describe, expect, it } from 'vitest';
import { filterBarCheck, filterBarError, isEcho, rangeOf, valueOf, withoutCommand } from './filter-bar-value';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('filter bar value', () => {
  it('checks with the API parser, naming the flag or parameter', () => {
    expect(filterBarError({ q: '--namespace shop --verdict DROPPED', since: '1h', limit: 100 }, NOW_MS)).toBeUndefined();
    expect(filterBarError({ q: '--verdict dropped', since: '1h', limit: 100 }, NOW_MS)).toBe('invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped');
    expect(filterBarError({ q: '--last 5', since: '1h', limit: 100 }, NOW_MS)).toBe('--last is not supported here: pages are chosen with limit= and cursor=');
    expect(filterBarError({ q: '', since: '2d', limit: 100 }, NOW_MS)).toMatch(/^since: failed to convert 2d to time/);
    expect(filterBarError({ q: '', since: '2026-01-15T12:00:00Z', until: '2026-01-15T11:00:00Z', limit: 100 }, NOW_MS))
      .toBe('since (2026-01-15T12:00:00Z) is after until (2026-01-15T11:00:00Z)');
  });

  it('tells whether the flags are at fault or the range alone', () => {
    const hour = { since: '1h', absolute: false };
    expect(filterBarCheck('--namespace shop', hour, 100, NOW_MS)).toEqual({ flagsAtFault: false });
    expect(filterBarCheck('--verdict dropped', hour, 100, NOW_MS))
      .toEqual({ error: 'invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped', flagsAtFault: true });
    // The flags' --until before the bar's since: fine alone, and fine as a range alone, refused together.
    expect(filterBarCheck('--until 2h', hour, 100, NOW_MS)).toEqual({ error: expect.stringMatching(/is after until/), flagsAtFault: true });
    // The range is refused whatever the flags say.
    expect(filterBarCheck('--namespace shop', { since: '2d', absolute: false }, 100, NOW_MS))
      .toEqual({ error: expect.stringMatching(/^since: failed to convert 2d to time/), flagsAtFault: false });
    const picked = { since: '2026-01-15T12:00:00Z', until: '2026-01-15T11:00:00Z', absolute: true, error: 'the start is after the end' };
    expect(filterBarCheck('--verdict dropped', picked, 100, NOW_MS)).toEqual({ error: 'the start is after the end', flagsAtFault: false });
    expect(filterBarCheck('--since yesterday', hour, 100, NOW_MS)).toEqual({ error: expect.stringMatching(/^failed to parse the since time/), flagsAtFault: true });
  });

  it('reads an absolute range only where both ends are points in time', () => {
    expect(rangeOf({ since: '2026-01-15T10:00:00Z', until: '2026-01-15T11:00:00Z' })).toEqual({ since: '2026-01-15T10:00:00Z', until: '2026-01-15T11:00:00Z', absolute: true });
    // A preset's window end pinned by the view is not part of the range.
    expect(rangeOf({ since: '1h', until: '2026-01-15T11:00:00Z' })).toEqual({ since: '1h', absolute: false });
    expect(rangeOf({ since: '2026-01-15T10:00:00Z' })).toEqual({ since: '2026-01-15T10:00:00Z', absolute: false });
    expect(valueOf('-n x', { since: '1h', until: '2026-01-15T11:00:00Z', absolute: false }, 50)).toEqual({ q: '-n x', since: '1h', limit: 50 });
    expect(valueOf('', { since: 'a', until: 'b', absolute: true }, 50)).toEqual({ q: '', since: 'a', until: 'b', limit: 50 });
  });

  it('recognizes the view echoing an apply, whatever end it pinned for a relative range', () => {
    const applied = { q: '--namespace shop ', since: '1h', limit: 100 };
    expect(isEcho({ q: '--namespace shop', since: '1h', until: '2026-01-15T12:00:00Z', limit: 100 }, applied)).toBe(true);
    expect(isEcho({ q: '--namespace shop', since: '15m', until: '2026-01-15T12:00:00Z', limit: 100 }, applied)).toBe(false);
    const absolute = { q: '', since: '2026-01-15T10:00:00Z', until: '2026-01-15T11:00:00Z', limit: 100 };
    expect(isEcho(absolute, absolute)).toBe(true);
    expect(isEcho({ ...absolute, until: '2026-01-15T11:30:00Z' }, absolute)).toBe(false);
    expect(isEcho(absolute, undefined)).toBe(false);
  });

  it('drops a pasted "hubble observe" in front of the flags', () => {
    expect(withoutCommand('hubble observe --namespace shop')).toBe('--namespace shop');
    expect(withoutCommand('  hubble  observe')).toBe('');
    expect(withoutCommand('--namespace hubble observe')).toBe('--namespace hubble observe');
    expect(withoutCommand('hubble observer')).toBe('hubble observer');
  });
});
