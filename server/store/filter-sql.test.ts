import { describe, expect, it } from 'vitest';
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters } from '../../lib/filter/match';
import { compileFilterSql, SqlParams } from './filter-sql';
import { parseIPPrefix } from '../../lib/filter/ip-address';
import { GO_PREFIX_RE } from './filter-sql-labels';
import { goRegExpToPostgres } from './filter-sql-regexp';

function compile(set: Partial<FlowFilterSet>, params = new SqlParams()) {
  const sql = compileFilterSql({ whitelist: set.whitelist ?? [], blacklist: set.blacklist ?? [] }, params);
  return { sql, values: params.values };
}

function errorOf(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error('expected a FilterError');
}

describe('compileFilterSql: SQL text and parameters', () => {
  it('is TRUE without filters', () => {
    expect(compile({})).toEqual({ sql: 'TRUE', values: [] });
    expect(compile({ whitelist: [{}] }).sql).toBe('(TRUE)');
  });

  it('ANDs fields, ORs filters, and keeps a blacklist NULL-safe', () => {
    expect(compile({
      whitelist: [{ verdict: ['DROPPED'], source_pod: ['kube-system/coredns'] }, { destination_port: ['53'] }],
      blacklist: [{ source_pod: ['x'] }],
    })).toMatchInlineSnapshot(`
      {
        "sql": "(((verdict = ANY($1::int[])) AND ((src_namespace IS NOT NULL OR src_pod IS NOT NULL) AND (src_namespace = $2::text AND starts_with(src_pod, $3::text)))) OR ((dst_port = ANY($4::int[])))) AND ((((src_namespace IS NOT NULL OR src_pod IS NOT NULL) AND (src_namespace = $5::text AND starts_with(src_pod, $6::text))))) IS NOT TRUE",
        "values": [
          [
            2,
          ],
          "kube-system",
          "coredns",
          [
            53,
          ],
          "default",
          "x",
        ],
      }
    `);
  });

  it('compiles HTTP status, method, URL and header filters', () => {
    expect(compile({
      whitelist: [{ http_status_code: ['404', '5+'], http_method: ['get'], http_url: ['(?i)^/api/v[0-9]+'], http_header: [{ key: 'a', value: 'b' }] }],
    })).toMatchInlineSnapshot(`
      {
        "sql": "((CASE WHEN http_code IS NOT NULL THEN (http_code = ANY($1::bigint[]) OR (http_code >= 100 AND starts_with(http_code::text, $2::text))) WHEN l7_protocol = 'http' THEN EXISTS (SELECT 1 FROM (SELECT (SELECT CASE json_typeof(s.j) WHEN 'number' THEN s.j::text WHEN 'string' THEN s.j #>> '{}' END FROM (SELECT (CASE WHEN strpos(raw, '"code":') > 0 THEN (CASE WHEN strpos(raw, '\\u0000') = 0 THEN raw ELSE regexp_replace(raw, '(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000', '\\1\\\\u0041', 'g') END)::json #> '{flow,l7,http,code}' END) AS j OFFSET 0) s) AS c OFFSET 0) t WHERE (t.c = ANY($3::text[]) OR ((length(t.c) >= 3 OR (length(t.c) = 2 AND ascii(right(t.c, 1)) > 65535)) AND starts_with(t.c, $4::text)))) ELSE FALSE END) AND (translate(http_method, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = ANY($5::text[])) AND (http_url ~ $6::text) AND (http_headers && $7::text[]))",
        "values": [
          [
            404,
          ],
          "5",
          [
            "404",
          ],
          "5",
          [
            "get",
          ],
          "^\\U0000002F[Aa][Pp][Ii]\\U0000002F[Vv][0-9]+",
          [
            "a:b",
          ],
        ],
      }
    `);
  });

  it('compiles IPs: IPv4 by inet, IPv6 confirmed on the stored text, CIDRs masked', () => {
    expect(compile({ whitelist: [{ source_ip: ['10.0.0.1', '2001:DB8::1', '10.1.2.3/8'] }] })).toMatchInlineSnapshot(`
      {
        "sql": "(((src_ip = ANY($1::inet[]) OR (src_ip = ANY($2::inet[]) AND (CASE WHEN strpos(raw, '"source":') > 0 THEN (CASE WHEN strpos(raw, '\\u0000') = 0 THEN raw ELSE regexp_replace(raw, '(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000', '\\1\\\\u0041', 'g') END)::json #> '{flow,IP,source}' END)::text = ANY($3::text[])) OR src_ip <<= ANY($4::cidr[]))))",
        "values": [
          [
            "10.0.0.1",
          ],
          [
            "2001:db8:0:0:0:0:0:1",
          ],
          [
            ""2001:DB8::1"",
          ],
          [
            "10.0.0.0/8",
          ],
        ],
      }
    `);
  });

  it('numbers placeholders after the parameters already collected', () => {
    const params = new SqlParams();
    params.add('earlier');
    params.add(42);
    const { sql, values } = compile({ whitelist: [{ uuid: ['u'] }] }, params);
    expect(sql).toBe(`((COALESCE(uuid, '') = ANY($3::text[])))`);
    expect(values).toEqual(['earlier', 42, ['u']]);
  });

  it('leaves the parameters as they were when it throws', () => {
    const params = new SqlParams();
    params.add('earlier');
    expect(() => compile({ whitelist: [{ uuid: ['a'] }, { http_method: ['GÉT'] }] }, params)).toThrow(FilterError);
    expect(params.values).toEqual(['earlier']);
  });
});

