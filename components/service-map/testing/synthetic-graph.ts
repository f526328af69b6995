/**
 * Seeded service-map graphs of any size, shaped like GET /api/service-map answers: namespaces of
 * workloads calling each other and shared infrastructure, the world, host, remote-node,
 * kube-apiserver and kube-dns nodes, a few edges with drops. The browser benchmark draws the real
 * map from them (400 nodes, 2,000 edges) and the layout tests use them for properties that must
 * hold for any graph. `evolveServiceMap` plays the next tick of a live view.
 */
import type { ServiceMapCount, ServiceMapEdge, ServiceMapNode, ServiceMapResponse } from '../../../lib/api/service-map';
import { seededRandom as prng } from '../../../lib/testing/seeded-random';

export interface SyntheticGraphOptions {
  nodes: number;
  edges: number;
  seed?: number;
  /** End of the window (ms since the epoch); fixed by default so a seed always gives the same answer. */
  untilMs?: number;
  windowMs?: number;
  /** Share of edges with drops. */
  dropShare?: number;
}

const CLUSTER = 'synthetic';
const NAMESPACE_WORDS = ['shop', 'payments', 'data', 'search', 'identity', 'media', 'ads', 'billing', 'catalog', 'mail', 'ml', 'ops'];
const WORKLOAD_WORDS = ['api', 'web', 'worker', 'cache', 'db', 'gateway', 'indexer', 'scheduler', 'auth', 'export', 'import', 'queue'];
const INFRA = ['world', 'host', 'remote-node', 'kube-apiserver'] as const;

const nodeId = (namespace: string, name: string) => `${CLUSTER}/${namespace}/${name}`;

function node(kind: ServiceMapNode['kind'], namespace: string, name: string, extra: Partial<ServiceMapNode> = {}): ServiceMapNode {
  return { id: nodeId(namespace, name), kind, name, namespace, cluster: CLUSTER, services: [], worldNames: [], ...extra };
}

function workloadNodes(count: number): ServiceMapNode[] {
  const namespaces = Math.max(1, Math.round(Math.sqrt(count) / 1.5));
  const out: ServiceMapNode[] = [];
  for (let i = 0; i < count; i++) {
    const ns = i % namespaces;
    const namespace = `${NAMESPACE_WORDS[ns % NAMESPACE_WORDS.length]}${ns >= NAMESPACE_WORDS.length ? `-${Math.floor(ns / NAMESPACE_WORDS.length)}` : ''}`;
    const k = Math.floor(i / namespaces);
    const name = `${WORKLOAD_WORDS[k % WORKLOAD_WORDS.length]}${k >= WORKLOAD_WORDS.length ? `-${Math.floor(k / WORKLOAD_WORDS.length)}` : ''}`;
    out.push(node('workload', namespace, name, { services: [`${namespace}/${name}`] }));
  }
  return out;
}

function counts(entries: Array<[string, number]>): ServiceMapCount[] {
  return entries.filter(([, n]) => n > 0).map(([key, flows]) => ({ key, flows })).sort((a, b) => b.flows - a.flows || (a.key < b.key ? -1 : 1));
}

function edge(source: ServiceMapNode, target: ServiceMapNode, flows: number, dropped: number, windowS: number, port: number, failing = false): ServiceMapEdge {
  const errors = failing ? Math.max(1, Math.floor(flows * 0.05)) : 0;
  return {
    id: `${source.id}->${target.id}`, source: source.id, target: target.id, flows, flowsPerS: flows / windowS,
    verdicts: counts([['FORWARDED', flows - dropped], ['DROPPED', dropped]]),
    ports: counts([[`${port}/TCP`, flows]]),
    l7: port === 53 ? counts([['DNS query', flows]]) : counts([['HTTP GET', flows], ['HTTP 2xx', flows - errors], ['HTTP 5xx', errors]]),
    dropReasons: counts([['POLICY_DENIED', dropped]]),
    policies: counts([[`${target.namespace || 'default'}/${target.name}-ingress`, dropped]]),
  };
}

