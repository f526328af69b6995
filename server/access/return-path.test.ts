import { describe, expect, it } from 'vitest';
import { MAX_STORED_RETURN_PATH, safeReturnPath, storableReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it.each([
    ['/flows', '/flows'],
    ['/flows?q=--namespace%20shop&since=1h#top', '/flows?q=--namespace%20shop&since=1h#top'],
    ['/map/../drops', '/drops'],
    ['/auth/callback?code=x', '/'],
    ['/auth/login', '/'],
    // An encoded newline stays encoded inside the path: harmless.
    ['/%0a/evil', '/%0a/evil'],
  ])('keeps the same-origin path %s', (given, want) => {
    expect(safeReturnPath(given)).toBe(want);
  });

  it.each([
    'https://evil.example.com/', '//evil.example.com/x', '/\\evil.example.com', 'javascript:alert(1)',
    'flows', '', '/\t/evil.example.com', `/${'x'.repeat(3000)}`,
    // Dot segments that resolve to a path starting with two slashes: another origin to a browser.
    '/.//evil.example.com', '/%2e%2e//evil', '/a/..//evil', '/%2E//evil.example.com', '/a/b/../..//evil',
  ])('refuses %j', (given) => {
    expect(safeReturnPath(given)).toBeUndefined();
  });

  it('stores a long path without its query, and an even longer one as /', () => {
    const long = `/flows?q=${'x'.repeat(600)}`;
    expect(storableReturnPath(long)).toBe('/flows');
    expect(storableReturnPath(`/map?q=${'y'.repeat(3000)}`)).toBe('/map');
    expect(storableReturnPath(`//evil.example.com?q=${'y'.repeat(3000)}`)).toBe('/');
    expect(storableReturnPath(`/${'p'.repeat(MAX_STORED_RETURN_PATH + 1)}?q=1`)).toBe('/');
    expect(storableReturnPath('/flows?since=1h')).toBe('/flows?since=1h');
    expect(storableReturnPath('//evil.example.com')).toBe('/');
  });

  it('refuses nothing given', () => {
    expect(safeReturnPath(null)).toBeUndefined();
    expect(safeReturnPath(undefined)).toBeUndefined();
  });
});
