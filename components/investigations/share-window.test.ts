import { describe, expect, it } from 'vitest';
import { resolveShareWindow } from './share-window';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0, 250);

describe('resolveShareWindow', () => {
  it.each([
    ['a duration counts back from the click', { q: '', since: '1h' }, '2026-01-15T11:00:00.250Z', '2026-01-15T12:00:00.250Z'],
    ['a pinned end keeps the page\'s window', { q: '', since: '15m', until: '2026-01-15T10:00:00Z' }, '2026-01-15T09:45:00Z', '2026-01-15T10:00:00Z'],
    ['absolute bounds stay as they are', { q: '-n shop', since: '2026-01-15T09:00:00+01:00', until: '2026-01-15T08:30:00.5Z' }, '2026-01-15T08:00:00Z', '2026-01-15T08:30:00.500Z'],
    ['flags win over the fields', { q: '--since 2h --until 1h', since: '5m', until: '2026-01-15T10:00:00Z' }, '2026-01-15T10:00:00.250Z', '2026-01-15T11:00:00.250Z'],
    ['a relative end counts back from now', { q: '', since: '2h', until: '30m' }, '2026-01-15T10:00:00.250Z', '2026-01-15T11:30:00.250Z'],
  ])('%s', (_, request, since, until) => {
    expect(resolveShareWindow(request, NOW_MS)).toEqual({ ok: true, since, until });
  });

  it('ends an open window at the newest stored flow when that is earlier than now', () => {
    expect(resolveShareWindow({ q: '', since: '1h' }, NOW_MS, '2026-01-15T11:59:58.123456789Z'))
      .toEqual({ ok: true, since: '2026-01-15T11:00:00.250Z', until: '2026-01-15T11:59:58.123456789Z' });
    expect(resolveShareWindow({ q: '', since: '1h' }, NOW_MS, '2026-01-15T12:00:03Z')).toMatchObject({ until: '2026-01-15T12:00:00.250Z' });
    expect(resolveShareWindow({ q: '', since: '1h' }, NOW_MS, 'garbage')).toMatchObject({ until: '2026-01-15T12:00:00.250Z' });
    expect(resolveShareWindow({ q: '', since: '1h', until: '2026-01-15T12:00:00Z' }, NOW_MS, '2026-01-15T11:00:00Z')).toMatchObject({ until: '2026-01-15T12:00:00Z' });
  });

  it('says what is wrong instead of guessing', () => {
    expect(resolveShareWindow({ q: '' }, NOW_MS)).toEqual({ ok: false, error: 'This view has no start time to freeze: set a time range first.' });
    expect(resolveShareWindow({ q: '', since: 'soon' }, NOW_MS)).toMatchObject({ ok: false, error: /^failed to convert soon to time/ });
    expect(resolveShareWindow({ q: '', since: '-1h' }, NOW_MS)).toMatchObject({ ok: false, error: /starts .* after it ends/ });
    // A malformed filter is left for the server to report with the CLI's message.
    expect(resolveShareWindow({ q: "--pod 'x", since: '1h' }, NOW_MS)).toMatchObject({ ok: true });
  });
});
