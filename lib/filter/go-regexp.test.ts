import { describe, expect, it } from 'vitest';
import { FilterError } from './filter-error';
import { compileGoRegExp } from './go-regexp';

describe('Go regexps', () => {
  it.each([
    ['^/api/v[0-9]+', '/api/v2/x', true],
    ['^/api', '/x/api', false],
    ['metrics$', '/metrics', true],
    ['metrics$', '/metrics\n', false], // `$` is end of text in Go
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?i)get|post', 'POST', true],
    ['(?i:GET)', 'get', true],
    ['\\s', '\v', false], // Go's \s is [\t\n\f\r ]
    ['\\s', '\t', true],
    ['[[:alpha:]]+$', 'abc', true],
    ['^[[:^digit:]]+$', 'ab1', false],
    ['\\pL', 'é', true],
    ['\\p{Greek}', 'λ', true],
    ['\\P{Greek}', 'λ', false],
    ['^(?P<x>a)(?<y>b)$', 'ab', true],
    ['^a{2,3}$', 'aaaa', false],
    ['^a{,3}$', 'a{,3}', true], // not a repeat in Go: literal text
    ['^\\x{1F600}$', '😀', true],
    ['^\\Qa.b\\E$', 'a.b', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['^[]a]+$', ']a]', true],
    ['^[a-]+$', '-a-', true],
    ['^[\\d-z]+$', '1-z', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['\\_', '_', true],
    ['\\101', 'A', true],
    ['^.$', '😀', true], // runes, not UTF-16 code units
    ['^(?U)a+', 'aaa', true],
    ['', 'anything', true],
  ])('%j on %j → %s', (source, input, expected) => {
    expect(compileGoRegExp(source).test(input)).toBe(expected);
  });

  it.each([
    '(?=a)', '(?!a)', '(?<=a)', '(?<!a)', '\\1', 'a**', '*a', 'x{1001}', 'a{3,2}', '[z-a]', '(a', 'a)', '[a', '\\',
    '\\q', '\\C', '\\Z', '(?-)', '(?P<a>x)(?P<a>y)', '(?P<a-b>x)', '\\x4', '[[:foo:]]', '\\p{Foo}', '(?#comment)',
  ])('rejects %j as Go does', (source) => {
    expect(() => compileGoRegExp(source)).toThrow(FilterError);
  });

  it('names the expression in its error', () => {
    expect(() => compileGoRegExp('(a')).toThrow(/invalid regexp "\(a": missing closing \)/);
  });
});
