import { describe, expect, it } from 'vitest';
import type { FlowFilter } from './flow-filter';
import { observeRequestLimit, parseObserveArgs, type ObserveRequest } from './observe-args';

const split = (s: string) => s.split(' ');

/** [command line (space-separated unless given as an array), whitelist, blacklist] — the CLI's own filters. */
const CASES: [string | string[], FlowFilter[], FlowFilter[]?][] = [
  // Plain flags split into a source-side and a destination-side filter (reference §4).
  ['--pod xwing --label org=empire', [
    { source_pod: ['xwing'], source_label: ['org=empire'] }, { destination_pod: ['xwing'], destination_label: ['org=empire'] }]],
  ['--namespace kube-system', [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]],
  ['-n kube-system', [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]],
  ['-nkube-system', [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]],
  ['-n=kube-system', [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]],
  ['--namespace=kube-system', [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]],
  ['--from-namespace a --to-namespace b', [{ source_pod: ['a/'], destination_pod: ['b/'] }]],
  ['--from-namespace a --from-namespace b', [{ source_pod: ['a/', 'b/'] }]],
  // --not: every negated flag goes to one blacklist tracker, which still splits left/right.
  ['--not --verdict FORWARDED --not --namespace default', [], [
    { source_pod: ['default/'], verdict: ['FORWARDED'] }, { destination_pod: ['default/'], verdict: ['FORWARDED'] }]],
  ['--not --http-method put --not --http-method get --not --to-namespace foo', [], [
    { destination_pod: ['foo/'], http_method: ['put', 'get'] }]],
  ['--not=false --pod x', [], [{ source_pod: ['x'] }, { destination_pod: ['x'] }]],
  // Event types and sub-types (hubble's TestFilterType).
  ['--type trace:to-endpoint', [{ event_type: [{ type: 4, match_sub_type: true, sub_type: 0 }] }]],
  ['-t 254 -t 255:127 -t trace:to-endpoint -t trace:from-endpoint -t 4:2 -t agent -t agent:3 -t agent:policy-updated', [{ event_type: [
    { type: 254 }, { type: 255, match_sub_type: true, sub_type: 127 }, { type: 4, match_sub_type: true, sub_type: 0 },
    { type: 4, match_sub_type: true, sub_type: 5 }, { type: 4, match_sub_type: true, sub_type: 2 }, { type: 130 },
    { type: 130, match_sub_type: true, sub_type: 3 }, { type: 130, match_sub_type: true, sub_type: 5 }] }]],
  ['-t l7 -t drop -t policy-verdict -t trace-sock -t capture -t debug -t recorder -t trace:to-network', [{ event_type: [
    { type: 129 }, { type: 1 }, { type: 5 }, { type: 7 }, { type: 3 }, { type: 2 }, { type: 6 }, { type: 4, match_sub_type: true, sub_type: 11 }] }]],
  ['-t 4294967295', [{ event_type: [{ type: -1 }] }]],
  // Identities by number (Go base-0 syntax) or reserved name.
  ['--identity world', [{ source_identity: [2] }, { destination_identity: [2] }]],
  ['--identity 1 --identity 2', [{ source_identity: [1, 2] }, { destination_identity: [1, 2] }]],
  ['--from-identity host --from-identity 0x10 --to-identity overlay-to-encrypt --to-identity kube-apiserver', [
    { source_identity: [1, 16], destination_identity: [11, 7] }]],
  ['--from-pod cilium --to-identity 42', [{ source_pod: ['cilium'], destination_identity: [42] }]],
  ['--pod cilium --to-identity 42', [
    { source_pod: ['cilium'], destination_identity: [42] }, { destination_pod: ['cilium'], destination_identity: [42] }]],
  // Workloads: kind/name, name, kind/.
  ['--workload deployment/api', [{ source_workload: [{ kind: 'deployment', name: 'api' }] }, { destination_workload: [{ kind: 'deployment', name: 'api' }] }]],
  ['--from-workload api --from-workload Deployment/ --from-workload a/b/c', [
    { source_workload: [{ name: 'api' }, { kind: 'Deployment' }, { kind: 'a', name: 'b/c' }] }]],
  ['--from-pod cilium --to-workload app', [{ source_pod: ['cilium'], destination_workload: [{ name: 'app' }] }]],
  // Flags written into both filters.
  ['--from-ip 1.2.3.4 --from-ip 5.6.7.8 --not --to-ip 5.5.5.5 --verdict DROPPED -t l7', [
    { source_ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], event_type: [{ type: 129 }] }], [{ destination_ip: ['5.5.5.5'] }]],
  [['--ip', '1.2.3.4', '--ip', '5.6.7.8', '--verdict', 'DROPPED', '--not', '--pod', 'deathstar', '--not', '--http-status', '200',
    '--http-method', 'get', '--http-path', '/page/\\d+', '--node-name', 'k8s*'], [
    { source_ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], http_method: ['get'], http_path: ['/page/\\d+'], node_name: ['k8s*'] },
    { destination_ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], http_method: ['get'], http_path: ['/page/\\d+'], node_name: ['k8s*'] }],
  [{ source_pod: ['deathstar'], http_status_code: ['200'] }, { destination_pod: ['deathstar'], http_status_code: ['200'] }]],
  ['--label k1=v1,k2=v2 -l k3 --node-label io.cilium.egress-gateway', [
    { source_label: ['k1=v1,k2=v2', 'k3'], node_labels: ['io.cilium.egress-gateway'] },
    { destination_label: ['k1=v1,k2=v2', 'k3'], node_labels: ['io.cilium.egress-gateway'] }]],
  ['--tcp-flags syn,ACK --tcp-flags fin', [{ tcp_flags: [{ SYN: true, ACK: true }, { FIN: true }] }]],
  ['--uuid b9fab269-04ae-495c-9d12-b6c36d41de0d', [{ uuid: ['b9fab269-04ae-495c-9d12-b6c36d41de0d'] }]],
  ['--traffic-direction INGRESS --traffic-direction EgrEss', [{ traffic_direction: ['INGRESS', 'EGRESS'] }]],
  ['--snat-ip 1.1.1.1 --snat-ip 2.2.2.2/16', [{ source_ip_xlated: ['1.1.1.1', '2.2.2.2/16'] }]],
  ['--interface eth0', [{ interface: [{ name: 'eth0' }] }]],
  [['--http-url', 'http://.*cilium\\.io/foo', '--http-url', 'http://www\\.cilium\\.io/bar'], [{ http_url: ['http://.*cilium\\.io/foo', 'http://www\\.cilium\\.io/bar'] }]],
  ['--http-header foo:bar --http-header Foo:coco:bar --http-header k:', [{ http_header: [{ key: 'foo', value: 'bar' }, { key: 'Foo', value: 'coco:bar' }, { key: 'k' }] }]],
  ['--verdict=DROPPED --verdict AUDIT --drop-reason-desc POLICY_DENIED', [{ verdict: ['DROPPED', 'AUDIT'], drop_reason_desc: ['POLICY_DENIED'] }]],
  ['--protocol TCP --protocol dns --trace-id abc', [{ protocol: ['TCP', 'dns'], trace_id: ['abc'] }]],
  [['--cel-expression', '_flow.verdict == 1'], [{ experimental: { cel_expression: ['_flow.verdict == 1'] } }]],
  // IP version aliases; -4/-6 ignore any value given with `=`.
  ['-4', [{ ip_version: ['IPv4'] }]],
  ['--ipv6 -4=whatever', [{ ip_version: ['IPv6', 'IPv4'] }]],
  ['--ip-version v4 --ip-version IP6 --ip-version none --ip-version foo --ip-version 4', [
    { ip_version: ['IPv4', 'IPv6', 'IP_NOT_USED', 'IP_NOT_USED', 'IPv4'] }]],
  ['-A4', [{ source_pod: ['/'], ip_version: ['IPv4'] }, { destination_pod: ['/'], ip_version: ['IPv4'] }]],
  // Namespaces (hubble's TestNamespace).
  ['--namespace cilium --port 443', [{ source_pod: ['cilium/'], source_port: ['443'] }, { destination_pod: ['cilium/'], destination_port: ['443'] }]],
  ['--from-namespace cilium --from-port 443', [{ source_pod: ['cilium/'], source_port: ['443'] }]],
  ['--to-namespace cilium --port 443', [{ destination_pod: ['cilium/'], source_port: ['443'] }, { destination_pod: ['cilium/'], destination_port: ['443'] }]],
  ['--namespace cilium --pod foo-9c76d6c95-tf788', [{ source_pod: ['cilium/foo-9c76d6c95-tf788'] }, { destination_pod: ['cilium/foo-9c76d6c95-tf788'] }]],
  ['--namespace cilium --service foo', [{ source_service: ['cilium/foo'] }, { destination_service: ['cilium/foo'] }]],
  ['--namespace cilium --namespace kube-system --service foo --service bar', [
    { source_service: ['cilium/foo', 'kube-system/foo', 'cilium/bar', 'kube-system/bar'] },
    { destination_service: ['cilium/foo', 'kube-system/foo', 'cilium/bar', 'kube-system/bar'] }]],
  ['--to-namespace cilium --to-pod cilium/foo', [{ destination_pod: ['cilium/foo'] }]],
  ['--from-namespace kube-system --to-pod cilium/foo', [{ source_pod: ['kube-system/'], destination_pod: ['cilium/foo'] }]],
  ['--to-all-namespaces --port 443', [{ destination_pod: ['/'], source_port: ['443'] }, { destination_pod: ['/'], destination_port: ['443'] }]],
  ['--to-all-namespaces --to-pod foo', [{ destination_pod: ['/foo'] }]],
  ['--to-all-namespaces --to-service bar', [{ destination_service: ['/bar'] }]],
  ['--all-namespaces --pod foo', [{ source_pod: ['/foo'] }, { destination_pod: ['/foo'] }]],
  ['-A --service bar', [{ source_service: ['/bar'] }, { destination_service: ['/bar'] }]],
  ['--from-namespace a --pod x', [{ source_pod: ['a/x'] }, { source_pod: ['a/'], destination_pod: ['x'] }]],
  ['--from-namespace a --from-service s', [{ source_service: ['a/s'] }]],
  ['--pod kube-system/coredns --pod /coredns', [{ source_pod: ['kube-system/coredns', '/coredns'] }, { destination_pod: ['kube-system/coredns', '/coredns'] }]],
  // Clusters (hubble's TestCluster), the one plain flag that may mix with its from/to forms.
  ['--cluster foo --cluster bar', [{ source_cluster_name: ['foo', 'bar'] }, { destination_cluster_name: ['foo', 'bar'] }]],
  ['--from-cluster foo', [{ source_cluster_name: ['foo'] }]],
  ['--cluster a --from-cluster b', [{ source_cluster_name: ['a', 'b'] }, { source_cluster_name: ['b'], destination_cluster_name: ['a'] }]],
  // --allowlist / --denylist JSON: appended after the flag-built filters, protojson names and enums.
  [['--allowlist', '{"sourcePod":["x"],"verdict":[2,"AUDIT",99]}{"event_type":[{"type":4,"matchSubType":true}]}', '--verdict', 'DROPPED'], [
    { verdict: ['DROPPED'] }, { source_pod: ['x'], verdict: ['DROPPED', 'AUDIT', 99] }, { event_type: [{ type: 4, match_sub_type: true, sub_type: 0 }] }]],
  [['--denylist', '{"reply":[false],"source_identity":["7"],"tcp_flags":[{"SYN":true,"ACK":false}],"source_pod":null,"ip_trace_id":[18446744073709551615]}'], [], [
    { reply: [false], source_identity: [7], tcp_flags: [{ SYN: true }], ip_trace_id: ['18446744073709551615'] }]],
  [['--allowlist', '  ', '--allowlist', '{}'], [{}]],
];

