import { describe, expect, it } from 'vitest';
import { flowsLiveUrl, parseFlowsLiveQuery, sseMessage } from './flows-live';

const NOW_MS = Date.UTC(2026, 0, 15, 12);
const parse = (search: string, lastEventId?: string) => parseFlowsLiveQuery(new URLSearchParams(search), lastEventId, NOW_MS);

describe('parseFlowsLiveQuery', () => {
  it('takes the filter flags and the start time, and prints the follow command', () => {
    const result = parse(flowsLiveUrl({ q: '--namespace shop --verdict DROPPED', after: '2026-01-15T11:59:00.123456789Z' }).split('?')[1]);
    expect(result).toEqual({
      ok: true,
      query: expect.objectContaining({
        filterArgs: ['--namespace', 'shop', '--verdict', 'DROPPED'],
        after: '2026-01-15T11:59:00.123456789Z',
        command: 'hubble observe --namespace shop --verdict DROPPED --follow',
      }),
    });
  });

  it('ignores --since in the flags: the stream starts at after', () => {
    const result = parse('q=--since+1h');
    expect(result.ok && result.query.after).toBeUndefined();
    expect(result.ok && result.query.command).toBe('hubble observe --follow');
  });

  it('starts a reconnection a little before the last event id, and ignores an id that is not a time', () => {
    const result = parse('after=2026-01-15T11:00:00Z', '2026-01-15T11:59:00.5Z');
    expect(result.ok && result.query.after).toBe('2026-01-15T11:58:55.500Z');
    const bogus = parse('after=2026-01-15T11:00:00Z', 'not-a-time');
    expect(bogus.ok && bogus.query.after).toBe('2026-01-15T11:00:00Z');
  });

  it.each([
    ['q=--until+1h', /^--until is not supported by the live stream/],
    ['q=--last+5', /^--last is not supported here/],
    ['q=--pod+%27x', /^q: unterminated single quote/],
    ['after=1h', /^after: expected an RFC 3339 time, got "1h"/],
  ])('refuses %s', (search, message) => {
    const result = parse(search);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe('sseMessage', () => {
  it('writes one event with its id and a single data line', () => {
    expect(sseMessage('flows', { flows: [{ flow: { uuid: 'a\nb' } }] }, '2026-01-15T12:00:00Z'))
      .toBe('event: flows\nid: 2026-01-15T12:00:00Z\ndata: {"flows":[{"flow":{"uuid":"a\\nb"}}]}\n\n');
    expect(sseMessage('lost', { count: 3 })).toBe('event: lost\ndata: {"count":3}\n\n');
  });
});
