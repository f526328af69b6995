import { describe, expect, it } from 'vitest';
import { formatObserveCommand, printObserveArgs, shellQuote } from '../filter/print-observe-args';
import { parseObserveArgs } from '../filter/observe-args';
import { decodeFlowsCursor, encodeFlowsCursor } from './flows-cursor';
import { flowsExportFilename, flowsUrl, parseFlowsQuery, type FlowsPageQuery } from './flows-query';
import { splitShellWords } from './shell-words';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

function parse(query: Record<string, string>) {
  return parseFlowsQuery(new URLSearchParams(query), NOW_MS);
}

function ok(query: Record<string, string>): FlowsPageQuery {
  const r = parse(query);
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.query;
}

function error(query: Record<string, string>): string {
  const r = parse(query);
  if (r.ok) throw new Error('expected an error');
  expect(r.status).toBe(400);
  return r.error;
}

describe('splitShellWords', () => {
  it.each([
    ['', []],
    ['  -n   shop ', ['-n', 'shop']],
    [`--label 'app=a b' --pod "x\\"y"`, ['--label', 'app=a b', '--pod', 'x"y']],
    [`a\\ b c`, ['a b', 'c']],
    [`"a\\d" 'b\\d'`, ['a\\d', 'b\\d']],
    [`'' ""`, ['', '']],
    [`x'y'"z"`, ['xyz']],
    ['a\\\nb', ['ab']],
    ['tab\tnew\nline', ['tab', 'new', 'line']],
    ['trailing\\', ['trailing\\']],
    ['ünï 🚀', ['ünï', '🚀']],
  ])('%j', (line, words) => {
    expect(splitShellWords(line)).toEqual(words);
  });

  it.each([`'open`, `"open`, `a "b\\"`])('refuses an unterminated quote in %j', (line) => {
    expect(() => splitShellWords(line)).toThrow(/unterminated/);
  });

  it('reads back what shellQuote writes', () => {
    const args = ['--http-path', `/a b/'c'/"d"\\e`, '--label', 'k8s:app=x', '', 'ü$`!'];
    expect(splitShellWords(args.map(shellQuote).join(' '))).toEqual(args);
  });
});

describe('flows cursor', () => {
  it('round-trips and normalizes the time to UTC', () => {
    const text = encodeFlowsCursor({ time: '2026-01-15T13:00:00.123456+01:00', flowKey: 'abc-ü' });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeFlowsCursor(text)).toEqual({ time: '2026-01-15T12:00:00.123456Z', flowKey: 'abc-ü' });
  });

  it.each([
    ['not base64', '!!!'],
    ['bad length', 'a'],
    ['not json', btoa('hello')],
    ['wrong shape', btoa('{"time":1,"flowKey":"k"}')],
    ['bad time', btoa('{"time":"yesterday","flowKey":"k"}')],
    ['empty key', btoa('{"time":"2026-01-15T12:00:00Z","flowKey":""}')],
    ['NUL in key', btoa('{"time":"2026-01-15T12:00:00Z","flowKey":"a\\u0000"}')],
  ])('refuses %s', (_, text) => {
    expect(() => decodeFlowsCursor(text.replace(/=+$/, ''))).toThrow(/^cursor: /);
  });
});

