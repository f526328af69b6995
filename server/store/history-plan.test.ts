import { describe, expect, it } from 'vitest';
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowsQuery } from '../../lib/flow/observer';
import { InvalidQueryError } from '../../lib/flow/observer';
import { planHistory } from './history-plan';

const SINCE = '2026-01-01T00:00:00Z';

describe('planHistory', () => {
  it.each<[string, FlowsQuery, { mode: string; limit: number }]>([
    ['number: the newest N', { number: 20 }, { mode: 'latest', limit: 20 }],
    ['number with follow: the newest N, then on', { number: 20, follow: true }, { mode: 'latest', limit: 20 }],
    ['first: the earliest N', { number: 5, first: true }, { mode: 'forward', limit: 5 }],
    ['since wins over number: the earliest N after it', { number: 5, since: SINCE }, { mode: 'forward', limit: 5 }],
    ['since with follow: everything after it', { number: 5, since: SINCE, follow: true }, { mode: 'forward', limit: 0 }],
    ['nothing: every stored flow', {}, { mode: 'forward', limit: 0 }],
    ['until alone: every stored flow before it', { until: SINCE }, { mode: 'forward', limit: 0 }],
    ['follow alone: live flows only', { follow: true }, { mode: 'live', limit: 0 }],
    ['--all (2^64−1, clamped): no limit', { number: Number.MAX_SAFE_INTEGER }, { mode: 'forward', limit: 0 }],
  ])('%s', (_name, query, expected) => {
    expect(planHistory(query)).toMatchObject(expected);
  });

  it('refuses what a relay refuses', () => {
    expect(() => planHistory({ first: true, follow: true })).toThrow(InvalidQueryError);
    expect(() => planHistory({ since: 'yesterday' })).toThrow(/since: not an RFC 3339 timestamp/);
    expect(() => planHistory({ whitelist: [{ source_ip: ['x'] }] })).toThrow(FilterError);
  });

  it('compiles the filter for SQL and for memory alike', () => {
    const plan = planHistory({ whitelist: [{ verdict: ['DROPPED'] }], blacklist: [{ source_pod: ['kube-system/'] }] });
    expect(plan.filterParams.length).toBeGreaterThan(0);
    expect(plan.match({ verdict: 'DROPPED', source: { namespace: 'shop', pod_name: 'a' } })).toBe(true);
    expect(plan.match({ verdict: 'DROPPED', source: { namespace: 'kube-system', pod_name: 'a' } })).toBe(false);
    expect(plan.match({ verdict: 'FORWARDED' })).toBe(false);
  });
});