/** A graph of about `nodes` nodes and exactly `edges` edges (fewer only when the nodes cannot hold that many). */
export function syntheticServiceMap(opts: SyntheticGraphOptions): ServiceMapResponse {
  const random = prng(opts.seed ?? 1);
  const windowMs = opts.windowMs ?? 300_000;
  const untilMs = opts.untilMs ?? Date.UTC(2026, 0, 15, 12, 0, 0);
  const infra = [
    node('world', '', 'world', { worldNames: ['api.stripe.com', 's3.eu-west-1.amazonaws.com', '140.82.112.0/24'] }),
    ...INFRA.slice(1).map((name) => node(name, '', name)),
    node('kube-dns', 'kube-system', 'coredns', { services: ['kube-system/kube-dns'] }),
  ];
  const workloads = workloadNodes(Math.max(1, opts.nodes - infra.length));
  const all = [...infra, ...workloads];
  const edges = new Map<string, ServiceMapEdge>();
  const windowS = windowMs / 1000;
  const maxEdges = Math.min(opts.edges, all.length * (all.length - 1));
  const byNamespace = new Map<string, ServiceMapNode[]>();
  for (const w of workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
  for (let attempt = 0; edges.size < maxEdges && attempt < maxEdges * 20; attempt++) {
    const source = workloads[Math.floor(random() * workloads.length)];
    const roll = random();
    // Most calls stay in the namespace; a fifth go to shared infrastructure, like real clusters.
    const sameNs = byNamespace.get(source.namespace)!;
    const target = roll < 0.2 ? infra[Math.floor(random() * infra.length)]
      : roll < 0.7 && sameNs.length ? sameNs[Math.floor(random() * sameNs.length)] : all[Math.floor(random() * all.length)];
    if (target === source || edges.has(`${source.id}->${target.id}`)) continue;
    const flows = Math.max(1, Math.round(Math.exp(random() * 9)));
    const dropped = random() < (opts.dropShare ?? 0.05) ? Math.max(1, Math.round(flows * random() * 0.5)) : 0;
    const port = target.kind === 'kube-dns' ? 53 : target.kind === 'world' ? 443 : 8080;
    edges.set(`${source.id}->${target.id}`, edge(source, target, flows, dropped, windowS, port, random() < 0.08));
  }
  const steps = 60;
  const timeline = Array.from({ length: steps }, (_, i) => ({
    time: new Date(untilMs - windowMs + (i * windowMs) / steps).toISOString(),
    flows: Math.round(1000 + random() * 500),
    drops: Math.round(random() * 60),
  }));
  return {
    since: new Date(untilMs - windowMs).toISOString(), until: new Date(untilMs).toISOString(), resolution: 'minute',
    nodes: all, edges: [...edges.values()], timeline, truncated: false,
  };
}

/**
 * The next live tick of a graph, as a five-minute window sliding by 2 s: every edge's counts
 * drift (by up to ±3%, a few times what 2 s of a steady edge's traffic moves a 300 s window),
 * `grow` new workloads appear (each calling one existing node) and the oldest `grow` edges end.
 */
export function evolveServiceMap(graph: ServiceMapResponse, tick: number, grow = 2): ServiceMapResponse {
  const random = prng(tick * 7919 + 13);
  const shiftMs = 2_000 * tick;
  const windowS = (Date.parse(graph.until) - Date.parse(graph.since)) / 1000;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.slice(grow).map((e) => {
    const flows = Math.max(1, Math.round(e.flows * (0.97 + random() * 0.06)));
    const dropped = e.verdicts.find((v) => v.key === 'DROPPED')?.flows ?? 0;
    const port = Number(e.ports[0]?.key.split('/')[0] ?? 8080);
    const failing = e.l7.some((c) => c.key === 'HTTP 5xx');
    return edge(byId.get(e.source)!, byId.get(e.target)!, flows, Math.min(dropped, flows), windowS, port, failing);
  });
  const nodes = [...graph.nodes];
  for (let i = 0; i < grow; i++) {
    const namespace = graph.nodes[(tick * 31 + i * 17) % graph.nodes.length].namespace || 'shop';
    const added = node('workload', namespace, `canary-${tick}-${i}`, { services: [`${namespace}/canary-${tick}-${i}`] });
    const target = graph.nodes[Math.floor(random() * graph.nodes.length)];
    nodes.push(added);
    edges.push(edge(added, target, 10 + Math.round(random() * 100), 0, windowS, 8080));
  }
  const shift = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
  return {
    ...graph, since: shift(graph.since), until: shift(graph.until), nodes, edges,
    timeline: graph.timeline.map((p) => ({ ...p, time: shift(p.time) })),
  };
}
