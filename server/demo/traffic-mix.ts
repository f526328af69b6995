/**
 * Who talks to whom in the demo cluster, and how often: a weighted table of conversation kinds
 * built from the topology (shop → api → checkout → payments, Kafka, databases, DNS, internet
 * egress, Prometheus scraping, health checks, probes, the API server, and a few drops), plus how
 * active incidents shift those weights.
 */
import { DNS_PROXY_NAMESPACES, EXTERNAL_HOSTS, PARTNER_ACQUIRER_IP, UNLISTED_CI_IP } from './cluster-spec';
import { incidentBit } from './incidents';
import { cumulative } from './prng';
import type { Entity, TopoPod, TopoService, Topology } from './topology';

/** Conversations whose behaviour an incident changes. */
export type HttpTag = 'ingress-frontend' | 'frontend-api' | 'api-checkout' | 'checkout-payments' | 'other';

export interface HttpCall {
  method: string;
  /** `{id}` is replaced by a random number. */
  path: string;
  code: number;
}

export interface DnsTarget {
  /** The name finally resolved, with the trailing dot. */
  query: string;
  ips: string[];
  ttl: number;
  /** Search-path expansions tried first, answered NXDOMAIN (ndots:5). */
  misses: string[];
}

export type MixEntry =
  | { kind: 'http'; weight: number; clients: readonly TopoPod[]; service: TopoService; authority: string; calls: readonly HttpCall[]; latencyMs: number; tag: HttpTag }
  | { kind: 'tcp'; weight: number; clients: readonly Entity[]; targets: readonly Entity[]; port: number; service?: TopoService; serverMs: number; fresh: number }
  | { kind: 'kafka'; weight: number; clients: readonly TopoPod[]; service: TopoService; apiKey: 'produce' | 'fetch'; topic: string }
  | { kind: 'udp'; weight: number; clients: readonly TopoPod[]; service: TopoService }
  | { kind: 'dns'; weight: number; clients: readonly TopoPod[]; targets: readonly DnsTarget[] }
  | { kind: 'dns-udp'; weight: number; clients: readonly TopoPod[] }
  | { kind: 'fqdn'; weight: number; clients: readonly TopoPod[]; hosts: readonly string[] }
  | { kind: 'cidr'; weight: number; clients: readonly TopoPod[]; ip: string }
  | { kind: 'internet'; weight: number; clients: readonly TopoPod[] }
  | { kind: 'scrape'; weight: number; targets: readonly { entity: Entity; port: number }[] }
  | { kind: 'health'; weight: number }
  | { kind: 'probe'; weight: number; targets: readonly { entity: TopoPod; port: number }[] }
  | { kind: 'apiserver'; weight: number; clients: readonly Entity[] }
  | { kind: 'denied'; weight: number }
  | { kind: 'misc-drop'; weight: number }
  | { kind: 'audit'; weight: number; clients: readonly TopoPod[]; ip: string }
  | { kind: 'dns-failure'; weight: number; clients: readonly TopoPod[] };

export type MixKind = MixEntry['kind'];

const SHOP_CALLS: HttpCall[] = [
  { method: 'GET', path: '/', code: 200 }, { method: 'GET', path: '/products/{id}', code: 200 },
  { method: 'GET', path: '/cart', code: 200 }, { method: 'POST', path: '/cart/items', code: 201 },
  { method: 'POST', path: '/checkout', code: 200 }, { method: 'GET', path: '/static/js/main.{id}.js', code: 200 },
];
const API_CALLS: HttpCall[] = [
  { method: 'GET', path: '/v1/products?page={id}', code: 200 }, { method: 'GET', path: '/v1/products/{id}', code: 200 },
  { method: 'GET', path: '/v1/orders', code: 200 }, { method: 'POST', path: '/v1/orders', code: 201 },
  { method: 'GET', path: '/v1/orders/{id}', code: 200 },
];
const CART_CALLS: HttpCall[] = [
  { method: 'GET', path: '/v1/carts/{id}', code: 200 }, { method: 'POST', path: '/v1/carts/{id}/items', code: 201 },
  { method: 'DELETE', path: '/v1/carts/{id}/items/{id}', code: 204 },
];

export class TrafficMix {
  readonly entries: MixEntry[];
  private readonly tables = new Map<number, Float64Array>();

  constructor(readonly topo: Topology) {
    this.entries = buildEntries(topo);
  }

