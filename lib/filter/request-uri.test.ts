import { describe, expect, it } from 'vitest';
import { requestURIPath } from './request-uri';

describe('request URI paths (url.ParseRequestURI)', () => {
  it.each([
    ['http://10.128.0.4:9990/metrics', '/metrics'],
    ['/a/b?x=1', '/a/b'],
    ['/a%20b', '/a b'],
    ['/caf%C3%A9', '/café'],
    ['http://host/p#frag', '/p#frag'], // request URIs have no fragment
    ['*', '*'],
    ['mailto:x', ''],
    ['http://host', ''],
    ['http://[::1]:80/x', '/x'],
    ['http://user:pw@host/x', '/x'],
    ['//host/path', '//host/path'],
    ['a/b', undefined],
    ['', undefined],
    ['http://host:port/x', undefined],
    ['/%zz', undefined],
    ['/a\nb', undefined],
    [':foo', undefined],
  ])('%j → %j', (url, path) => {
    expect(requestURIPath(url)).toBe(path);
  });
});
