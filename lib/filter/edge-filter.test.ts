import { describe, expect, it } from 'vitest';
import type { Flow } from '../flow/flow';
import { edgeFilter, type EdgeSelection } from './edge-filter';
import { compileFilters } from './match';
import { parseObserveArgs } from './observe-args';
import { printObserveArgs } from './print-observe-args';

const frontend = { namespace: 'shop', pod_name: 'frontend-7c9d-x2', workloads: [{ name: 'frontend', kind: 'Deployment' }], labels: ['k8s:app=frontend'] };
const api = { namespace: 'shop', pod_name: 'api-5f6b-k1', workloads: [{ name: 'api', kind: 'Deployment' }], labels: ['k8s:app=api'] };
const world = { identity: 2, labels: ['reserved:world'] };

const drop: Flow = {
  time: '2026-11-26T10:03:00Z', verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED', source: frontend, destination: api,
  IP: { source: '10.0.1.5', destination: '10.0.2.7' }, l4: { TCP: { source_port: 40000, destination_port: 8080 } },
};
const egress: Flow = {
  time: '2026-11-26T10:03:00Z', verdict: 'FORWARDED', source: api, destination: world, destination_names: ['api.stripe.com'],
  IP: { source: '10.0.2.7', destination: '203.0.113.9' }, l4: { TCP: { source_port: 40001, destination_port: 443 } },
};

const meshCall: Flow = {
  ...drop, verdict: 'FORWARDED', drop_reason_desc: undefined,
  source: { ...frontend, cluster_name: 'west' }, destination: { ...api, cluster_name: 'east' },
};

const shop = (entity: string) => ({ cluster: '', namespace: 'shop', entity });
const cases: Array<[string, EdgeSelection, Flow, Flow[]]> = [
  ['a policy drop between workloads', {
    source: shop('frontend'), destination: shop('api'), port: 8080, protocol: 'TCP', verdict: 'DROPPED', dropReason: 'POLICY_DENIED',
  }, drop, [{ ...drop, verdict: 'FORWARDED', drop_reason_desc: undefined }, { ...drop, l4: { TCP: { destination_port: 9090 } } }, { ...drop, source: api, destination: frontend }]],
  ['egress to a name behind world', {
    source: shop('api'), destination: { cluster: '', namespace: '', entity: 'world' }, destinationName: 'api.stripe.com', port: 443, protocol: 'TCP',
  }, egress, [{ ...egress, destination_names: ['evil.example'] }]],
  ['a call from one cluster to another', {
    source: { cluster: 'west', namespace: 'shop', entity: 'frontend' }, destination: { cluster: 'east', namespace: 'shop', entity: 'api' },
  }, meshCall, [
    { ...meshCall, destination: { ...api, cluster_name: 'west' } },
    { ...meshCall, source: { ...frontend, cluster_name: 'east' } },
    { ...meshCall, source: { ...frontend, cluster_name: 'east' }, destination: { ...api, cluster_name: 'west' } },
  ]],
  ['egress to a network behind world', {
    source: shop('api'), destination: { cluster: '', namespace: '', entity: 'world' }, destinationName: '203.0.113.0/24', port: 443, protocol: 'TCP',
  }, egress, [{ ...egress, IP: { source: '10.0.2.7', destination: '198.51.100.1' } }]],
];

describe('edgeFilter', () => {
  it.each(cases)('selects %s and nothing beside it, also after a round trip through flags', (_, edge, flow, others) => {
    const filter = edgeFilter(edge);
    const request = parseObserveArgs(printObserveArgs({ filters: { whitelist: [filter], blacklist: [] } }));
    for (const set of [{ whitelist: [filter], blacklist: [] }, request.filters]) {
      const match = compileFilters(set);
      expect(match(flow)).toBe(true);
      for (const other of others) expect(match(other)).toBe(false);
    }
  });

  it('names the clusters of an edge between clusters with --from-cluster and --to-cluster', () => {
    const args = printObserveArgs({ filters: { whitelist: [edgeFilter(cases[2][1])], blacklist: [] } });
    expect(args.join(' ')).toMatch(/--from-cluster west .*--to-cluster east/);
  });

  it('prints as plain hubble observe flags', () => {
    expect(printObserveArgs({ filters: { whitelist: [edgeFilter(cases[0][1])], blacklist: [] } })).toEqual([
      '--from-namespace', 'shop', '--to-namespace', 'shop', '--to-port', '8080', '--from-workload', 'frontend',
      '--to-workload', 'api', '--protocol', 'tcp', '--verdict', 'DROPPED', '--drop-reason-desc', 'POLICY_DENIED',
    ]);
  });
});
