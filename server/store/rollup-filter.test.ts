import { describe, expect, it } from 'vitest';
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { SqlParams } from './filter-sql-params';
import { compileRollupFilter } from './rollup-filter';

function compileFlags(...argv: string[]) {
  const params = new SqlParams();
  const result = compileRollupFilter(parseObserveArgs(argv).filters, params);
  return { result, values: params.values };
}

describe('compileRollupFilter: what the rollups answer', () => {
  it('is TRUE without filters', () => {
    expect(compileRollupFilter({ whitelist: [], blacklist: [] }, new SqlParams())).toEqual({ sql: 'TRUE' });
  });

  it('answers --namespace (either side) exactly', () => {
    expect(compileFlags('--namespace', 'shop', '--verdict', 'DROPPED')).toEqual({
      result: { sql: '((verdict = ANY($1::int[])) AND (src_namespace = ANY($2::text[]))) OR ((verdict = ANY($3::int[])) AND (dst_namespace = ANY($4::text[])))' },
      values: [[2], ['shop'], [2], ['shop']],
    });
  });

  it('answers a blacklisted namespace NULL-safely', () => {
    expect(compileFlags('--not', '--namespace', 'kube-system').result).toEqual({
      sql: '(TRUE) AND (((src_namespace = ANY($1::text[]))) OR ((dst_namespace = ANY($2::text[])))) IS NOT TRUE',
    });
  });

  it('answers drop reasons (DROPPED only) and protocols from the L4 and L7 columns', () => {
    expect(compileFlags('--drop-reason-desc', 'POLICY_DENIED', '--protocol', 'tcp', '--protocol', 'dns')).toEqual({
      result: { sql: `((verdict = 2) AND (drop_reason = ANY($1::int[])) AND ((protocol = 'TCP' OR starts_with(l7, 'dns'))))` },
      values: [[133]],
    });
  });

  it('answers a pair of mirrored one-sided filters (traffic between a and b, either way)', () => {
    const set: FlowFilterSet = {
      whitelist: [{ source_pod: ['a/'], destination_pod: ['b/'] }, { source_pod: ['b/'], destination_pod: ['a/'] }],
      blacklist: [],
    };
    expect(compileRollupFilter(set, new SqlParams())).toHaveProperty('sql');
  });

  it('refuses one-sided filters: replies count on their request\'s edge', () => {
    for (const argv of [['--from-namespace', 'a'], ['--to-namespace', 'a'], ['--from-namespace', 'a', '--to-namespace', 'b']]) {
      const { result, values } = compileFlags(...argv);
      expect(result, argv.join(' ')).toHaveProperty('unsupported');
      expect((result as { unsupported: string }).unsupported).toMatch(/reply on its request's edge/);
      expect(values).toEqual([]);
    }
  });

  it('names what the rollups do not keep', () => {
    const cases: [string[], RegExp][] = [
      [['--port', '80'], /server port/],
      [['--pod', 'shop/api'], /not pod names/],
      [['--pod', 'api'], /not pod names/],
      [['--from-label', 'app=x'], /source_label/],
      [['--ip', '10.0.0.1'], /source_ip/],
      [['--http-status', '500'], /http_status_code/],
      [['--service', 'shop/api'], /services/],
      [['--verdict', 'VERDICT_UNKNOWN'], /--verdict VERDICT_UNKNOWN/],
      [['--type', 'drop'], /event_type/],
    ];
    for (const [argv, why] of cases) {
      const { result, values } = compileFlags(...argv);
      expect((result as { unsupported?: string }).unsupported, argv.join(' ')).toMatch(why);
      expect(values).toEqual([]);
    }
  });

  it('refuses verdict numbers the smallint column stores as 0', () => {
    for (const verdict of [0, 40000, -40000]) {
      expect(compileRollupFilter({ whitelist: [{ verdict: [verdict] }], blacklist: [] }, new SqlParams())).toHaveProperty('unsupported');
    }
  });

  it('throws the matcher\'s FilterError for an invalid filter', () => {
    expect(() => compileRollupFilter({ whitelist: [{ verdict: ['NOPE' as 'DROPPED'] }], blacklist: [] }, new SqlParams())).toThrow(FilterError);
  });

  it('leaves params untouched when it refuses', () => {
    const params = new SqlParams();
    params.add('earlier');
    compileRollupFilter({ whitelist: [{ verdict: ['DROPPED'] }, { source_pod: ['a/'] }], blacklist: [] }, params);
    expect(params.values).toEqual(['earlier']);
  });
});
