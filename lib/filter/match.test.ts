import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Flow } from '../flow/flow';
import { FilterError } from './filter-error';
import { FLOW_FILTER_FIELDS, type FlowFilter, type FlowFilterField } from './flow-filter';
import { compileFilters, compileFlowFilter, matchesFilter } from './match';

const tcp: Flow = {
  uuid: 'u-1',
  verdict: 'FORWARDED',
  IP: { source: '10.0.1.5', destination: '10.0.2.7', ipVersion: 'IPv4', source_xlated: '192.168.0.9' },
  l4: { TCP: { source_port: 41000, destination_port: 8080, flags: { SYN: true, ACK: true } } },
  source: {
    ID: 11, identity: 1234, namespace: 'kube-system', pod_name: 'coredns-5d78c9869d-abcde', cluster_name: 'prod',
    labels: ['k8s:k8s-app=kube-dns', 'k8s:io.kubernetes.pod.namespace=kube-system'],
    workloads: [{ name: 'coredns', kind: 'Deployment' }],
  },
  destination: {
    identity: 5678, namespace: 'default', pod_name: 'deathstar-7848d6c4d5-th9v2', cluster_name: 'prod',
    labels: ['k8s:app=deathstar', 'k8s:org=empire'], workloads: [{ name: 'deathstar', kind: 'Deployment' }],
  },
  destination_service: { name: 'deathstar', namespace: 'default' },
  Type: 'L3_L4',
  node_name: 'prod/kind-worker',
  node_labels: ['kubernetes.io/hostname=kind-worker'],
  event_type: { type: 4, sub_type: 3 },
  traffic_direction: 'EGRESS',
  is_reply: false,
  interface: { index: 7, name: 'eth0' },
  trace_context: { parent: { trace_id: 'abc123' } },
};

const http: Flow = {
  verdict: 'FORWARDED',
  IP: { source: '10.0.1.5', destination: '10.0.2.7', ipVersion: 'IPv4' },
  l4: { TCP: { source_port: 41000, destination_port: 80 } },
  source: { identity: 1234, namespace: 'default', pod_name: 'xwing' },
  destination: { identity: 5678, namespace: 'default', pod_name: 'deathstar-1' },
  Type: 'L7',
  l7: {
    type: 'RESPONSE',
    http: {
      code: 503, method: 'GET', url: 'http://deathstar.default.svc:80/v1/request-landing?x=metrics',
      headers: [{ key: 'X-Request-Id', value: 'r-1' }],
    },
  },
  event_type: { type: 129 },
  is_reply: true,
};

const dns: Flow = {
  verdict: 'FORWARDED',
  IP: { source: '10.0.1.5', destination: '10.96.0.10', ipVersion: 'IPv4' },
  l4: { UDP: { source_port: 53000, destination_port: 53 } },
  source: { namespace: 'default', pod_name: 'xwing' },
  destination: { identity: 2, labels: ['reserved:world'] },
  destination_names: ['www.cilium.io'],
  l7: { type: 'REQUEST', dns: { query: 'www.cilium.io.' } },
  event_type: { type: 129 },
  is_reply: false,
};

const plainDNS: Flow = { ...dns, l7: undefined, Type: 'L3_L4', event_type: { type: 4 } };

const drop: Flow = {
  verdict: 'DROPPED',
  drop_reason_desc: 'POLICY_DENIED',
  IP: { source: '2001:db8::5', destination: '2001:db8:1::7', ipVersion: 'IPv6' },
  l4: { ICMPv6: { type: 128 } },
  source: { identity: 2, labels: ['reserved:world'] },
  destination: { namespace: 'default', pod_name: 'deathstar-1' },
  event_type: { type: 1, sub_type: 133 },
  node_name: 'kind-control-plane',
  traffic_direction: 'INGRESS',
};

const bare: Flow = {};

type Case = [string, FlowFilter, Flow, boolean];

function table(cases: Case[]): void {
  it.each(cases)('%s', (_name, filter, flow, expected) => {
    expect(matchesFilter(flow, filter)).toBe(expected);
  });
}

