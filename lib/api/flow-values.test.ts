import { describe, expect, it } from 'vitest';
import { FLOW_VALUES_DEFAULT_LIMIT, flowValuesUrl, parseFlowValuesQuery } from './flow-values';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const parse = (search: string) => parseFlowValuesQuery(new URLSearchParams(search), NOW_MS);

describe('parseFlowValuesQuery', () => {
  it('applies defaults and resolves durations against the clock', () => {
    expect(parse('field=namespace')).toEqual({ ok: true, query: { field: 'namespace', prefix: '', limit: FLOW_VALUES_DEFAULT_LIMIT } });
    expect(parse('field=pod&prefix=shop/&limit=7&since=1h&until=2026-01-15T11:30:00Z')).toEqual({
      ok: true,
      query: { field: 'pod', prefix: 'shop/', limit: 7, since: '2026-01-15T11:00:00Z', until: '2026-01-15T11:30:00Z' },
    });
  });

  it.each([
    ['field=', 'field: required, one of namespace, pod, workload, label, service, fqdn, ip, port, protocol, verdict, drop_reason, cluster, node'],
    ['field=Namespace', 'field: expected one of namespace, pod, workload, label, service, fqdn, ip, port, protocol, verdict, drop_reason, cluster, node, got "Namespace"'],
    ['field=pod&limit=501', 'limit: expected a whole number from 1 to 500, got "501"'],
    ['field=pod&limit=1.5', 'limit: expected a whole number from 1 to 500, got "1.5"'],
    ['field=pod&prefix=a%00b', 'prefix: must not contain NUL'],
    ['field=pod&since=2026-01-15T12:00:00Z&until=2026-01-15T11:00:00Z', 'since (2026-01-15T12:00:00Z) is after until (2026-01-15T11:00:00Z)'],
  ])('refuses %s', (search, error) => {
    expect(parse(search)).toEqual({ ok: false, status: 400, error });
  });

  it('round-trips through flowValuesUrl', () => {
    const url = flowValuesUrl({ field: 'label', prefix: 'k8s:app=a b&c', limit: 3, since: '15m' });
    expect(url.startsWith('/api/flow-values?')).toBe(true);
    const r = parseFlowValuesQuery(new URL(url, 'http://x').searchParams, NOW_MS);
    expect(r).toEqual({ ok: true, query: { field: 'label', prefix: 'k8s:app=a b&c', limit: 3, since: '2026-01-15T11:45:00Z' } });
    expect(flowValuesUrl({ field: 'port', prefix: '' })).toBe('/api/flow-values?field=port');
  });
});