  /** Cumulative weights of the entries while the incidents in `mask` are active. */
  table(mask: number): Float64Array {
    let t = this.tables.get(mask);
    if (!t) this.tables.set(mask, (t = cumulative(this.entries.map((e) => weightDuring(e, mask)))));
    return t;
  }
}

function weightDuring(e: MixEntry, mask: number): number {
  const dnsFailure = (mask & incidentBit('dns-failure')) !== 0;
  if (e.kind === 'dns-failure') return dnsFailure ? 14 : 0;
  if (e.kind === 'http' && e.tag === 'checkout-payments' && dnsFailure) return 0;
  return e.weight;
}

function buildEntries(t: Topology): MixEntry[] {
  const pods = (ns: string, name: string): readonly TopoPod[] => t.workload(ns, name).pods;
  const svc = (ns: string, name: string): TopoService => t.service(ns, name);
  const http = (client: readonly TopoPod[], service: TopoService, weight: number, calls: HttpCall[], latencyMs: number, tag: HttpTag = 'other', authority?: string): MixEntry => ({
    kind: 'http', weight, clients: client, service, calls, latencyMs, tag, authority: authority ?? `${service.name}.${service.namespace}:${service.port}`,
  });
  const tcp = (clients: readonly Entity[], service: TopoService, weight: number, serverMs: number, fresh = 0.1): MixEntry => ({
    kind: 'tcp', weight, clients, targets: service.backends, port: service.targetPort, service, serverMs, fresh,
  });
  const [frontend, api, cart, checkout] = ['frontend', 'api', 'cart', 'checkout'].map((n) => pods('shop', n));
  const [payments, fraud] = [pods('payments', 'payments'), pods('payments', 'fraud-check')];
  const monitoringClients = ['prometheus', 'grafana', 'loki', 'fluent-bit', 'kube-state-metrics', 'otel-collector']
    .flatMap((n) => pods('monitoring', n));
  const entries: MixEntry[] = [
    { kind: 'internet', weight: 5, clients: pods('ingress-nginx', 'ingress-nginx-controller') },
    http(pods('ingress-nginx', 'ingress-nginx-controller'), svc('shop', 'frontend'), 8, SHOP_CALLS, 15, 'ingress-frontend', 'shop.example.com'),
    http(frontend, svc('shop', 'api'), 12, API_CALLS, 6, 'frontend-api'),
    http(frontend, svc('shop', 'cart'), 6, CART_CALLS, 4),
    http(api, svc('shop', 'checkout'), 4, [{ method: 'POST', path: '/v1/checkout', code: 200 }], 30, 'api-checkout'),
    http(checkout, svc('payments', 'payments'), 3, [{ method: 'POST', path: '/v1/charges', code: 201 }], 120, 'checkout-payments'),
    http(checkout, svc('shop', 'cart'), 2, CART_CALLS.slice(0, 1), 4),
    http(payments, svc('payments', 'fraud-check'), 3, [{ method: 'POST', path: '/v1/score', code: 200 }], 25),
    tcp(api, svc('shop', 'payments-db'), 6, 1.5),
    tcp(cart, svc('data', 'redis'), 6, 0.3),
    tcp(checkout, svc('data', 'postgres'), 3, 2),
    tcp(payments, svc('data', 'postgres'), 2, 2),
    tcp(pods('kube-system', 'hubble-ui'), svc('kube-system', 'hubble-relay'), 1, 5, 0.05),
    tcp(pods('monitoring', 'fluent-bit'), svc('monitoring', 'loki'), 3, 4, 0.05),
    tcp(pods('monitoring', 'grafana'), svc('monitoring', 'prometheus'), 1, 40, 0.3),
    { kind: 'tcp', weight: 2, clients: pods('kube-system', 'hubble-relay'), targets: t.nodes.map((n) => n.host), port: 4244, serverMs: 1, fresh: 0.02 },
    { kind: 'kafka', weight: 3, clients: checkout, service: svc('data', 'kafka'), apiKey: 'produce', topic: 'orders' },
    { kind: 'kafka', weight: 2, clients: payments, service: svc('data', 'kafka'), apiKey: 'produce', topic: 'payment-events' },
    { kind: 'kafka', weight: 3, clients: fraud, service: svc('data', 'kafka'), apiKey: 'fetch', topic: 'payment-events' },
    { kind: 'kafka', weight: 2, clients: api, service: svc('data', 'kafka'), apiKey: 'fetch', topic: 'order-status' },
    { kind: 'udp', weight: 3, clients: [...frontend, ...api, ...checkout, ...payments], service: svc('monitoring', 'otel-collector') },
    { kind: 'dns-udp', weight: 3, clients: monitoringClients },
    { kind: 'fqdn', weight: 2, clients: payments, hosts: ['api.stripe.com'] },
    { kind: 'fqdn', weight: 1, clients: checkout, hosts: ['api.sendgrid.com'] },
    { kind: 'fqdn', weight: 2, clients: pods('ci', 'runner'), hosts: ['github.com', 'api.github.com', 'objects.githubusercontent.com', 'registry-1.docker.io'] },
    { kind: 'cidr', weight: 1, clients: payments, ip: PARTNER_ACQUIRER_IP },
    { kind: 'scrape', weight: 8, targets: scrapeTargets(t) },
    { kind: 'health', weight: 3 },
    { kind: 'probe', weight: 5, targets: probeTargets(t) },
    {
      kind: 'apiserver', weight: 4,
      clients: ['kube-system/coredns', 'monitoring/kube-state-metrics', 'monitoring/prometheus', 'kube-system/cilium']
        .flatMap((w) => pods(w.split('/')[0], w.split('/')[1])).filter((p) => p.ip !== t.apiserver.ip),
    },
    { kind: 'denied', weight: 0.8 },
    { kind: 'misc-drop', weight: 0.4 },
    { kind: 'audit', weight: 0.5, clients: pods('ci', 'runner'), ip: UNLISTED_CI_IP },
    { kind: 'dns-failure', weight: 0, clients: checkout },
  ];
  return [...entries, ...dnsEntries(t, entries)];
}