describe('pods and services', () => {
  table([
    ['bare pod name means namespace default', { source_pod: ['coredns'] }, tcp, false],
    ['ns/prefix', { source_pod: ['kube-system/coredns'] }, tcp, true],
    ['/prefix is any namespace', { source_pod: ['/coredns'] }, tcp, true],
    ['ns/ is any pod in ns', { source_pod: ['kube-system/'] }, tcp, true],
    ['/ is any endpoint with a namespace', { source_pod: ['/'] }, tcp, true],
    ['/ never matches an endpoint without namespace or pod', { source_pod: ['/'] }, drop, false],
    ['other namespace', { source_pod: ['default/'] }, tcp, false],
    ['values are ORed', { source_pod: ['default/x', 'kube-system/core'] }, tcp, true],
    ['bare name in default', { destination_pod: ['deathstar'] }, tcp, true],
    ['extra slashes are ignored', { destination_pod: ['default/deathstar/whatever'] }, tcp, true],
    ['service', { destination_service: ['deathstar'] }, tcp, true],
    ['service ignores pods', { source_service: ['kube-system/'] }, tcp, false],
  ]);
});

describe('IPs', () => {
  table([
    ['exact', { source_ip: ['10.0.1.5'] }, tcp, true],
    ['exact other', { source_ip: ['10.0.1.6'] }, tcp, false],
    ['CIDR', { destination_ip: ['10.0.0.0/16'] }, tcp, true],
    ['unmasked CIDR', { destination_ip: ['10.0.9.9/16'] }, tcp, true],
    ['CIDR outside', { destination_ip: ['10.1.0.0/16'] }, tcp, false],
    ['IPv6 CIDR', { source_ip: ['2001:db8::/48'] }, drop, true],
    ['IPv6 exact is string equality', { source_ip: ['2001:0db8::5'] }, drop, false],
    ['IPv4 CIDR never contains IPv6', { source_ip: ['0.0.0.0/0'] }, drop, false],
    ['no IP layer', { source_ip: ['0.0.0.0/0'] }, bare, false],
    ['source_ip_xlated', { source_ip_xlated: ['192.168.0.0/24'] }, tcp, true],
    ['source_ip_xlated absent', { source_ip_xlated: ['192.168.0.0/24'] }, http, false],
    ['ip_version', { ip_version: ['IPv6'] }, drop, true],
    ['ip_version by number', { ip_version: [1] }, tcp, true],
    ['IP_NOT_USED matches flows without IP', { ip_version: ['IP_NOT_USED'] }, bare, true],
  ]);
});

describe('labels, identities, workloads, clusters', () => {
  table([
    ['source label', { source_label: ['k8s-app=kube-dns'] }, tcp, true],
    ['source label with source prefix', { source_label: ['k8s:k8s-app=kube-dns'] }, tcp, true],
    ['destination label AND within selector', { destination_label: ['app=deathstar,org=empire'] }, tcp, true],
    ['destination label mismatch', { destination_label: ['org=alliance'] }, tcp, false],
    ['reserved label', { destination_label: ['reserved:world'] }, dns, true],
    ['negated label on labelless endpoint', { source_label: ['!app'] }, http, true],
    ['node label', { node_labels: ['kubernetes.io/hostname=kind-worker'] }, tcp, true],
    ['source identity', { source_identity: [1234] }, tcp, true],
    ['destination identity', { destination_identity: [1] }, tcp, false],
    ['identity 0 matches an endpoint without identity', { source_identity: [0] }, dns, true],
    ['identity never matches a missing endpoint', { source_identity: [0] }, bare, false],
    ['workload name and kind', { source_workload: [{ name: 'coredns', kind: 'Deployment' }] }, tcp, true],
    ['workload kind only', { destination_workload: [{ kind: 'Deployment' }] }, tcp, true],
    ['workload kind mismatch', { destination_workload: [{ name: 'deathstar', kind: 'StatefulSet' }] }, tcp, false],
    ['workload on endpoint without workloads', { source_workload: [{ name: 'xwing' }] }, http, false],
    ['source cluster', { source_cluster_name: ['prod'] }, tcp, true],
    ['destination cluster mismatch', { destination_cluster_name: ['dev'] }, tcp, false],
  ]);
});

