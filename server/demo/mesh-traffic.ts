/**
 * Cluster Mesh traffic between the demo's clusters: the frontend of every cluster after the first
 * calls the first cluster's api through the global service shop/api (HTTP through the api's
 * ingress proxy). A connection across clusters is observed on both sides, as it is in a real
 * mesh: the client's node in its cluster (socket LB, egress verdict, from-endpoint, to-overlay)
 * and the server's node in the other (ingress verdict, to-proxy, to-endpoint, the proxy's HTTP
 * records), each cluster's relay serving only what its own nodes saw. Remote endpoints carry
 * their own cluster's name and identity, exactly as the topology describes them to other nodes.
 * While the first cluster's policy-change incident runs, its api denies these calls as well.
 *
 * Deterministic: the flows of second k depend only on the seed, k, the rate and the clusters.
 */
import type { Flow, Service } from '../../lib/flow/flow';
import { formatTimestamp } from '../../lib/time/timestamp';
import { httpExchange, synDeniedAtIngress, tcpClose, tcpOpen } from './conversations';
import { POLICY_REVISION } from './demo-policies';
import { incidentBit, type IncidentSchedule } from './incidents';
import { Conv, SecondSink, sockTranslation } from './observations';
import { Prng, hashNumbers, mix32, uuidFromWords } from './prng';
import type { Entity, TopoPod, TopoService, Topology } from './topology';

export interface MeshTrafficOptions {
  seed: number;
  /** Each cluster's own rate; cross-cluster flows add about MESH_SHARE of it per calling cluster. */
  rateFlowsPerS: number;
  /** The mesh's clusters, the first serving the global service. */
  clusters: readonly Topology[];
  /** The first cluster's incidents: its policy-change denies the other clusters' calls too. */
  serverIncidents?: IncidentSchedule;
}

export interface MeshTraffic {
  /** Cross-cluster flows observed on `cluster`'s nodes in [fromMs, toMs), sorted by time. */
  flowsBetween(cluster: string, fromMs: number, toMs: number): Flow[];
}

/** Cross-cluster flows per second, as a share of one cluster's rate, for each calling cluster. */
export const MESH_SHARE = 0.05;

const MS = 1_000_000;
const NS_PER_S = 1_000_000_000;
const API_PATHS = ['/v1/products/{id}', '/v1/orders/{id}', '/v1/products?page={id}'];
const POLICY_CHANGE = incidentBit('policy-change');

/** One cluster's share of a second: flows sorted by time, with their offsets (ns) in the second. */
interface ClusterSecond {
  flows: Flow[];
  offsets: number[];
}

interface Caller {
  clients: readonly Entity[];
  /** The caller's own Service object for shop/api: the global service has the same name everywhere. */
  service: TopoService;
  egress: Conv['egressAllowedBy'];
  cgroupIds: readonly string[];
}

/** A pod as every node of the mesh sees it: itself on its own node, its remote form everywhere else. */
function meshEntity(pod: TopoPod, offset: number, total: number): Entity {
  const own = offset + pod.node;
  const remote = pod.ep[(pod.node + 1) % pod.ep.length];
  return { kind: pod.kind, ip: pod.ip, node: own, ep: Array.from({ length: total }, (_, g) => (g === own ? pod.ep[pod.node] : remote)) };
}

