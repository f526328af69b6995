import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, exposeFamilies, formatValue, sampledFamily } from './metrics-registry';
import { parseExposition } from './testing/parse-exposition';

describe('exposeFamilies (Prometheus text format 0.0.4)', () => {
  it('writes HELP and TYPE before the samples of each family, and ends with a newline', () => {
    const c = new Counter('t_requests_total', 'Requests.');
    c.inc({ code: '200' });
    c.inc({ code: '200' }, 2);
    c.inc({ code: '500' });
    const g = new Gauge('t_temperature', 'Degrees.');
    g.set(-1.5);
    expect(exposeFamilies([c, g])).toBe([
      '# HELP t_requests_total Requests.',
      '# TYPE t_requests_total counter',
      't_requests_total{code="200"} 3',
      't_requests_total{code="500"} 1',
      '# HELP t_temperature Degrees.',
      '# TYPE t_temperature gauge',
      't_temperature -1.5',
      '',
    ].join('\n'));
  });

  it('escapes backslashes and newlines in HELP, and quotes too in label values', () => {
    const g = new Gauge('t_escape', 'a \\ b\nc "d"');
    g.set(1, { path: 'C:\\x "y"\nz' });
    const text = exposeFamilies([g]);
    expect(text).toContain('# HELP t_escape a \\\\ b\\nc "d"\n');
    expect(text).toContain('t_escape{path="C:\\\\x \\"y\\"\\nz"} 1\n');
    expect(parseExposition(text).get('t_escape')!.samples[0].labels.path).toBe('C:\\x "y"\nz');
  });

  it('writes the special values as Go does', () => {
    expect([NaN, Infinity, -Infinity, 0, 1e21, 0.1].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '1e+21', '0.1']);
    expect(parseExposition('# TYPE x gauge\nx 1e+21\n').get('x')!.samples[0].value).toBe(1e21);
  });

  it('keeps one series per label set, whatever the order the labels were given in', () => {
    const c = new Counter('t_total', 'x');
    c.inc({ a: '1', b: '2' });
    c.inc({ b: '2', a: '1' });
    expect(c.samples()).toEqual([{ labels: { a: '1', b: '2' }, value: 2 }]);
  });

  it('writes a family with no samples as HELP and TYPE only', () => {
    const f = sampledFamily('t_absent', 'Nothing yet.', 'gauge', () => []);
    expect(exposeFamilies([f])).toBe('# HELP t_absent Nothing yet.\n# TYPE t_absent gauge\n');
  });

  it('refuses invalid names and a counter going down', () => {
    expect(() => new Counter('1bad', 'x')).toThrow(/invalid metric name/);
    expect(() => new Gauge('t-dash', 'x')).toThrow(/invalid metric name/);
    expect(() => new Gauge('t_ok', 'x').set(1, { 'bad-label': 'v' })).toThrow(/invalid label name/);
    expect(() => new Gauge('t_ok', 'x').set(1, { __reserved: 'v' })).toThrow(/invalid label name/);
    expect(() => new Counter('t_total', 'x').inc({}, -1)).toThrow(/cannot go down/);
    expect(() => new Counter('t_total', 'x').inc({}, NaN)).toThrow(/cannot go down/);
  });
});

describe('Histogram', () => {
  it('writes cumulative buckets, +Inf, _sum and _count per label set', () => {
    const h = new Histogram('t_seconds', 'Latency.', [1, 0.25, 0.5]);
    for (const v of [0.0625, 0.25, 0.375, 0.75, 2, 0.5]) h.observe(v, { route: '/a' });
    h.observe(0.375, { route: '/b' });
    const text = exposeFamilies([h]);
    expect(text).toContain([
      't_seconds_bucket{route="/a",le="0.25"} 2',
      't_seconds_bucket{route="/a",le="0.5"} 4',
      't_seconds_bucket{route="/a",le="1"} 5',
      't_seconds_bucket{route="/a",le="+Inf"} 6',
      't_seconds_sum{route="/a"} 3.9375',
      't_seconds_count{route="/a"} 6',
    ].join('\n'));
    const family = parseExposition(text).get('t_seconds')!;
    expect(family.type).toBe('histogram');
    expect(family.samples.filter((s) => s.labels.route === '/b').map((s) => s.value)).toEqual([0, 1, 1, 1, 0.375, 1]);
  });

  it('counts a value equal to a bound in that bucket, and one above every bound in +Inf only', () => {
    const h = new Histogram('t_b', 'x', [1]);
    h.observe(1);
    h.observe(5);
    expect(h.samples().map((s) => s.value)).toEqual([1, 2, 6, 2]);
  });

  it('refuses unusable buckets and the reserved le label', () => {
    expect(() => new Histogram('t_h', 'x', [])).toThrow(/buckets/);
    expect(() => new Histogram('t_h', 'x', [1, 1])).toThrow(/buckets/);
    expect(() => new Histogram('t_h', 'x', [Infinity])).toThrow(/buckets/);
    expect(() => new Histogram('t_h', 'x', [1]).observe(1, { le: '2' })).toThrow(/reserved/);
  });
});

describe('parseExposition (the test reader itself)', () => {
  it.each([
    ['a sample before its TYPE', 'x 1\n'],
    ['a family declared twice', '# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# TYPE x gauge\n'],
    ['a missing final newline', '# TYPE x gauge\nx 1'],
    ['an unescaped quote in a label value', '# TYPE x gauge\nx{a="b"c"} 1\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['buckets that are not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