describe('compileFilterSql: hostile values', () => {
  const HOSTILE = [`ZZ'; DROP TABLE flows; --`, 'ZZ") OR TRUE --', 'ZZ\\', 'ZZ$1 $$', 'ZZ%_*', 'ZZ\n\t', 'ZZ{a,b}', 'ZZ::text'];

  function filtersFor(v: string): FlowFilter[] {
    return [
      { uuid: [v], trace_id: [v], source_cluster_name: [v], destination_cluster_name: [v] },
      { source_pod: [`${v}/${v}`, v], destination_service: [`/${v}`] },
      { http_header: [{ key: v, value: v }, { key: 'k', value: v }], interface: [{ name: v }] },
      { source_workload: [{ name: v, kind: v }], destination_workload: [{ name: v }] },
      { http_url: [v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')], dns_query: [`\\Q${v.replace(/\\E/g, '')}\\E`] },
    ];
  }

  it.each(HOSTILE.map((v) => [JSON.stringify(v).replace(/\$/g, '＄'), v]))('%s only ever travels as a parameter', (_, v) => {
    for (const f of filtersFor(v)) {
      const { sql, values } = compile({ whitelist: [f], blacklist: [f] });
      expect(sql).not.toContain('ZZ');
      expect(JSON.stringify(values)).toContain('ZZ');
    }
  });

  it('rejects NUL and lone surrogates, which PostgreSQL text cannot hold', () => {
    expect(errorOf(() => compile({ whitelist: [{ source_pod: ['a\0b'] }] })).field).toBe('source_pod');
    expect(errorOf(() => compile({ blacklist: [{ http_header: [{ key: 'k', value: '\ud83d' }] }] })).field).toBe('http_header');
  });
});

describe('compileFilterSql: validation', () => {
  const invalid: FlowFilter[] = [
    { http_status_code: ['2xx'] }, { source_pod: [''] }, { protocol: ['foo'] }, { source_port: ['65536'] },
    { event_type: [{ type: 1 }], http_method: ['GET'] }, { experimental: { cel_expression: ['true'] } },
    { source_label: ['a b c'] }, { http_path: ['(?<=a)b'] }, { destination_fqdn: ['a b'] }, { node_name: ['a/b/c'] },
    { source_ip: ['10.0.0.1/33'] }, { verdict: ['NOPE'] } as unknown as FlowFilter, { bogus: ['x'] } as FlowFilter,
  ];

  it.each(invalid.map((f) => [JSON.stringify(f), f] as const))('rejects %s with the matcher\'s FilterError', (_, f) => {
    const expected = errorOf(() => compileFilters({ whitelist: [f], blacklist: [] }));
    const got = errorOf(() => compile({ whitelist: [f] }));
    expect(got.message).toBe(expected.message);
    expect(got.field).toBe(expected.field);
  });

  it.each<[FlowFilter, string]>([
    [{ http_method: ['GÉT'] }, 'http_method'],
    [{ http_url: ['\\pL'] }, 'http_url'],
    [{ http_path: ['(?i)é'] }, 'http_path'],
    [{ dns_query: ['(?i)[à-ü]'] }, 'dns_query'],
    [{ dns_query: ['a{300}'] }, 'dns_query'],
    [{ dns_query: ['((a{50}){50}){50}'] }, 'dns_query'],
  ])('rejects %j, which the store cannot match exactly, naming %s', (f, field) => {
    expect(() => compileFilters({ whitelist: [f], blacklist: [] })).not.toThrow();
    expect(errorOf(() => compile({ whitelist: [f] })).field).toBe(field);
  });
});

describe('goRegExpToPostgres', () => {
  it.each([
    ['abc', 'abc'],
    ['a.b', 'a[^\\n]b'],
    ['(?s)a.b', 'a.b'],
    ['^/api/(v1|v2)$', '^\\U0000002Fapi\\U0000002F(v1|v2)$'],
    ['(?i)ks', '[Kk\\U0000212A][Ss\\U0000017F]'],
    ['(?i)[a-c]', '[A-Ca-c]'],
    ['(?i)[^s]', '[^Ss\\U0000017F]'],
    ['a+?b*?c{2,3}?', 'a+b*c{2,3}'],
    ['\\x{20AC}\\d', '\\U000020AC[0-9]'],
    ['(?m)^a$', '(?<![^\\n])a(?![^\\n])'],
    ['\\bx', '(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))x'],
    ['(?i)\\bk', '(?:(?<=[0-9A-Za-z_\\U0000017F\\U0000212A])(?![0-9A-Za-z_\\U0000017F\\U0000212A])|(?<![0-9A-Za-z_\\U0000017F\\U0000212A])(?=[0-9A-Za-z_\\U0000017F\\U0000212A]))[Kk\\U0000212A]'],
    ['', '(?:)'],
  ])('%j → %j', (go, pg) => {
    expect(goRegExpToPostgres(go)).toBe(pg);
  });
});

describe('GO_PREFIX_RE', () => {
  it('accepts exactly what Go\'s netip.ParsePrefix accepts', () => {
    const re = new RegExp(GO_PREFIX_RE);
    const pieces = ['0', '1', '9', '10', '255', '256', '01', 'ff', 'FFFF', 'abcd', '12345', 'g', ':', '::', '.', '1.2.3.4', '%eth0'];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      let addr = '';
      for (let k = 1 + next(10); k > 0; k--) addr += pieces[next(pieces.length)] + (next(3) === 0 ? ':' : '');
      const s = `${addr}/${next(140)}`;
      const go = parseIPPrefix(s) !== undefined;
      if (go) accepted++;
      expect(re.test(s), s).toBe(go);
    }
    expect(accepted).toBeGreaterThan(500);
    const tricky = ['::/0', '1::/64', '1:2:3:4:5:6:7::/128', '::1.2.3.4/96', '1::1.2.3.4/128', '::ffff:1.2.3.4/120', 'FFFF::/16',
      '1:2:3:4:5:6:1.2.3.4/100', '0.0.0.0/0', '255.255.255.255/32', '1:2:3:4:5:6:7:8::/64', '01.2.3.4/8', '1.2.3.4/08',
      '::1.2.3.4.5/1', '1:2:3:4:5:6:7:1.2.3.4/128', '1.2.3.4/33', '::/129', ':1::/8', '1:::2/8', 'fe80::1%eth0/64', '1::2::3/8'];
    for (const t of tricky) expect(re.test(t), t).toBe(parseIPPrefix(t) !== undefined);
  });
});