describe('parseFlowsQuery', () => {
  it('defaults: no filter, no range, 100 per page, json', () => {
    const q = ok({});
    expect(q).toMatchObject({ filterArgs: [], filters: { whitelist: [], blacklist: [] }, limit: 100, format: 'json' });
    expect(q.since).toBeUndefined();
    expect(q.command).toBe('hubble observe --all');
  });

  it('parses the filter flags like hubble observe', () => {
    const q = ok({ q: `--namespace shop --verdict DROPPED --not --http-path '/a b'` });
    expect(q.filterArgs).toEqual(['--namespace', 'shop', '--verdict', 'DROPPED', '--not', '--http-path', '/a b']);
    expect(q.filters).toEqual(parseObserveArgs(q.filterArgs).filters);
  });

  it('resolves durations and RFC 3339 against the clock; explicit params win over q', () => {
    const q = ok({ q: '--since 2h --until 2026-01-15T11:30:00Z', since: '1h' });
    expect(q.since).toBe('2026-01-15T11:00:00Z');
    expect(q.until).toBe('2026-01-15T11:30:00Z');
    expect(ok({ q: '--since 2h' }).since).toBe('2026-01-15T10:00:00Z');
    expect(ok({ until: '2026-01-15T12:00:00.5+02:00' }).until).toBe('2026-01-15T10:00:00.500Z');
  });

  it('prints the canonical command for the filters and the resolved range', () => {
    const q = ok({ q: '-n shop --verdict DROPPED', since: '1h', until: '2026-01-15T12:00:00Z' });
    expect(q.command).toBe('hubble observe --namespace shop --verdict DROPPED --since 2026-01-15T11:00:00Z --until 2026-01-15T12:00:00Z');
    const again = parseObserveArgs(splitShellWords(q.command).slice(2));
    expect(again.filters).toEqual(q.filters);
    expect(formatObserveCommand(again)).toBe(q.command);
    expect(printObserveArgs(again)).toContain('--since');
  });

  it('takes limit, cursor and format', () => {
    const cursor = encodeFlowsCursor({ time: '2026-01-15T11:59:59.000001Z', flowKey: 'k' });
    const q = ok({ limit: '1000', cursor, format: 'jsonpb' });
    expect(q).toMatchObject({ limit: 1000, cursor: { time: '2026-01-15T11:59:59.000001Z', flowKey: 'k' }, format: 'jsonpb' });
    expect(ok({ limit: '', cursor: '', format: '' })).toMatchObject({ limit: 100, format: 'json' });
    expect(ok({ format: 'csv' })).toMatchObject({ format: 'csv' });
  });

  it.each([
    [{ q: '--verdict dropped' }, /invalid argument "dropped" for "--verdict" flag/],
    [{ q: '--no-such-flag' }, /no-such-flag/],
    [{ q: `--pod 'open` }, /^q: unterminated single quote/],
    [{ q: '--last 5' }, /^--last is not supported here/],
    [{ q: '--first 5' }, /^--first is not supported here/],
    [{ q: '--follow' }, /^--follow is not supported here/],
    [{ q: '--since yesterday' }, /^failed to parse the since time/],
    [{ since: 'yesterday' }, /^since: failed to convert yesterday/],
    [{ until: '2026-13-01' }, /^until: /],
    [{ since: '2026-01-15T12:00:00Z', until: '2026-01-15T11:00:00Z' }, /is after until/],
    [{ limit: '0' }, /^limit: expected a whole number from 1 to 1000/],
    [{ limit: '1001' }, /^limit: /],
    [{ limit: '1.5' }, /^limit: /],
    [{ limit: '-1' }, /^limit: /],
    [{ cursor: 'x' }, /^cursor: /],
    [{ format: 'xlsx' }, /^format: expected json, jsonpb or csv, got "xlsx"/],
  ])('refuses %j', (query, message) => {
    expect(error(query)).toMatch(message);
  });

  it('accepts --all, which pages reach anyway', () => {
    expect(ok({ q: '--all -n shop' }).command).toBe('hubble observe --namespace shop --all');
  });
});

describe('flowsUrl', () => {
  it('leaves out what is empty and round-trips through the parser', () => {
    expect(flowsUrl({})).toBe('/api/flows');
    const url = flowsUrl({ q: ` -n shop --http-path '/a b' `, since: '1h', limit: 50, format: 'jsonpb' });
    expect(url).toBe(`/api/flows?q=-n+shop+--http-path+%27%2Fa+b%27&since=1h&limit=50&format=jsonpb`);
    const q = ok(Object.fromEntries(new URL(url, 'http://x').searchParams));
    expect(q).toMatchObject({ filterArgs: ['-n', 'shop', '--http-path', '/a b'], since: '2026-01-15T11:00:00Z', limit: 50, format: 'jsonpb' });
  });
});

describe('flowsExportFilename', () => {
  it('names the range, compacted', () => {
    expect(flowsExportFilename({ since: '2026-01-15T11:00:00.5Z', until: '2026-01-15T12:00:00Z' }, NOW_MS))
      .toBe('flows-20260115T110000Z-20260115T120000Z.jsonpb');
    expect(flowsExportFilename({}, NOW_MS)).toBe('flows-start-20260115T120000Z.jsonpb');
  });

  it('ends in .csv for a CSV export', () => {
    expect(flowsExportFilename({ since: '2026-01-15T11:00:00Z', format: 'csv' }, NOW_MS)).toBe('flows-20260115T110000Z-20260115T120000Z.csv');
    expect(flowsExportFilename({ format: 'jsonpb' }, NOW_MS)).toMatch(/\.jsonpb$/);
  });
});