describe('FQDNs and DNS', () => {
  table([
    ['*.io matches www.cilium.io', { destination_fqdn: ['*.io'] }, dns, true],
    ['exact name', { destination_fqdn: ['www.cilium.io'] }, dns, true],
    ['source side has no names', { source_fqdn: ['*'] }, dns, false],
    ['dns_query regexp, unanchored', { dns_query: ['cilium'] }, dns, true],
    ['dns_query anchored', { dns_query: ['^cilium'] }, dns, false],
    ['dns_query on a non-DNS flow', { dns_query: ['.*'] }, tcp, false],
  ]);
});

describe('HTTP', () => {
  table([
    ['status exact', { http_status_code: ['503'] }, http, true],
    ['status prefix N+', { http_status_code: ['5+'] }, http, true],
    ['status prefix NN+', { http_status_code: ['50+'] }, http, true],
    ['status other prefix', { http_status_code: ['2+', '404'] }, http, false],
    ['status on non-HTTP flow', { http_status_code: ['5+'] }, tcp, false],
    ['status with code 0', { http_status_code: ['1+'] }, { ...http, l7: { http: { method: 'GET' } } }, false],
    ['method is case-insensitive', { http_method: ['get'] }, http, true],
    ['method mismatch', { http_method: ['POST'] }, http, false],
    ['path regexp on the path only', { http_path: ['^/v1/request-landing$'] }, http, true],
    ['path ignores the query', { http_path: ['metrics'] }, http, false],
    ['url regexp on the whole URL', { http_url: ['metrics'] }, http, true],
    ['url anchored', { http_url: ['^http://deathstar'] }, http, true],
    ['header exact', { http_header: [{ key: 'X-Request-Id', value: 'r-1' }] }, http, true],
    ['header value differs', { http_header: [{ key: 'X-Request-Id', value: 'r-2' }] }, http, false],
    ['header key is case-sensitive', { http_header: [{ key: 'x-request-id', value: 'r-1' }] }, http, false],
    ['http with an l7 event type', { http_status_code: ['503'], event_type: [{ type: 129 }] }, http, true],
  ]);

  it.each([
    [{ http_status_code: ['2xx'] }, /http_status_code: invalid http status code "2xx"/],
    [{ http_status_code: ['600'] }, /invalid http status code "600"/],
    [{ http_status_code: ['5'] }, /invalid http status code "5"/],
    [{ http_status_code: ['5++'] }, /invalid http status code/],
    [{ http_status_code: ['1000'] }, /invalid http status code/],
    [{ http_path: ['(a'] }, /http_path: invalid regexp/],
    [{ http_url: ['a**'] }, /http_url: invalid regexp/],
  ] as [FlowFilter, RegExp][])('rejects %j', (filter, message) => {
    expect(() => compileFlowFilter(filter)).toThrow(message);
  });

  it.each(['http_status_code', 'http_method', 'http_path', 'http_url', 'http_header'] as const)(
    '%s with an event_type list lacking l7 (129) is an error',
    (field) => {
      const value = field === 'http_header' ? [{ key: 'a', value: 'b' }] : field === 'http_status_code' ? ['200'] : ['x'];
      const filter = { [field]: value, event_type: [{ type: 4 }] } as FlowFilter;
      expect(() => compileFlowFilter(filter)).toThrow(FilterError);
      expect(() => compileFlowFilter(filter)).toThrow(new RegExp(`^${field}: filtering by`));
    },
  );
});

