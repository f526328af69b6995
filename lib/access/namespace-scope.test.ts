import { describe, expect, it } from 'vitest';
import type { Flow } from '../flow/flow';
import type { FlowFilter, FlowFilterSet } from '../filter/flow-filter';
import { compileFilters } from '../filter/match';
import { flowInScope, NO_FLOWS, scopeFilterSet } from './namespace-scope';
import { seededRandom as rng } from '../testing/seeded-random';

const NAMESPACES = ['team-a', 'team-b', 'default', 'kube-system', ''];
const PODS = ['api-1', 'web-2', 'db-0', ''];

describe('scopeFilterSet', () => {
  it('selects exactly the flows the filters select that have a side in scope (property, 20,000 cases)', () => {
    const r = rng(20261126);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const endpoint = () => {
      const namespace = pick(NAMESPACES);
      const pod = pick(PODS);
      return namespace || pod ? { namespace: namespace || undefined, pod_name: pod || undefined } : undefined;
    };
    const podValue = () => pick([`${pick(NAMESPACES.slice(0, 4))}/${pick(['api', 'web', ''])}`, `/${pick(['api', 'db'])}`, pick(['api', 'web'])]);
    const filter = (): FlowFilter => {
      const f: FlowFilter = {};
      if (r() < 0.5) f.source_pod = [podValue(), ...(r() < 0.3 ? [podValue()] : [])];
      if (r() < 0.5) f.destination_pod = [podValue()];
      if (r() < 0.3) f.verdict = [pick(['FORWARDED', 'DROPPED'] as const)];
      return f;
    };
    for (let i = 0; i < 20_000; i++) {
      const set: FlowFilterSet = {
        whitelist: Array.from({ length: Math.floor(r() * 3) }, filter),
        blacklist: r() < 0.3 ? [filter()] : [],
      };
      const scope = r() < 0.1 ? ('*' as const) : NAMESPACES.slice(0, 4).filter(() => r() < 0.4);
      const flow: Flow = { source: endpoint(), destination: endpoint(), verdict: pick(['FORWARDED', 'DROPPED']) };
      const expected = compileFilters(set)(flow) && flowInScope(flow, scope);
      const actual = compileFilters(scopeFilterSet(set, scope))(flow);
      if (actual !== expected) throw new Error(`mismatch for ${JSON.stringify({ set, scope, flow })}`);
    }
  });

  it('leaves everything to a viewer of all namespaces, and nothing to a viewer of none', () => {
    const set: FlowFilterSet = { whitelist: [{ verdict: ['DROPPED'] }], blacklist: [] };
    expect(scopeFilterSet(set, '*')).toBe(set);
    expect(scopeFilterSet(set, [])).toBe(NO_FLOWS);
    expect(scopeFilterSet({ whitelist: [{ source_pod: ['team-b/'], destination_pod: ['team-b/'] }], blacklist: [] }, ['team-a'])).toBe(NO_FLOWS);
  });
});
