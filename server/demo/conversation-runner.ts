/**
 * Plays one conversation of the traffic mix: picks the entry by weight, the pods and ports, what
 * Cilium's policies say about the connection, and lets server/demo/conversations.ts emit the
 * events. Incidents change the outcome here (drops, 503s, failing DNS).
 */
import type { Policy, Service } from '../../lib/flow/flow';
import { CLIENT_PREFIXES, DNS_POLICY_NAME, DNS_PROXY_NAMESPACES, EXTERNAL_HOSTS } from './cluster-spec';
import {
  deliver, dnsQuery, httpExchange, icmpEcho, kafkaExchange, synDeniedAtIngress, tcpClose, tcpExchange, tcpOpen, udpExchange,
  type DnsQuestion,
} from './conversations';
import { playDenied, playMiscDrop } from './drop-scenarios';
import { incidentBit } from './incidents';
import { Conv, sockTranslation, type SecondSink } from './observations';
import type { Prng } from './prng';
import { POLICY_REVISION, type Entity, type TopoPod, type TopoService, type TopoWorkload, type Topology } from './topology';
import type { DnsTarget, HttpCall, MixEntry, TrafficMix } from './traffic-mix';

const POLICY_CHANGE = incidentBit('policy-change');
const BACKEND_503 = incidentBit('backend-503');
const MS = 1_000_000;
const PSH_ACK = { PSH: true, ACK: true };

export class ConversationRunner {
  private readonly dnsPolicy: Policy[];
  private readonly apiDeniedBy: Policy[];
  private readonly kubeDns: TopoService;
  private readonly kubernetes: TopoService;
  private readonly prometheus: TopoPod;
  private readonly policies = new Map<string, Policy[]>();
  private readonly names = new Map<string, string[]>();

  constructor(readonly topo: Topology, private readonly mix: TrafficMix) {
    this.dnsPolicy = [topo.policy('', DNS_POLICY_NAME)];
    // The incident's update: a new revision of api-ingress that no longer lists frontend.
    this.apiDeniedBy = [{ ...topo.policy('shop', 'api-ingress'), revision: String(POLICY_REVISION + 1) }];
    this.kubeDns = topo.service('kube-system', 'kube-dns');
    this.kubernetes = topo.service('default', 'kubernetes');
    this.prometheus = topo.workload('monitoring', 'prometheus').pods[0];
  }

  /** Emits one conversation into `s`, starting at `s.t` = 0. */
  run(s: SecondSink, rng: Prng, mask: number): void {
    const i = rng.weighted(this.mix.table(mask));
    if (i >= 0) this.play(s, rng, this.mix.entries[i], mask);
  }