describe('protocols and ports', () => {
  table([
    ['tcp', { protocol: ['tcp'] }, tcp, true],
    ['TCP is case-insensitive', { protocol: ['TCP'] }, tcp, true],
    ['udp on a DNS flow', { protocol: ['udp'] }, dns, true],
    ['dns on an L7 DNS flow', { protocol: ['dns'] }, dns, true],
    ['dns on a plain UDP/53 flow', { protocol: ['dns'] }, plainDNS, false],
    ['http', { protocol: ['http'] }, http, true],
    ['icmp covers ICMPv6', { protocol: ['icmp'] }, drop, true],
    ['icmpv4 does not', { protocol: ['icmpv4'] }, drop, false],
    ['kafka', { protocol: ['kafka'] }, http, false],
    ['ORed', { protocol: ['udp', 'tcp'] }, tcp, true],
    ['destination port', { destination_port: ['8080'] }, tcp, true],
    ['leading zeros', { destination_port: ['080'] }, http, true],
    ['UDP port', { destination_port: ['53'] }, dns, true],
    ['source port', { source_port: ['53'] }, dns, false],
    ['ICMP has no ports', { destination_port: ['0'] }, drop, false],
    ['TCP without port is port 0', { destination_port: ['0'] }, { l4: { TCP: {} } }, true],
  ]);

  it.each([
    [{ protocol: ['foo'] }, /protocol: unknown protocol "foo"/],
    [{ destination_port: ['65536'] }, /destination_port: invalid port "65536"/],
    [{ source_port: ['http'] }, /source_port: invalid port/],
    [{ source_port: ['-1'] }, /invalid port/],
  ] as [FlowFilter, RegExp][])('rejects %j', (filter, message) => {
    expect(() => compileFlowFilter(filter)).toThrow(message);
  });
});

describe('reply', () => {
  const noReply = { ...tcp, is_reply: undefined };
  const dropUnknown = drop;
  const dropReply = { ...drop, is_reply: true };
  const legacyReply: Flow = { ...tcp, is_reply: undefined, reply: true };
  table([
    ['true matches is_reply=true', { reply: [true] }, http, true],
    ['true does not match is_reply=false', { reply: [true] }, tcp, false],
    ['false matches is_reply=false', { reply: [false] }, tcp, true],
    ['false does not match is_reply=true', { reply: [false] }, http, false],
    ['false matches a DROPPED flow without is_reply', { reply: [false] }, dropUnknown, true],
    ['true does not match a DROPPED flow without is_reply', { reply: [true] }, dropUnknown, false],
    ['true matches a DROPPED reply', { reply: [true] }, dropReply, true],
    ['false does not match a forwarded flow without is_reply', { reply: [false] }, noReply, false],
    ['true does not match a forwarded flow without is_reply', { reply: [true] }, noReply, false],
    ['both values still need is_reply', { reply: [true, false] }, noReply, false],
    ['the deprecated reply bool is not read (as in Hubble)', { reply: [true] }, legacyReply, false],
  ]);
});

describe('TCP flags', () => {
  table([
    ['SYN is set in SYN,ACK', { tcp_flags: [{ SYN: true }] }, tcp, true],
    ['all flags of an entry must be set', { tcp_flags: [{ SYN: true, ACK: true }] }, tcp, true],
    ['missing FIN', { tcp_flags: [{ SYN: true, FIN: true }] }, tcp, false],
    ['entries are ORed', { tcp_flags: [{ FIN: true }, { ACK: true }] }, tcp, true],
    ['entries are ORed, none matches', { tcp_flags: [{ FIN: true }, { RST: true }] }, tcp, false],
    ['false flags are ignored', { tcp_flags: [{ SYN: true, FIN: false }] }, tcp, true],
    ['a flow without flags never matches', { tcp_flags: [{}] }, http, false],
    ['non-TCP flow', { tcp_flags: [{ SYN: true }] }, dns, false],
  ]);
});