describe('parseObserveArgs: flags → FlowFilters, as the CLI builds them', () => {
  it.each(CASES)('%s', (line, whitelist, blacklist = []) => {
    const req = parseObserveArgs(typeof line === 'string' ? split(line) : line);
    expect(req.filters).toEqual({ whitelist, blacklist });
  });

  it('sends nothing for no flags', () => {
    expect(parseObserveArgs([])).toEqual({ filters: { whitelist: [], blacklist: [] } });
  });
});

describe('parseObserveArgs: selectors', () => {
  const SELECTORS: [string, Omit<ObserveRequest, 'filters'>][] = [
    ['--since 3h --until 2024-01-02', { since: '3h', until: '2024-01-02' }],
    ['--since=1h43m --last 5', { since: '1h43m', last: 5 }],
    ['--follow --until not-even-a-time', { follow: true }],
    ['-f --since 2024-01-02T15:04:05Z', { follow: true, since: '2024-01-02T15:04:05Z' }],
    ['--last 0x10', { last: 16 }],
    ['--last 1_000', { last: 1000 }],
    ['--last 5 --last 0', {}],
    ['--first 7 --last 0', { first: 7 }],
    ['--all', { all: true }],
    ['--all --all=false -f=false', {}],
    ['--all --since 1h', { all: true, since: '1h' }],
  ];
  it.each(SELECTORS)('%s', (line, selectors) => {
    expect(parseObserveArgs(split(line))).toEqual({ filters: { whitelist: [], blacklist: [] }, ...selectors });
  });

  it('treats an empty --since as not given, like the CLI', () => {
    expect(parseObserveArgs(['--since', '', '--until='])).toEqual({ filters: { whitelist: [], blacklist: [] } });
  });

  it('mirrors the CLI defaults for GetFlowsRequest.number', () => {
    const limit = (line: string, inputFile = false) => observeRequestLimit(parseObserveArgs(line === '' ? [] : split(line)), { inputFile });
    expect(limit('')).toEqual({ number: 20n, first: false });
    expect(limit('', true)).toEqual({ number: 0n, first: false });
    expect(limit('-f')).toEqual({ number: 0n, first: false });
    expect(limit('--all')).toEqual({ number: 2n ** 64n - 1n, first: false });
    expect(limit('--all --since 1h')).toEqual({ number: 0n, first: false });
    expect(limit('--first 3')).toEqual({ number: 3n, first: true });
    expect(limit('--last 3 --since 1h')).toEqual({ number: 3n, first: false });
  });
});