export function createMeshTraffic(opts: MeshTrafficOptions): MeshTraffic {
  const { seed, clusters } = opts;
  const offsets = clusters.map((_, i) => clusters.slice(0, i).reduce((n, t) => n + t.nodes.length, 0));
  const total = clusters.reduce((n, t) => n + t.nodes.length, 0);
  const nodeNames = clusters.flatMap((t) => t.nodes.map((n) => n.fullName));
  const nodeLabels = clusters.flatMap((t) => t.nodes.map((n) => n.labels as string[]));
  const clusterOfNode = new Map(clusters.flatMap((t, i) => t.nodes.map((n) => [n.fullName, i] as const)));
  const server = clusters[0];
  const apiWorkload = server.workload('shop', 'api');
  const servers = apiWorkload.pods.map((p) => meshEntity(p, offsets[0], total));
  const ingress = server.policy('shop', apiWorkload.spec.ingressPolicy ?? 'api-ingress');
  // The policy-change incident's revision of api-ingress, which no longer lists frontend: remote frontends included.
  const deniedBy = [{ ...ingress, revision: String(POLICY_REVISION + 1) }];
  const callers: Caller[] = clusters.slice(1).map((t, i) => {
    const frontend = t.workload('shop', 'frontend');
    return {
      clients: frontend.pods.map((p) => meshEntity(p, offsets[i + 1], total)),
      service: t.service('shop', 'api'),
      egress: frontend.spec.egressPolicy ? [t.policy('shop', frontend.spec.egressPolicy)] : undefined,
      cgroupIds: frontend.pods.map((p) => p.cgroupId),
    };
  });
  const targetPerS = Math.max(1, Math.round(opts.rateFlowsPerS * MESH_SHARE));

  function converse(s: SecondSink, rng: Prng, caller: Caller, mask: number): void {
    const i = rng.int(0, caller.clients.length - 1);
    const c = new Conv(caller.clients[i], rng.pick(servers), false, 32768 + rng.int(0, 28231), caller.service.targetPort, caller.service.ref as Service, undefined);
    if (caller.egress) {
      c.egressVerdict = 'FORWARDED';
      c.egressAllowedBy = caller.egress;
    }
    c.ingressProxy = true;
    c.ingressVerdict = 'REDIRECTED';
    c.ingressAllowedBy = [ingress];
    if (mask & POLICY_CHANGE) return synDeniedAtIngress(s, rng, c, deniedBy);
    const fresh = rng.chance(0.3);
    if (fresh) {
      if (rng.chance(0.5)) {
        sockTranslation(s, c, caller.service.clusterIp, caller.service.port, undefined, caller.cgroupIds[i], String(rng.u32() * 64 + rng.int(0, 63)));
        s.t += rng.int(2_000, 20_000);
      }
      tcpOpen(s, rng, c);
    }
    for (let n = rng.int(1, 2); n > 0; n--) {
      const path = rng.pick(API_PATHS).replace('{id}', String(rng.int(100, 99_999)));
      httpExchange(s, c, 'GET', `http://api.shop:8080${path}`, rng.chance(0.99) ? 200 : 503, rng.skewed(9 * MS, 250 * MS));
      s.t += rng.int(100_000, 5 * MS);
    }
    if (fresh && rng.chance(0.6)) tcpClose(s, rng, c);
  }

  /** The second's cross-cluster flows, stamped and split by the cluster whose node observed them. */
  function generate(k: number): ClusterSecond[] {
    const rng = new Prng(hashNumbers(seed, k, 0x3e5c));
    const sink = new SecondSink(nodeNames, nodeLabels);
    const mask = opts.serverIncidents?.maskAt(k * 1000) ?? 0;
    for (const caller of callers) {
      const target = sink.flows.length + targetPerS;
      while (sink.flows.length < target) {
        const start = sink.flows.length;
        sink.t = 0;
        converse(sink, rng, caller, mask);
        const shift = Math.floor(rng.next() * Math.max(1, NS_PER_S - sink.offsets[sink.flows.length - 1]));
        for (let j = start; j < sink.flows.length; j++) sink.offsets[j] = Math.min(NS_PER_S - 1, sink.offsets[j] + shift);
      }
    }
    const order = sink.flows.map((_, j) => j).sort((a, b) => sink.offsets[a] - sink.offsets[b] || a - b);
    const byCluster: ClusterSecond[] = clusters.map(() => ({ flows: [], offsets: [] }));
    const h1 = hashNumbers(seed, k, 0x3e5d);
    order.forEach((j, n) => {
      const f = sink.flows[j];
      f.time = formatTimestamp({ seconds: k, nanos: sink.offsets[j] });
      const a = mix32((n + h1) >>> 0);
      const b = mix32(a ^ 0x3e5e);
      f.uuid = uuidFromWords(a, b, mix32((b + h1) >>> 0), mix32(a ^ h1 ^ 0x6d));
      const own = byCluster[clusterOfNode.get(f.node_name as string) as number];
      own.flows.push(f);
      own.offsets.push(sink.offsets[j]);
    });
    return byCluster;
  }

  // Each cluster's relay asks for the same seconds: keep the last few.
  const recent = new Map<number, ClusterSecond[]>();
  function second(k: number): ClusterSecond[] {
    let sec = recent.get(k);
    if (!sec) {
      sec = generate(k);
      recent.set(k, sec);
      if (recent.size > 8) recent.delete(recent.keys().next().value as number);
    }
    return sec;
  }

  const index = new Map(clusters.map((t, i) => [t.clusterName, i]));
  return {
    flowsBetween(cluster, fromMs, toMs) {
      const i = index.get(cluster);
      const out: Flow[] = [];
      if (i === undefined || !(toMs > fromMs) || callers.length === 0) return out;
      for (let k = Math.floor(fromMs / 1000); k <= Math.ceil(toMs / 1000) - 1; k++) {
        const lo = (fromMs - k * 1000) * MS;
        const hi = (toMs - k * 1000) * MS;
        const { flows, offsets: ns } = second(k)[i];
        for (let j = 0; j < flows.length; j++) if (ns[j] >= lo && ns[j] < hi) out.push(flows[j]);
      }
      return out;
    },
  };
}
