import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

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
  ])('refuses %j', (given) => {
    expect(safeReturnPath(given)).toBeUndefined();
  });

  it('refuses nothing given', () => {
    expect(safeReturnPath(null)).toBeUndefined();
    expect(safeReturnPath(undefined)).toBeUndefined();
  });
});
