import { beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/flow/flow';
import { DropReason } from '../../lib/flow/drop-reasons';
import { TraceObservationPoint } from '../../lib/flow/enums';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { flowsResponseFromPb, flowsResponseToPb, type PbObject } from '../hubble/flow-pb';
import { loadHubbleProto } from '../hubble/load-proto';
import { formatTimestamp, parseTimestamp, timestampToMs } from '../../lib/time/timestamp';
import { createDemoTraffic } from './traffic';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FLOW_KEYS = new Set([
  'time', 'uuid', 'verdict', 'drop_reason', 'auth_type', 'ethernet', 'IP', 'l4', 'tunnel', 'source', 'destination', 'Type',
  'node_name', 'node_labels', 'source_names', 'destination_names', 'l7', 'reply', 'event_type', 'source_service',
  'destination_service', 'traffic_direction', 'policy_match_type', 'trace_observation_point', 'trace_reason', 'file',
  'drop_reason_desc', 'is_reply', 'debug_capture_point', 'interface', 'proxy_port', 'trace_context', 'sock_xlate_point',
  'socket_cookie', 'cgroup_id', 'ip_trace_id', 'emitter', 'Summary', 'egress_allowed_by', 'ingress_allowed_by',
  'egress_denied_by', 'ingress_denied_by', 'policy_log',
]);

function hasUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasUndefined);
}

describe('demo traffic: determinism', () => {
  it('gives identical JSON for the same seed and window', () => {
    const a = createDemoTraffic({ seed: 42, rateFlowsPerS: 500 }).flowsBetween(T0, T0 + 3000);
    const b = createDemoTraffic({ seed: 42, rateFlowsPerS: 500 }).flowsBetween(T0, T0 + 3000);
    expect(a.length).toBeGreaterThan(1000);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives the same flows however the window is sliced', () => {
    const src = createDemoTraffic({ seed: 9, rateFlowsPerS: 300 });
    const whole = src.flowsBetween(T0 + 250, T0 + 4750);
    const cuts = [T0 + 250, T0 + 1000, T0 + 1333.5, T0 + 2999, T0 + 4000, T0 + 4750];
    const sliced = cuts.slice(1).flatMap((to, i) => src.flowsBetween(cuts[i], to));
    expect(JSON.stringify(sliced)).toBe(JSON.stringify(whole));
    for (const f of whole) {
      const ms = timestampToMs(parseTimestamp(f.time!)!);
      expect(ms).toBeGreaterThanOrEqual(T0 + 250);
      expect(ms).toBeLessThan(T0 + 4750);
    }
  });

  it('differs with a different seed', () => {
    const a = createDemoTraffic({ seed: 1, rateFlowsPerS: 200 }).flowsBetween(T0, T0 + 1000);
    const b = createDemoTraffic({ seed: 2, rateFlowsPerS: 200 }).flowsBetween(T0, T0 + 1000);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(a[0].uuid).not.toBe(b[0].uuid);
  });

  it('keeps about rateFlowsPerS flows in every second, sorted by time', () => {
    const src = createDemoTraffic({ seed: 5, rateFlowsPerS: 1000 });
    for (let k = 0; k < 20; k++) {
      const flows = src.flowsOfSecond(T0 / 1000 + k);
      expect(flows.length).toBeGreaterThanOrEqual(900);
      expect(flows.length).toBeLessThanOrEqual(1100);
      for (let i = 1; i < flows.length; i++) expect(flows[i - 1].time! <= flows[i].time!).toBe(true);
    }
    expect(createDemoTraffic({ seed: 5, rateFlowsPerS: 0 }).flowsBetween(T0, T0 + 5000)).toEqual([]);
    expect(src.flowsBetween(T0 + 5000, T0)).toEqual([]);
  });

  it('describes itself as a TrafficSource', () => {
    const src = createDemoTraffic({ seed: 1, rateFlowsPerS: 10, clusterName: 'lab' });
    expect(src.clusterName).toBe('lab');
    expect(src.nodes.map((n) => n.name)).toContain('lab/worker-1');
    expect(src.namespaces).toEqual(expect.arrayContaining(['shop', 'payments', 'data', 'ci', 'kube-system', 'monitoring']));
    for (const f of src.flowsBetween(T0, T0 + 5000)) expect(src.nodes.map((n) => n.name)).toContain(f.node_name);
  });
});