describe('enums: verdict, event type, direction, drop reason', () => {
  table([
    ['verdict by name', { verdict: ['FORWARDED'] }, tcp, true],
    ['verdict by number', { verdict: [2] }, drop, true],
    ['verdict mismatch', { verdict: ['DROPPED'] }, tcp, false],
    ['VERDICT_UNKNOWN matches flows without a verdict', { verdict: ['VERDICT_UNKNOWN'] }, bare, true],
    ['event type', { event_type: [{ type: 4 }] }, tcp, true],
    ['event type with sub type', { event_type: [{ type: 4, match_sub_type: true, sub_type: 3 }] }, tcp, true],
    ['event sub type mismatch', { event_type: [{ type: 4, match_sub_type: true, sub_type: 0 }] }, tcp, false],
    ['sub type ignored without match_sub_type', { event_type: [{ type: 4, sub_type: 0 }] }, tcp, true],
    ['type 0 is any type', { event_type: [{ type: 0, match_sub_type: true, sub_type: 133 }] }, drop, true],
    ['omitted sub_type is 0', { event_type: [{ type: 129, match_sub_type: true }] }, http, true],
    ['no event_type on the flow', { event_type: [{}] }, bare, false],
    ['traffic direction', { traffic_direction: ['INGRESS'] }, drop, true],
    ['traffic direction mismatch', { traffic_direction: ['INGRESS'] }, tcp, false],
    ['TRAFFIC_DIRECTION_UNKNOWN matches a flow without one', { traffic_direction: ['TRAFFIC_DIRECTION_UNKNOWN'] }, http, true],
    ['drop reason', { drop_reason_desc: ['POLICY_DENIED'] }, drop, true],
    ['drop reason by number', { drop_reason_desc: [133] }, drop, true],
    ['drop reason other', { drop_reason_desc: ['POLICY_DENY'] }, drop, false],
    ['drop reason needs DROPPED', { drop_reason_desc: ['DROP_REASON_UNKNOWN'] }, tcp, false],
  ]);

  it.each([
    [{ verdict: ['forwarded'] }, /verdict: unknown value "forwarded"/],
    [{ drop_reason_desc: ['NOPE'] }, /drop_reason_desc: unknown value "NOPE"/],
    [{ traffic_direction: ['ingress'] }, /traffic_direction: unknown value/],
  ] as unknown as [FlowFilter, RegExp][])('rejects %j', (filter, message) => {
    expect(() => compileFlowFilter(filter)).toThrow(message);
  });
});

describe('node, ids, interface, encryption', () => {
  table([
    ['node name pattern', { node_name: ['kind-*'] }, tcp, true],
    ['node name with cluster', { node_name: ['prod/kind-worker'] }, tcp, true],
    ['node name wrong cluster', { node_name: ['dev/'] }, tcp, false],
    ['flow node without cluster is default/', { node_name: ['default/kind-control-plane'] }, drop, true],
    ['trace id', { trace_id: ['abc123'] }, tcp, true],
    ['trace id mismatch', { trace_id: ['zzz'] }, tcp, false],
    ['empty trace id matches flows without one (as in Hubble)', { trace_id: [''] }, http, true],
    ['uuid', { uuid: ['u-1'] }, tcp, true],
    ['uuid mismatch', { uuid: ['u-2'] }, tcp, false],
    ['interface by name', { interface: [{ name: 'eth0' }] }, tcp, true],
    ['interface by index', { interface: [{ index: 7 }] }, tcp, true],
    ['interface index and name must both match', { interface: [{ index: 7, name: 'eth1' }] }, tcp, false],
    ['empty interface matches any flow with one', { interface: [{}] }, tcp, true],
    ['no interface on the flow', { interface: [{}] }, http, false],
    ['ip_trace_id', { ip_trace_id: ['42'] }, { ip_trace_id: { trace_id: '42' } } as unknown as Flow, true],
    ['ip_trace_id as number', { ip_trace_id: [42] }, { ip_trace_id: { trace_id: '42' } } as unknown as Flow, true],
    ['ip_trace_id 0 matches flows without one', { ip_trace_id: ['0'] }, bare, true],
    ['encrypted false matches unencrypted', { encrypted: [false] }, tcp, true],
    ['encrypted true', { encrypted: [true] }, { IP: { encrypted: true } }, true],
  ]);

  it.each([
    [{ node_name: ['a/b/c'] }, /node_name: too many slashes/],
    [{ source_fqdn: ['a b'] }, /source_fqdn: invalid character/],
    [{ source_cluster_name: [''] }, /source_cluster_name: name must not be empty/],
    [{ source_pod: [''] }, /source_pod: name must not be empty/],
    [{ source_ip: ['10.0.0.256'] }, /source_ip: invalid IP address "10.0.0.256"/],
    [{ destination_ip: ['10.0.0.0/33'] }, /destination_ip: invalid IP prefix/],
    [{ source_label: ['a in (b c)'] }, /source_label: invalid label selector/],
    [{ dns_query: ['(?<=x)'] }, /dns_query: invalid regexp/],
    [{ ip_trace_id: ['18446744073709551616'] }, /ip_trace_id: invalid value/],
    [{ sourcePod: ['x'] } as FlowFilter, /unknown FlowFilter field "sourcePod"/],
    [{ source_pod: 'x' } as unknown as FlowFilter, /source_pod: must be a list/],
    [{ experimental: { cel_expression: ['true'] } }, /cel_expression: CEL expressions are not supported/],
  ] as [FlowFilter, RegExp][])('rejects %j', (filter, message) => {
    expect(() => compileFlowFilter(filter)).toThrow(message);
  });
});

