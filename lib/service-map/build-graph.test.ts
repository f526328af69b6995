import { describe, expect, it } from 'vitest';
import { buildServiceMapGraphFromRows, type ServiceMapRollupRow } from './build-graph';

const row = (over: Partial<ServiceMapRollupRow>): ServiceMapRollupRow => ({
  srcCluster: 'demo', srcNamespace: 'shop', srcEntity: 'frontend', dstCluster: 'demo', dstNamespace: 'shop', dstEntity: 'api',
  dstName: '', dstService: '', dstPort: 8080, protocol: 'TCP', verdict: 1, dropReason: 0, l7: '', policies: '', flows: 1,
  ...over,
});

const ROWS: ServiceMapRollupRow[] = [
  row({ flows: 60, dstService: 'shop/api', l7: 'http GET 2xx' }),
  row({ flows: 30, dstService: 'shop/api', l7: 'http GET' }),
  row({ flows: 6, verdict: 2, dropReason: 133, policies: 'shop/api-ingress', l7: '' }),
  row({ flows: 4, verdict: 2, dropReason: 133, policies: 'shop/api-ingress,shop/deny-all' }),
  row({ srcEntity: 'api', dstNamespace: 'kube-system', dstEntity: 'coredns', dstPort: 53, protocol: 'UDP', l7: 'dns 3', flows: 12 }),
  row({ srcEntity: 'api', dstNamespace: 'kube-system', dstEntity: 'coredns', dstPort: 53, protocol: 'UDP', l7: 'dns', flows: 12 }),
  row({ srcEntity: 'api', dstCluster: '', dstNamespace: '', dstEntity: 'world', dstName: 'api.stripe.com', dstPort: 443, flows: 9 }),
  row({ srcEntity: 'api', dstCluster: '', dstNamespace: '', dstEntity: 'world', dstName: '203.0.113.0/24', dstPort: 443, flows: 3 }),
  row({ srcCluster: '', srcNamespace: '', srcEntity: 'host', dstEntity: 'api', dstPort: 9090, flows: 5 }),
  row({ srcCluster: '', srcNamespace: '', srcEntity: 'remote-node', dstEntity: 'api', protocol: 'ICMPv4', dstPort: 0, flows: 2 }),
  row({ srcNamespace: 'monitoring', srcEntity: 'prometheus', dstEntity: 'api', dstPort: 9090, l7: 'kafka 7', flows: 1 }),
];

function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('buildServiceMapGraph', () => {
  const graph = buildServiceMapGraphFromRows(ROWS, 300);

  it('makes one node per endpoint, with its kind', () => {
    expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['//host', 'host'], ['//remote-node', 'remote-node'], ['//world', 'world'], ['demo/kube-system/coredns', 'kube-dns'],
      ['demo/monitoring/prometheus', 'workload'], ['demo/shop/api', 'workload'], ['demo/shop/frontend', 'workload'],
    ]);
    const api = graph.nodes.find((n) => n.id === 'demo/shop/api')!;
    expect(api).toEqual({ id: 'demo/shop/api', kind: 'workload', name: 'api', namespace: 'shop', cluster: 'demo', services: ['shop/api'], worldNames: [] });
    expect(graph.nodes.find((n) => n.kind === 'world')!.worldNames).toEqual(['api.stripe.com', '203.0.113.0/24']);
  });

  it('sums an edge with its verdicts, ports, L7 summary, drop reasons and policies', () => {
    const edge = graph.edges.find((e) => e.id === 'demo/shop/frontend->demo/shop/api')!;
    expect(edge).toEqual({
      id: 'demo/shop/frontend->demo/shop/api', source: 'demo/shop/frontend', target: 'demo/shop/api', flows: 100, flowsPerS: 100 / 300,
      verdicts: [{ key: 'FORWARDED', flows: 90 }, { key: 'DROPPED', flows: 10 }],
      ports: [{ key: '8080/TCP', flows: 100 }],
      l7: [{ key: 'HTTP GET', flows: 90 }, { key: 'HTTP 2xx', flows: 60 }],
      dropReasons: [{ key: 'POLICY_DENIED', flows: 10 }],
      policies: [{ key: 'shop/api-ingress', flows: 10 }, { key: 'shop/deny-all', flows: 4 }],
    });
    const dns = graph.edges.find((e) => e.target === 'demo/kube-system/coredns')!;
    expect(dns.l7).toEqual([{ key: 'DNS NXDOMAIN', flows: 12 }, { key: 'DNS query', flows: 12 }]);
    expect(graph.edges.find((e) => e.source === '//remote-node')!.ports).toEqual([{ key: 'ICMPv4', flows: 2 }]);
    expect(graph.edges.find((e) => e.source === 'demo/monitoring/prometheus')!.l7).toEqual([{ key: 'Kafka error 7', flows: 1 }]);
  });

  it('gives the same JSON for the same rows in any order, and for rows split differently', () => {
    const text = JSON.stringify(graph);
    for (let seed = 1; seed < 20; seed++) expect(JSON.stringify(buildServiceMapGraphFromRows(shuffled(ROWS, seed), 300))).toBe(text);
    const split = ROWS.flatMap((r) => (r.flows > 1 ? [{ ...r, flows: 1 }, { ...r, flows: r.flows - 1 }] : [r]));
    expect(JSON.stringify(buildServiceMapGraphFromRows(shuffled(split, 7), 300))).toBe(text);
  });

  it('keeps the largest edges within the caps and says it cut', () => {
    expect(graph.truncated).toBe(false);
    const capped = buildServiceMapGraphFromRows(ROWS, 300, { maxNodes: 100, maxEdges: 2 });
    expect(capped.truncated).toBe(true);
    expect(capped.edges.map((e) => e.id)).toEqual(['demo/shop/api->demo/kube-system/coredns', 'demo/shop/frontend->demo/shop/api']);
    expect(capped.nodes.map((n) => n.id)).toEqual(['demo/kube-system/coredns', 'demo/shop/api', 'demo/shop/frontend']);
    const fewNodes = buildServiceMapGraphFromRows(ROWS, 300, { maxNodes: 3, maxEdges: 100 });
    expect(fewNodes.nodes).toHaveLength(3);
    // An edge between kept nodes still fits when a larger one with a new node does not.
    expect(fewNodes.edges.map((e) => e.id)).toEqual(['demo/shop/api->demo/kube-system/coredns', 'demo/shop/frontend->demo/shop/api']);
    expect(fewNodes.truncated).toBe(true);
  });

  it('keeps the 20 busiest ports of an edge, and the 100 busiest names behind a node', () => {
    const many = Array.from({ length: 150 }, (_, i) => row({ dstCluster: '', dstNamespace: '', dstEntity: 'world', dstPort: 1000 + i, dstName: `n${i}.io`, flows: 1 + (i % 7) }));
    const g = buildServiceMapGraphFromRows(many, 60);
    expect(g.edges[0].ports).toHaveLength(20);
    expect(g.edges[0].ports.every((p) => p.flows === 7)).toBe(true);
    expect(g.edges[0].ports[0].key).toBe('1006/TCP');
    expect(g.nodes.find((n) => n.kind === 'world')!.worldNames).toHaveLength(100);
    expect(g.edges[0].flows).toBe(many.reduce((n, r) => n + r.flows, 0));
  });

  it('leaves out rows without flows and answers an empty graph for none', () => {
    expect(buildServiceMapGraphFromRows([row({ flows: 0 })], 60)).toEqual({ nodes: [], edges: [], truncated: false });
  });
});