function scrapeTargets(t: Topology): { entity: Entity; port: number }[] {
  const targets = t.workloads.flatMap((w) => (w.spec.metricsPort ? w.pods.map((p) => ({ entity: p as Entity, port: w.spec.metricsPort as number })) : []));
  return [...targets, ...t.nodes.map((n) => ({ entity: n.host, port: 9965 }))];
}

function probeTargets(t: Topology): { entity: TopoPod; port: number }[] {
  return t.workloads.flatMap((w) => {
    if (w.spec.hostNetwork) return [];
    const port = t.services.find((s) => s.backends.includes(w.pods[0]))?.targetPort ?? w.spec.metricsPort;
    return port ? w.pods.map((p) => ({ entity: p, port })) : [];
  });
}

/** DNS lookups: every DNS-proxied client resolves the services and hosts it talks to. */
function dnsEntries(t: Topology, entries: MixEntry[]): MixEntry[] {
  const byWorkload = new Map<string, { clients: readonly TopoPod[]; targets: Map<string, DnsTarget> }>();
  const add = (clients: readonly Entity[], target: DnsTarget): void => {
    const first = clients[0] as TopoPod | undefined;
    if (!first || first.kind !== 'pod' || !DNS_PROXY_NAMESPACES.has(first.namespace)) return;
    const key = `${first.namespace}/${first.workload.name}`;
    let w = byWorkload.get(key);
    if (!w) byWorkload.set(key, (w = { clients: first.workload.pods, targets: new Map() }));
    w.targets.set(target.query, target);
  };
  for (const e of entries) {
    if ((e.kind === 'http' || e.kind === 'kafka' || e.kind === 'udp' || e.kind === 'tcp') && e.service && e.service.namespace !== 'kube-system') {
      const ns = (e.clients[0] as TopoPod).namespace;
      add(e.clients, { query: e.service.dnsName, ips: [e.service.clusterIp], ttl: 30, misses: [`${e.service.name}.${e.service.namespace}.${ns}.svc.cluster.local.`] });
    } else if (e.kind === 'fqdn') {
      const ns = e.clients[0].namespace;
      for (const host of e.hosts) {
        add(e.clients, {
          query: `${host}.`, ips: [...EXTERNAL_HOSTS[host]], ttl: 60,
          misses: [`${host}.${ns}.svc.cluster.local.`, `${host}.svc.cluster.local.`, `${host}.cluster.local.`],
        });
      }
    }
  }
  return [...byWorkload.values()].map((w) => ({ kind: 'dns', weight: 2, clients: w.clients, targets: [...w.targets.values()] }));
}