describe('every FlowFilter field is compiled', () => {
  const samples: Record<Exclude<FlowFilterField, 'experimental'>, unknown[]> = {
    uuid: ['x'], source_ip: ['1.2.3.4'], source_ip_xlated: ['1.2.3.4'], source_pod: ['/'], source_fqdn: ['*'],
    source_label: ['app'], source_service: ['/'], source_workload: [{}], source_cluster_name: ['c'],
    destination_ip: ['1.2.3.4'], destination_pod: ['/'], destination_fqdn: ['*'], destination_label: ['app'],
    destination_service: ['/'], destination_workload: [{}], destination_cluster_name: ['c'],
    traffic_direction: ['INGRESS'], verdict: ['FORWARDED'], drop_reason_desc: ['POLICY_DENIED'], interface: [{}],
    event_type: [{}], http_status_code: ['2+'], protocol: ['tcp'], source_port: ['0'], destination_port: ['0'],
    reply: [false], dns_query: [''], source_identity: [0], destination_identity: [0], http_method: ['GET'],
    http_path: [''], http_url: [''], http_header: [{}], tcp_flags: [{}], node_name: ['*'], node_labels: ['a'],
    ip_version: ['IPv4'], trace_id: ['x'], ip_trace_id: ['1'], encrypted: [true],
  };
  it('FLOW_FILTER_FIELDS lists every FlowFilter key', () => {
    expectTypeOf<Exclude<keyof FlowFilter, FlowFilterField>>().toEqualTypeOf<never>();
    expect(new Set(FLOW_FILTER_FIELDS).size).toBe(FLOW_FILTER_FIELDS.length);
  });

  it.each(Object.entries(samples))('%s excludes an empty flow', (field, value) => {
    expect(FLOW_FILTER_FIELDS).toContain(field);
    expect(matchesFilter(bare, { [field]: value } as FlowFilter)).toBe(false);
  });
});

describe('combining filters', () => {
  it('ANDs fields within one filter', () => {
    expect(matchesFilter(tcp, { source_pod: ['kube-system/'], verdict: ['FORWARDED'] })).toBe(true);
    expect(matchesFilter(tcp, { source_pod: ['kube-system/'], verdict: ['DROPPED'] })).toBe(false);
  });

  it('treats empty lists as unset', () => {
    expect(matchesFilter(tcp, { source_pod: [], verdict: [] })).toBe(true);
  });

  it('whitelist: any filter; empty whitelist: everything', () => {
    const all = compileFilters({ whitelist: [], blacklist: [] });
    expect([tcp, http, dns, drop, bare].every(all)).toBe(true);
    const some = compileFilters({ whitelist: [{ verdict: ['DROPPED'] }, { protocol: ['http'] }], blacklist: [] });
    expect([tcp, http, dns, drop].map(some)).toEqual([false, true, false, true]);
  });

  it('blacklist: no filter may match', () => {
    const notDropped = compileFilters({ whitelist: [], blacklist: [{ verdict: ['DROPPED'] }] });
    expect([tcp, drop].map(notDropped)).toEqual([true, false]);
    const both = compileFilters({
      whitelist: [{ protocol: ['tcp'] }],
      blacklist: [{ destination_port: ['80'] }, { source_pod: ['kube-system/'] }],
    });
    expect([tcp, http, dns].map(both)).toEqual([false, false, false]);
    const pass = compileFilters({ whitelist: [{ protocol: ['tcp'] }], blacklist: [{ destination_port: ['80'] }] });
    expect([tcp, http].map(pass)).toEqual([true, false]);
  });

  it('reports the first invalid filter of either list', () => {
    expect(() => compileFilters({ whitelist: [], blacklist: [{ http_status_code: ['2xx'] }] })).toThrow(FilterError);
  });
});