  private play(s: SecondSink, rng: Prng, e: MixEntry, mask: number): void {
    switch (e.kind) {
      case 'http': return this.http(s, rng, e, mask);
      case 'tcp': {
        const c = this.conv(rng, rng.pick(e.clients), rng.pick(e.targets), e.port, false, e.service);
        return this.session(s, rng, c, e.service, rng.chance(e.fresh), 1, 3, e.serverMs);
      }
      case 'kafka': return this.kafka(s, rng, e);
      case 'udp': {
        const c = this.conv(rng, rng.pick(e.clients), rng.pick(e.service.backends), e.service.targetPort, true, e.service);
        udpExchange(s, rng, c, false, 0);
        for (let n = rng.int(0, 2); n > 0; n--) deliver(s, rng, c, false, c.l4Fwd, 'UDP', 'ESTABLISHED');
        return;
      }
      case 'dns': {
        const client = rng.pick(e.clients);
        return this.lookup(s, rng, client, this.questions(rng, rng.pick(e.targets)));
      }
      case 'dns-udp': {
        const c = this.conv(rng, rng.pick(e.clients), rng.pick(this.kubeDns.backends), 53, true, this.kubeDns);
        return udpExchange(s, rng, c, true, rng.skewed(300_000, 20 * MS));
      }
      case 'fqdn': return this.fqdn(s, rng, e.clients, rng.pick(e.hosts));
      case 'cidr': {
        const c = this.conv(rng, rng.pick(e.clients), this.topo.world(e.ip), 443, false);
        return this.session(s, rng, c, undefined, true, 1, 2, 90);
      }
      case 'internet': {
        const client = this.topo.world(`${rng.pick(CLIENT_PREFIXES)}${rng.int(2, 254)}`);
        return this.session(s, rng, this.conv(rng, client, rng.pick(e.clients), 443, false), undefined, true, 1, 4, 12);
      }
      case 'scrape': {
        const target = rng.pick(e.targets);
        const c = this.conv(rng, this.prometheus, target.entity, target.port, false);
        c.policyMatchType = 1;
        return this.session(s, rng, c, undefined, rng.chance(0.25), 1, 1, 8);
      }
      case 'health': {
        const a = rng.pick(this.topo.nodes).host;
        const b = rng.pick(this.topo.nodes).health;
        icmpEcho(s, rng, this.conv(rng, a, b, 0, false));
        if (rng.chance(0.5)) this.session(s, rng, this.conv(rng, a, b, 4240, false), undefined, true, 1, 1, 0.3);
        return;
      }
      case 'probe': {
        const target = rng.pick(e.targets);
        const c = this.conv(rng, this.topo.nodes[target.entity.node].host, target.entity, target.port, false);
        return this.session(s, rng, c, undefined, true, 1, 1, 1);
      }
      case 'apiserver': {
        const c = this.conv(rng, rng.pick(e.clients), this.topo.apiserver, this.kubernetes.targetPort, false, this.kubernetes);
        return this.session(s, rng, c, this.kubernetes, rng.chance(0.05), 1, 3, 2);
      }
      case 'denied': return playDenied(this, s, rng);
      case 'misc-drop': return playMiscDrop(this, s, rng);
      case 'audit': {
        const c = this.conv(rng, rng.pick(e.clients), this.topo.world(e.ip), 443, false);
        c.egressVerdict = 'AUDIT';
        c.egressAllowedBy = undefined;
        c.policyMatchType = 0;
        return this.session(s, rng, c, undefined, true, 1, 2, 60);
      }
      case 'dns-failure': {
        const failing = 'payments.payments.svc.cluster.local.';
        const qs: DnsQuestion[] = [];
        if (rng.chance(0.5)) qs.push({ query: 'payments.payments.shop.svc.cluster.local.', qtype: 'A', rcode: 3, ips: [], ttl: 0 });
        for (let n = rng.int(1, 3); n > 0; n--) qs.push({ query: failing, qtype: 'A', rcode: rng.chance(0.6) ? 3 : 2, ips: [], ttl: 0 });
        return this.lookup(s, rng, rng.pick(e.clients), qs);
      }
      default: {
        const unknown: never = e;
        throw new Error(`demo traffic: unknown conversation kind ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** A connection from `a` to `b` with the policy verdicts Cilium would apply to it. */
  conv(rng: Prng, a: Entity, b: Entity, port: number, udp: boolean, service?: TopoService, names?: string[]): Conv {
    const c = new Conv(a, b, udp, 32768 + rng.int(0, 28231), port, service?.ref as Service | undefined, names);
    if (a.kind === 'pod') {
      const allowed = this.policyOf((a as TopoPod).workload, false);
      if (allowed) {
        c.egressVerdict = 'FORWARDED';
        c.egressAllowedBy = allowed;
      }
    }
    if (b.kind === 'pod' && (a.kind === 'pod' || a.kind === 'world')) {
      const w = (b as TopoPod).workload;
      const allowed = this.policyOf(w, true);
      if (allowed) {
        c.ingressProxy = port === (w.spec.l7Ingress === 'kafka' ? 9092 : w.spec.l7Ingress === 'http' ? 8080 : -1);
        c.ingressVerdict = c.ingressProxy ? 'REDIRECTED' : 'FORWARDED';
        c.ingressAllowedBy = allowed;
      }
    }
    return c;
  }

  policyOf(w: TopoWorkload, ingress: boolean): Policy[] | undefined {
    const name = ingress ? w.spec.ingressPolicy : w.spec.egressPolicy;
    if (!name) return undefined;
    const key = `${w.namespace}/${name}`;
    let list = this.policies.get(key);
    if (!list) this.policies.set(key, (list = [this.topo.policy(w.namespace, name)]));
    return list;
  }

  /** DNS names of a service in a pod's DNS proxy cache (only pods behind the DNS proxy have one). */
  private namesOf(key: string, name: string): string[] {
    let list = this.names.get(key);
    if (!list) this.names.set(key, (list = [name]));
    return list;
  }

  /** Opens (optionally, through the socket load balancer), exchanges, and sometimes closes. */
  private session(s: SecondSink, rng: Prng, c: Conv, service: TopoService | undefined, fresh: boolean, min: number, max: number, serverMs: number): void {
    if (fresh) this.open(s, rng, c, service);
    for (let n = rng.int(min, max); n > 0; n--) {
      tcpExchange(s, rng, c, rng.skewed(serverMs * MS, 120 * MS));
      s.t += rng.int(50_000, 3 * MS);
    }
    if (fresh && rng.chance(0.6)) tcpClose(s, rng, c);
  }

  private open(s: SecondSink, rng: Prng, c: Conv, service: TopoService | undefined): void {
    if (service && c.a.kind === 'pod' && rng.chance(0.4)) {
      const pod = c.a as TopoPod;
      const names = this.dnsNamesFor(pod, service);
      sockTranslation(s, c, service.clusterIp, service.port, names, pod.cgroupId, String(rng.u32() * 64 + rng.int(0, 63)));
      s.t += rng.int(2_000, 20_000);
    }
    tcpOpen(s, rng, c);
  }

  private dnsNamesFor(pod: TopoPod, service: TopoService): string[] | undefined {
    if (!DNS_PROXY_NAMESPACES.has(pod.namespace)) return undefined;
    return this.namesOf(service.dnsName, service.dnsName.slice(0, -1));
  }

  private http(s: SecondSink, rng: Prng, e: Extract<MixEntry, { kind: 'http' }>, mask: number): void {
    const c = this.conv(rng, rng.pick(e.clients), rng.pick(e.service.backends), e.service.targetPort, false, e.service);
    if (e.tag === 'frontend-api' && mask & POLICY_CHANGE) {
      synDeniedAtIngress(s, rng, c, this.apiDeniedBy);
      return;
    }
    const fresh = rng.chance(0.3);
    if (fresh) this.open(s, rng, c, e.service);
    for (let n = rng.int(1, fresh ? 3 : 2); n > 0; n--) {
      const call = rng.pick(e.calls);
      const path = call.path.includes('{id}') ? call.path.split('{id}').join(String(rng.int(100, 99_999))) : call.path;
      if (rng.chance(0.2)) deliver(s, rng, c, false, { TCP: { source_port: c.sport, destination_port: c.dport, flags: PSH_ACK } }, 'TCP Flags: ACK, PSH', 'ESTABLISHED');
      const [code, latencyNs] = this.outcome(rng, e, call, mask);
      httpExchange(s, c, call.method, `http://${e.authority}${path}`, code, latencyNs);
      s.t += rng.int(100_000, 5 * MS);
    }
    if (fresh && rng.chance(0.6)) tcpClose(s, rng, c);
  }

  private outcome(rng: Prng, e: Extract<MixEntry, { kind: 'http' }>, call: HttpCall, mask: number): [number, number] {
    const latencyNs = rng.skewed(e.latencyMs * MS, 250 * MS);
    if (mask & BACKEND_503) {
      if (e.tag === 'api-checkout' && rng.chance(0.85)) return [503, rng.skewed(60 * MS, 250 * MS)];
      if (e.tag === 'frontend-api' && rng.chance(0.45)) return [503, rng.skewed(70 * MS, 250 * MS)];
    }
    if (mask & POLICY_CHANGE && e.tag === 'ingress-frontend' && rng.chance(0.35)) return [502, rng.skewed(30 * MS, 250 * MS)];
    const r = rng.next();
    if (r < 0.02 && call.method === 'GET' && call.path.includes('{id}')) return [404, latencyNs];
    return [r > 0.997 ? 500 : call.code, latencyNs];
  }

  private kafka(s: SecondSink, rng: Prng, e: Extract<MixEntry, { kind: 'kafka' }>): void {
    const c = this.conv(rng, rng.pick(e.clients), rng.pick(e.service.backends), e.service.targetPort, false, e.service);
    if (rng.chance(0.05)) this.open(s, rng, c, e.service);
    const produce = e.apiKey === 'produce';
    for (let n = produce ? rng.int(1, 3) : 1; n > 0; n--) {
      const brokerNs = produce ? rng.skewed(2 * MS, 60 * MS) : rng.skewed(80 * MS, 500 * MS);
      kafkaExchange(s, c, e.apiKey, produce ? 9 : 12, rng.int(1, 2_000_000), e.topic, brokerNs);
      s.t += rng.int(50_000, 2 * MS);
    }
  }

  private questions(rng: Prng, target: DnsTarget): DnsQuestion[] {
    const qs: DnsQuestion[] = [];
    if (rng.chance(0.35)) for (const miss of target.misses) qs.push({ query: miss, qtype: 'A', rcode: 3, ips: [], ttl: 0 });
    qs.push({ query: target.query, qtype: 'A', rcode: 0, ips: target.ips, ttl: target.ttl - rng.int(0, 5) });
    if (rng.chance(0.3)) qs.push({ query: target.query, qtype: 'AAAA', rcode: 0, ips: [], ttl: 0 });
    return qs;
  }

  /** A lookup through the DNS proxy on the client's node. */
  private lookup(s: SecondSink, rng: Prng, client: TopoPod, qs: DnsQuestion[]): void {
    const c = this.conv(rng, client, rng.pick(this.kubeDns.backends), 53, true, this.kubeDns);
    c.egressProxy = true;
    c.egressVerdict = 'REDIRECTED';
    c.egressAllowedBy = this.dnsPolicy;
    for (let i = 0; i < qs.length; i++) {
      dnsQuery(s, rng, c, qs[i], i === 0);
      s.t += rng.int(20_000, 400_000);
    }
  }

  private fqdn(s: SecondSink, rng: Prng, clients: readonly TopoPod[], host: string): void {
    const client = rng.pick(clients);
    const ips = EXTERNAL_HOSTS[host];
    if (rng.chance(0.4)) {
      const ns = client.namespace;
      const misses = [`${host}.${ns}.svc.cluster.local.`, `${host}.svc.cluster.local.`, `${host}.cluster.local.`];
      this.lookup(s, rng, client, this.questions(rng, { query: `${host}.`, ips: ips as string[], ttl: 60, misses }));
    }
    const c = this.conv(rng, client, this.topo.world(rng.pick(ips)), 443, false, undefined, this.namesOf(host, host));
    this.session(s, rng, c, undefined, true, 1, 3, 45);
  }
}