describe('demo traffic: a five-minute window looks like a Cilium cluster', () => {
  let flows: Flow[];
  const src = createDemoTraffic({ seed: 2024, rateFlowsPerS: 200, defaultTimeline: false });
  const podNode = new Map(src.topology.workloads.flatMap((w) => w.pods.map((p) => [p.name, src.topology.nodes[p.node].fullName] as const)));
  beforeAll(() => {
    flows = src.flowsBetween(T0, T0 + 5 * 60_000);
  });

  it('has every verdict', () => {
    const verdicts = new Set(flows.map((f) => f.verdict));
    for (const v of ['FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'TRACED']) expect(verdicts).toContain(v);
    expect(flows.filter((f) => f.verdict === 'FORWARDED').length / flows.length).toBeGreaterThan(0.8);
  });

  it('has the common fields on every flow, only Flow fields, nothing undefined', () => {
    // Plain checks collected per flow: tens of thousands of expect() calls would dominate the run.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, f: Flow) => {
      if (!ok && problems.length < 10) problems.push(`${what}: ${JSON.stringify(f).slice(0, 300)}`);
    };
    const uuids = new Set<string>();
    for (const f of flows) {
      for (const key of Object.keys(f)) check(FLOW_KEYS.has(key), `unknown field ${key}`, f);
      check(!hasUndefined(f), 'undefined value', f);
      check(UUID.test(f.uuid ?? ''), 'uuid', f);
      uuids.add(f.uuid!);
      check(formatTimestamp(parseTimestamp(f.time!)!) === f.time, 'time', f);
      check(f.IP?.ipVersion === 'IPv4' && !!f.source && !!f.destination && !!f.Summary && (f.event_type?.type ?? 0) > 0, 'basics', f);
      check(!!f.node_labels?.includes(`kubernetes.io/hostname=${f.node_name!.split('/')[1]}`), 'node_labels', f);
      for (const ep of [f.source!, f.destination!]) {
        if (ep.pod_name) check(ep.cluster_name === 'demo' && (ep.identity ?? 0) >= 256 && ep.workloads?.length === 1, 'pod endpoint', f);
      }
    }
    expect(problems).toEqual([]);
    expect(uuids.size).toBe(flows.length);
  });

  it('reads back through the jsonpb parser unchanged and without warnings', () => {
    for (const f of flows.filter((_, i) => i % 7 === 0)) {
      const { response, warnings } = flowsResponseFromJson(JSON.stringify({ flow: f, node_name: f.node_name, time: f.time }));
      if (warnings.length || JSON.stringify(response.flow) !== JSON.stringify(f)) {
        expect({ warnings, flow: response.flow }).toEqual({ warnings: [], flow: f });
      }
    }
  });

  it('survives the protobuf wire (GetFlowsResponse) unchanged', () => {
    const method = loadHubbleProto().observerService.GetFlows;
    const sorted = (x: unknown): unknown => (Array.isArray(x) ? x.map(sorted) : x && typeof x === 'object'
      ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])])) : x);
    for (const f of flows.filter((_, i) => i % 11 === 0)) {
      const response = { flow: f, node_name: f.node_name, time: f.time };
      const back = flowsResponseFromPb(method.responseDeserialize(method.responseSerialize(flowsResponseToPb(response))) as PbObject);
      if (JSON.stringify(sorted(back)) !== JSON.stringify(sorted(response))) expect(sorted(back)).toEqual(sorted(response));
    }
  });

  it('drops with a reason, the deprecated code and the drop event sub-type; policy drops name the policy', () => {
    const dropped = flows.filter((f) => f.verdict === 'DROPPED');
    expect(dropped.length).toBeGreaterThan(0);
    const reasons = new Set(dropped.map((f) => f.drop_reason_desc));
    expect(reasons).toContain('POLICY_DENIED');
    expect(reasons.size).toBeGreaterThanOrEqual(3);
    for (const f of dropped) {
      expect(f.drop_reason).toBe(DropReason.byName.get(f.drop_reason_desc as string));
      if (f.event_type!.type === 1) expect(f.event_type!.sub_type).toBe(f.drop_reason);
      else expect(f.event_type!.type).toBe(5);
      expect(f.is_reply).toBeUndefined();
      if (f.drop_reason_desc === 'POLICY_DENIED') {
        const by = f.ingress_denied_by ?? f.egress_denied_by;
        expect(by?.[0]?.kind).toBe('CiliumNetworkPolicy');
        expect(by?.[0]?.labels).toContain(`k8s:io.cilium.k8s.policy.name=${by?.[0]?.name}`);
        expect(f.traffic_direction).toBe(f.ingress_denied_by ? 'INGRESS' : 'EGRESS');
      }
    }
  });

  it('reports trace observation points, directions and nodes as Hubble does', () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string, f: Flow) => {
      if (!ok && problems.length < 10) problems.push(`${what}: ${JSON.stringify(f).slice(0, 400)}`);
    };
    const traces = flows.filter((f) => f.event_type!.type === 4);
    for (const f of traces) {
      const sub = f.event_type!.sub_type ?? 0;
      check(TraceObservationPoint.byName.get(f.trace_observation_point as string) === (sub === 0 ? 101 : sub), 'sub_type', f);
      check(f.is_reply === (f.trace_reason === 'REPLY'), 'reason', f);
      // Hubble's rule: EGRESS when the observing endpoint is the packet's source, inverted for replies.
      const [toEndpoint, fromEndpoint] = f.is_reply ? ['EGRESS', 'INGRESS'] : ['INGRESS', 'EGRESS'];
      if (f.trace_observation_point === 'TO_ENDPOINT') {
        check(f.traffic_direction === toEndpoint, 'to-endpoint direction', f);
        check(!f.destination!.pod_name || f.node_name === podNode.get(f.destination!.pod_name), 'to-endpoint node', f);
        check((f.destination!.ID ?? 0) > 0, 'to-endpoint local ID', f);
      }
      if (f.trace_observation_point === 'FROM_ENDPOINT') {
        check(f.traffic_direction === fromEndpoint, 'from-endpoint direction', f);
        check(!f.source!.pod_name || f.node_name === podNode.get(f.source!.pod_name), 'from-endpoint node', f);
        check((f.source!.ID ?? 0) > 0, 'from-endpoint local ID', f);
      }
    }
    expect(problems).toEqual([]);
    const points = new Set(traces.map((f) => f.trace_observation_point));
    for (const p of ['TO_ENDPOINT', 'FROM_ENDPOINT', 'TO_PROXY', 'TO_STACK', 'TO_OVERLAY']) expect(points).toContain(p);
    expect(new Set(traces.map((f) => f.trace_reason))).toEqual(new Set(['NEW', 'ESTABLISHED', 'REPLY']));
    const nonReply = traces.filter((f) => !f.is_reply);
    expect(nonReply.filter((f) => f.trace_observation_point === 'TO_ENDPOINT').every((f) => f.traffic_direction === 'INGRESS')).toBe(true);
    expect(nonReply.filter((f) => f.trace_observation_point === 'FROM_ENDPOINT').every((f) => f.traffic_direction === 'EGRESS')).toBe(true);
  });

  it('observes a cross-node pod-to-pod packet on both nodes', () => {
    const syn = flows.find((f) => f.trace_observation_point === 'FROM_ENDPOINT' && f.l4?.TCP?.flags?.SYN && !f.l4.TCP.flags.ACK
      && f.destination?.pod_name && podNode.get(f.destination.pod_name) !== f.node_name)!;
    expect(syn).toBeDefined();
    const arrival = flows.find((f) => f.trace_observation_point === 'TO_ENDPOINT' && f.IP?.source === syn.IP?.source
      && f.l4?.TCP?.source_port === syn.l4?.TCP?.source_port && f.l4?.TCP?.flags?.SYN)!;
    expect(arrival.node_name).toBe(podNode.get(syn.destination!.pod_name!));
    expect(arrival.node_name).not.toBe(syn.node_name);
  });

  it('has TCP handshakes and teardowns, UDP, ICMP echo and replies', () => {
    const summaries = new Set(flows.map((f) => f.Summary));
    for (const s of ['TCP Flags: SYN', 'TCP Flags: SYN, ACK', 'TCP Flags: ACK', 'TCP Flags: ACK, PSH', 'TCP Flags: ACK, FIN', 'UDP', 'ICMPv4 EchoRequest', 'ICMPv4 EchoReply']) {
      expect(summaries).toContain(s);
    }
    const synAck = flows.find((f) => f.Summary === 'TCP Flags: SYN, ACK')!;
    expect(synAck.is_reply).toBe(true);
    expect(synAck.l4?.TCP?.flags).toEqual({ SYN: true, ACK: true });
  });

  it('has L7 HTTP, DNS and Kafka records as the proxy logs them', () => {
    const l7 = flows.filter((f) => f.Type === 'L7');
    for (const f of l7) {
      expect(f.event_type).toEqual({ type: 129 });
      expect(f.verdict).toBe('FORWARDED');
      expect(f.is_reply).toBe(f.l7!.type === 'RESPONSE');
    }
    const req = l7.find((f) => f.l7?.http && f.l7.type === 'REQUEST')!;
    expect(req.Summary).toBe(`HTTP/1.1 ${req.l7!.http!.method} ${req.l7!.http!.url}`);
    const resp = l7.find((f) => f.l7?.http && f.l7.type === 'RESPONSE')!;
    expect(resp.l7!.latency_ns).toMatch(/^\d+$/);
    const ms = Math.floor(Number(resp.l7!.latency_ns) / 1e6);
    expect(resp.Summary).toBe(`HTTP/1.1 ${resp.l7!.http!.code} ${ms}ms (${resp.l7!.http!.method} ${resp.l7!.http!.url})`);
    expect(l7.some((f) => f.l7?.http?.url?.startsWith('http://api.shop:8080/v1/'))).toBe(true);
    const dns = l7.filter((f) => f.l7?.dns);
    expect(dns.length).toBeGreaterThan(0);
    for (const f of dns) {
      expect(f.l7!.dns!.query).toMatch(/\.$/);
      expect(f.l7!.dns!.observation_source).toBe('proxy');
      expect(f.l7!.dns!.qtypes?.length).toBe(1);
      expect(f.destination_service ?? f.source_service).toEqual({ name: 'kube-dns', namespace: 'kube-system' });
    }
    expect(dns.some((f) => f.l7!.dns!.rcode === 3 && f.Summary!.includes('RCode: Non-Existent Domain'))).toBe(true);
    expect(dns.some((f) => (f.l7!.dns!.ips?.length ?? 0) > 0)).toBe(true);
    const kafka = l7.filter((f) => f.l7?.kafka);
    expect(kafka.some((f) => f.l7!.kafka!.api_key === 'produce' && f.l7!.kafka!.topic)).toBe(true);
    expect(kafka.some((f) => f.l7!.kafka!.api_key === 'fetch')).toBe(true);
  });

  it('has policy verdicts with the matching policy, and redirects to the proxy', () => {
    const verdicts = flows.filter((f) => f.event_type!.type === 5 && f.verdict !== 'DROPPED');
    for (const f of verdicts) {
      expect(f.is_reply).toBe(false);
      if (f.verdict === 'AUDIT') {
        // Audit mode reports what would have been denied: no rule matched, no policy allowed it.
        expect(f.policy_match_type).toBeUndefined();
        expect(f.egress_allowed_by).toBeUndefined();
        continue;
      }
      expect(f.policy_match_type).toBeGreaterThan(0);
      expect(f.ingress_allowed_by ?? f.egress_allowed_by).toBeDefined();
    }
    expect(verdicts.some((f) => f.verdict === 'REDIRECTED' && f.ingress_allowed_by)).toBe(true);
    expect(verdicts.some((f) => f.verdict === 'REDIRECTED' && f.egress_allowed_by?.[0]?.kind === 'CiliumClusterwideNetworkPolicy')).toBe(true);
    expect(flows.some((f) => f.verdict === 'AUDIT' && f.event_type!.type === 5)).toBe(true);
  });

  it('reaches the internet by name and by CIDR, and services by name', () => {
    const named = flows.filter((f) => f.destination_names?.length && f.destination!.identity === 2);
    expect(named.some((f) => f.destination_names!.includes('api.stripe.com'))).toBe(true);
    expect(named.some((f) => f.destination_names!.includes('github.com'))).toBe(true);
    expect(flows.some((f) => f.IP?.destination?.startsWith('203.0.113.') && !f.destination_names && f.destination!.labels?.[0] === 'reserved:world')).toBe(true);
    expect(flows.some((f) => f.destination_service?.name === 'api' && f.destination_service.namespace === 'shop')).toBe(true);
    expect(flows.some((f) => f.Type === 'SOCK' && f.verdict === 'TRACED' && f.destination_service)).toBe(true);
  });

  it('has cluster infrastructure traffic: scraping, health checks, the API server', () => {
    expect(flows.some((f) => f.source?.pod_name === 'prometheus-0' && f.l4?.TCP?.destination_port === 9100)).toBe(true);
    expect(flows.some((f) => f.destination?.labels?.[0] === 'reserved:health' && f.l4?.ICMPv4)).toBe(true);
    expect(flows.some((f) => f.source?.identity === 1 && f.destination?.identity === 7 && f.l4?.TCP?.destination_port === 6443)).toBe(true);
    expect(flows.some((f) => f.source?.identity === 6)).toBe(true);
    expect(flows.some((f) => f.source?.workloads?.[0]?.kind === 'DaemonSet')).toBe(true);
    expect(flows.some((f) => f.destination?.workloads?.[0]?.kind === 'StatefulSet')).toBe(true);
  });
});

describe('demo traffic: throughput', () => {
  it('generates a million flows quickly', () => {
    const src = createDemoTraffic({ seed: 77, rateFlowsPerS: 100_000, defaultTimeline: false });
    const start = performance.now();
    let n = 0;
    for (let k = 0; n < 1_000_000; k++) n += src.flowsOfSecond(T0 / 1000 + k).length;
    const seconds = (performance.now() - start) / 1000;
    const rate = n / seconds;
    console.log(`demo traffic: ${n} flows in ${seconds.toFixed(2)} s = ${Math.round(rate)} flows/s`);
    expect(rate).toBeGreaterThan(100_000);
  }, 60_000);
});