describe('real captured flows (hubble-otel fixtures)', () => {
  const dir = join(__dirname, '../../../shared/fixtures/hubble-otel');
  const flows: Flow[] = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((line) => (JSON.parse(line) as { flow: Flow }).flow);

  const count = (filter: FlowFilter) => flows.filter(compileFilters({ whitelist: [filter], blacklist: [] })).length;
  const direct = (pred: (f: Flow) => boolean) => flows.filter(pred).length;

  it('reads every line', () => {
    expect(flows.length).toBe(1916);
  });

  it.each<[string, FlowFilter, (f: Flow) => boolean]>([
    ['HTTP 503', { http_status_code: ['503'] }, (f) => f.l7?.http?.code === 503],
    ['HTTP 2xx', { http_status_code: ['2+'] }, (f) => (f.l7?.http?.code ?? 0) >= 200 && (f.l7?.http?.code ?? 0) < 300],
    ['DNS', { protocol: ['dns'] }, (f) => f.l7?.dns !== undefined],
    ['UDP', { protocol: ['udp'] }, (f) => f.l4?.UDP !== undefined],
    ['kube-system sources', { source_pod: ['kube-system/'] }, (f) => f.source?.namespace === 'kube-system'],
    ['REDIRECTED', { verdict: ['REDIRECTED'] }, (f) => f.verdict === 'REDIRECTED'],
    ['trace to-stack', { event_type: [{ type: 4, match_sub_type: true, sub_type: 3 }] }, (f) => f.event_type?.type === 4 && f.event_type.sub_type === 3],
    ['replies', { reply: [true] }, (f) => f.is_reply === true],
    ['non-replies', { reply: [false] }, (f) => f.is_reply === false],
    ['SYN', { tcp_flags: [{ SYN: true }] }, (f) => f.l4?.TCP?.flags?.SYN === true],
    ['kind nodes', { node_name: ['kind-*'] }, (f) => f.node_name?.startsWith('kind-') === true],
    ['to world', { destination_label: ['reserved:world'] }, (f) => f.destination?.labels?.includes('reserved:world') === true],
    ['/metrics path', { http_path: ['^/metrics$'] }, (f) => !!f.l7?.http?.url && new URL(f.l7.http.url).pathname === '/metrics'],
    ['bookinfo queries', { dns_query: ['\\.bookinfo\\.svc\\.cluster\\.local\\.$'] }, (f) => f.l7?.dns?.query?.endsWith('.bookinfo.svc.cluster.local.') === true],
    ['GET', { http_method: ['get'] }, (f) => f.l7?.http?.method === 'GET'],
    ['10.0.0.0/8 destinations', { destination_ip: ['10.0.0.0/8'] }, (f) => f.IP?.destination?.startsWith('10.') === true],
  ])('%s: matcher count equals direct count', (_name, filter, pred) => {
    const expected = direct(pred);
    expect(expected).toBeGreaterThan(0);
    expect(count(filter)).toBe(expected);
  });

  it('HTTP 503 count is the 153 the fixture README implies', () => {
    expect(count({ http_status_code: ['503'] })).toBe(153);
  });

  it('applies a blacklist', () => {
    const match = compileFilters({ whitelist: [{ protocol: ['tcp'] }], blacklist: [{ destination_port: ['9080'] }] });
    const expected = direct((f) => f.l4?.TCP !== undefined && f.l4.TCP.destination_port !== 9080);
    expect(flows.filter(match).length).toBe(expected);
    expect(expected).toBeLessThan(direct((f) => f.l4?.TCP !== undefined));
  });
});
