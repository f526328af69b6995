/**
 * Property test: for thousands of random FlowFilterSets, the rows `SELECT flow_key FROM flows WHERE
 * <compileFilterSql>` selects are exactly the flows the in-memory matcher (compileFilters) accepts,
 * over a few thousand stored flows (the hubble-otel fixtures plus seeded synthetic flows full of edge
 * cases), on PostgreSQL and on PGlite. FILTER_SQL_SEED=<n> replays a run.
 *
 * The synthetic flows stay inside what a row can carry at all: no U+0000 or lone surrogates (text
 * cannot hold them), one Layer4 key. They do hold what a column cannot: zoned IPs, numbers outside a
 * column's range or not integers (and protojson's quoted numbers), a response node_name other than
 * the flow's, a deprecated numeric drop_reason without drop_reason_desc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { TCP_FLAG_NAMES } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { parseCiliumLabel } from '../../lib/filter/label-selector';
import { compileFilters } from '../../lib/filter/match';
import { copyRows } from './copy-binary';
import type { Db } from './db';
import { FLOW_COLUMNS, FLOW_COPY_COLUMNS, flowKey, flowToRow } from './flow-row';
import { compileFilterSql, SqlParams } from './filter-sql';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';
import { seededRandom as rng } from '../../lib/testing/seeded-random';

const FIXTURES = new URL('../../../shared/fixtures/hubble-otel/', import.meta.url);
const SEED = Number(process.env.FILTER_SQL_SEED ?? 20261126);

class Gen {
  constructor(readonly r: () => number) {}
  pick<T>(list: readonly T[]): T { return list[Math.floor(this.r() * list.length)]; }
  chance(p: number): boolean { return this.r() < p; }
  int(n: number): number { return Math.floor(this.r() * n); }
  some<T>(make: () => T, max = 3): T[] { return Array.from({ length: 1 + this.int(max) }, make); }
  maybe<T>(p: number, make: () => T): T | undefined { return this.chance(p) ? make() : undefined; }
}

const HOSTILE = [`it's`, `a"b`, 'back\\slash', '50%_off', `'; DROP TABLE flows; --`, '$1', 'tab\there', 'new\nline',
  'ünï©ødé', 'emoji🚀', '{a,b}', 'NULL', '\\N', 'K-ſ'];
const V4 = ['10.0.0.1', '10.0.1.5', '10.1.2.3', '192.168.0.9', '8.8.8.8', '172.16.5.4', '0.0.0.0', '010.0.0.1'];
const V6 = ['2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', 'fe80::1', '::1', '::ffff:10.0.0.1', '::10.0.0.1',
  '2001:db8:0:1:1:1:1:1', 'ff02::2', '2001:db8::a:b', 'fe80::1%eth0', 'fe80::1%25lo', 'FE80::1%eth0'];
const LABELS = ['k8s:app=foo', 'k8s:app=bar', 'container:app=foo', 'k8s:io.kubernetes.pod.namespace=default',
  'reserved:world', 'reserved:host', '$host', 'reserved.health', 'reserved:=odd', 'k8s:tier=5', 'k8s:tier=12',
  'k8s:tier=-3', 'k8s:big=99999999999999999999', ':noprefix=1', 'app=plain', 'k8s:a=b=c', 'k8s:empty=', 'k8s:novalue',
  'cidr:10.0.0.0/8', 'cidr:10.1.0.0/16', 'cidr:0.0.0.0/0', 'cidr:10.1.2.3/32', 'cidr:2001-db8-0-0-0-0-0-0/32',
  'cidr:2001-db8-0-0-0-0-0-0/64', 'cidr:bad/99', 'k8s:hostile=it\'s', 'k8s:app=ünï', "k8s:x'y=1", 'k8s:role=db,x'];
const URLS = ['http://10.128.0.4:9990/metrics', 'http://api.example.com/v1/users?id=5', '/relative/path',
  'https://user:pa%20ss@host.example:8443/a%20b/c?q=1#frag', 'http://[fe80::1%25eth0]:80/zone/path', 'http://[::1]/v6',
  'http://host:bad/port', 'mailto:someone@example.com', 'foo/bar', '*', 'http://h/%E2%82%AC/euro', 'http://h/%ZZ',
  'http://h/%C3', 'http://h/%EF%BB%BFbom', 'http://h/a%EF%BB%BF', 'http://h/%F0%9F%9A%80', 'http://h/%ED%A0%80x',
  'http://h/%C0%80', 'http://h/%E0%A0%41', 'http://h/a/%2F/b', ':nope', 'HTTP://UPPER/Path', 'http://h/with space',
  'http://h/tab\tchar', 'http://us%zz@h/p', 'http://h%41/p', 'http://h%C3%A9/p', 'http://[::1]x/p', 'http:/single/slash',
  'http://h', 'http://h?x=1', 'http://a@b@c/p', 'http://[::1%25en%30]/p', 'http://h:80:90/p', '/K/ſ/admin',
  '/API/Users/42', `/it's/"q"`, 'http://h/%f0%90%80'];
const HEADERS = [{ key: 'Accept', value: '*/*' }, { key: 'User-Agent', value: 'curl/8' }, { key: 'X-Colon', value: 'a:b' },
  { key: 'a:b', value: 'c' }, { key: 'a', value: 'b:c' }, { key: '', value: '' }, { key: 'Host' }, { key: 'X-H', value: `it's` }];
const NAMES = ['www.cilium.io', 'cilium.io', 'api.example.com', 'Example.COM', 'under_score.net', 'a-b.c-d.io',
  'ünicode.io', 'deep.sub.cilium.io', ''];
const NODES = ['kind-worker', 'kind-control-plane', 'prod/kind-worker', 'prod/node-1.example.com', 'staging/k8s-1',
  'Upper/Case', 'a/b/c', 'default/kind-worker', ''];
const QUERIES = ['www.cilium.io.', 'api.example.com.', 'WWW.Example.COM.', '', 'weird_name.local.', 'ünicode.io.', 'ſtuff.K.io.'];
/** Codes as the matcher reads them (`String(code)`), including what no integer column holds. */
const HTTP_CODES = [undefined, 200, 404, 503, 0, 5, 42, 1000, 101, 4294967295, 2 ** 53 + 2, 404.5, 1e21, -5, '404', '5', '', '4🚀', '40🚀', 'x404'];
const WORKLOADS = [{ name: 'coredns', kind: 'Deployment' }, { name: 'api', kind: 'StatefulSet' }, { name: 'a/b', kind: 'Weird' },
  { name: 'x', kind: 'Kind/Slash' }, { name: 'onlyname' }, { kind: 'OnlyKind' }, { name: `it's`, kind: 'Job' }];

/** A pick where the Flow type says number but a jsonpb line may hold anything (quoted numbers, fractions, overflows). */
const num = (g: Gen, list: readonly unknown[]) => g.pick(list) as number | undefined;

function endpoint(g: Gen): Flow['source'] {
  if (g.chance(0.08)) return undefined;
  if (g.chance(0.05)) return {};
  return {
    identity: num(g, [undefined, 0, 1, 2, 1234, 5678, 16781, 4294967295, '1234', 4294967296, 1.5, -1]),
    namespace: g.pick([undefined, 'default', 'kube-system', 'prod', 'team-a', ...HOSTILE.slice(0, 4)]),
    pod_name: g.pick([undefined, 'coredns-5d78c9869d-abcde', 'deathstar-7848d6c4d5-th9v2', 'xwing', 'api-0', 'api-1', ...HOSTILE]),
    labels: g.maybe(0.85, () => g.some(() => g.pick(LABELS), 5)),
    workloads: g.maybe(0.4, () => g.some(() => g.pick(WORKLOADS), 2)),
    cluster_name: g.pick([undefined, 'prod', 'staging', `it's`]),
  };
}

function l4(g: Gen): Flow['l4'] {
  const ports = () => ({
    source_port: num(g, [undefined, 0, 53, 80, 443, 41000, 65535, 70000, 4294967295, '80', 80.5, -1]),
    destination_port: num(g, [undefined, 53, 80, 8080, 2 ** 31, '53', 53.5]),
  });
  const odd = () => g.pick([{ FIN: 1 }, { SYN: 'true' }, {}]) as Record<string, boolean>;
  const flags = () => Object.fromEntries(TCP_FLAG_NAMES.filter(() => g.chance(0.3)).map((n) => [n, true]));
  return g.pick<() => Flow['l4']>([
    () => undefined, () => ({ TCP: { ...ports(), flags: g.maybe(0.8, () => (g.chance(0.1) ? odd() : flags())) } }), () => ({ UDP: ports() }), () => ({ SCTP: ports() }),
    () => ({ ICMPv4: { type: 8 } }), () => ({ ICMPv6: { type: 128 } }), () => ({ VRRP: {} }), () => ({ IGMP: {} }), () => ({ TCP: {} }),
  ])();
}

function l7(g: Gen): Flow['l7'] {
  return g.pick<() => Flow['l7']>([
    () => undefined,
    () => ({ type: 'REQUEST', http: { code: num(g, HTTP_CODES), method: g.pick([undefined, 'GET', 'get', 'Post', 'DELETE', 'ŞPECIAL']),
      url: g.pick([undefined, ...URLS]), headers: g.maybe(0.6, () => g.some(() => g.pick(HEADERS))) } }),
    () => ({ type: 'RESPONSE', dns: { query: g.pick([undefined, ...QUERIES]), rcode: num(g, [undefined, 0, 3, 4294967295, '3', 1.5]) } }),
    () => ({ kafka: { topic: 'orders', api_key: 'produce', error_code: num(g, [undefined, 0, 7, 2 ** 40, -1, 'x']) } }),
  ])();
}

function synthetic(g: Gen, i: number): FlowsResponse {
  const v6 = g.chance(0.3);
  const ip = g.chance(0.9) ? {
    source: g.pick(v6 ? V6 : V4), destination: g.pick(v6 ? V6 : V4), source_xlated: g.maybe(0.2, () => g.pick(V4)),
    ipVersion: g.pick([v6 ? 'IPv6' : 'IPv4', undefined, 'IPv6']), encrypted: g.maybe(0.2, () => g.chance(0.5)),
  } as Flow['IP'] : undefined;
  const verdict = g.pick<Flow['verdict'] | string>([undefined, 'FORWARDED', 'DROPPED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR', 9, 'FUTURE_VERDICT', -3, 70000]);
  const nodeName = g.pick(NODES) || undefined;
  // The relay's response names the node too; node-name filters read the flow's own.
  const responseNode = g.chance(0.2) ? g.pick(NODES) || undefined : nodeName;
  const flow = {
    time: `2026-11-26T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${i}Z`,
    uuid: g.chance(0.85) ? `uuid-${i}-${g.pick(['a', `it's`, 'b'])}` : undefined,
    verdict, IP: ip, l4: l4(g), source: endpoint(g), destination: endpoint(g), node_name: nodeName,
    Type: g.pick([undefined, 'L3_L4', 'L7', -2, 70000]), trace_observation_point: g.pick([undefined, 'TO_STACK', 42]),
    drop_reason_desc: g.pick([undefined, 'POLICY_DENIED', 'CT_MAP_INSERTION_FAILED', 'DROP_REASON_UNKNOWN', 250, 'FUTURE_REASON', 181, 40000, -5]),
    drop_reason: g.pick([undefined, undefined, 133, 181]),
    event_type: g.pick([undefined, {}, { type: 4, sub_type: 3 }, { type: 4 }, { type: 1, sub_type: 133 }, { type: 129 }, { type: 40000, sub_type: 70000 }, { type: -3 },
      { type: 2 ** 31, sub_type: 3 }, { type: 1.5 }, { type: '4', sub_type: '3' }, { sub_type: 2 ** 40 }]),
    traffic_direction: g.pick([undefined, 'INGRESS', 'EGRESS', 'TRAFFIC_DIRECTION_UNKNOWN', 7, -4, 40000]),
    is_reply: g.pick([undefined, true, false]), l7: l7(g),
    source_names: g.maybe(0.2, () => g.some(() => g.pick(NAMES))), destination_names: g.maybe(0.4, () => g.some(() => g.pick(NAMES))),
    source_service: g.maybe(0.2, () => ({ name: g.pick(['svc', 'api', `it's`]), namespace: g.pick([undefined, 'default', 'prod']) })),
    destination_service: g.maybe(0.4, () => ({ name: g.pick(['svc', 'api', 'deathstar']), namespace: g.pick(['default', 'prod']) })),
    node_labels: g.maybe(0.5, () => g.some(() => g.pick(['kubernetes.io/hostname=kind-worker', 'topology.kubernetes.io/zone=a', 'role=worker', 'k8s:x=y']))),
    trace_context: g.maybe(0.3, () => ({ parent: { trace_id: g.pick(['abc123', 'def456', `it's`]) } })),
    interface: g.pick([undefined, {}, { index: 7, name: 'eth0' }, { index: 3 }, { name: 'lxc123' }, { index: 4294967295 }, { index: '7', name: 'eth0' }, { index: 7.5 }, { index: 2 ** 33 }]),
    ip_trace_id: g.maybe(0.2, () => g.pick([{ trace_id: '12345' }, { trace_id: '0007' }, { trace_id: '18446744073709551615' }, { trace_id: '18446744073709551616' }, 42, {}])),
  } as unknown as Flow;
  // Through jsonpb, as flows arrive: enum numbers become names, undefined fields disappear.
  return flowsResponseFromJson(JSON.stringify({ flow, node_name: responseNode, time: flow.time })).response;
}

function loadFlows(): FlowsResponse[] {
  const g = new Gen(rng(SEED));
  const out: FlowsResponse[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(new URL(file, FIXTURES), 'utf8').split('\n')) if (line.trim()) out.push(flowsResponseFromJson(line).response);
  }
  for (let i = 0; i < 2500; i++) out.push(synthetic(g, i));
  const seen = new Set<string>();
  return out.filter((r) => r.flow?.time && !seen.has(flowKey(r.flow)) && seen.add(flowKey(r.flow)));
}

/** Random filter fields, drawing values from the stored flows (so they select something) and from misses. */
function fieldMakers(g: Gen, flows: Flow[]): Record<string, () => unknown> {
  const f = () => g.pick(flows);
  const side = () => g.pick(['source', 'destination'] as const);
  const str = (get: (x: Flow) => string | undefined, misses: string[]) => () => g.some(() => get(f()) ?? g.pick(misses));
  const ipOf = (x: Flow) => (g.chance(0.5) ? x.IP?.source : x.IP?.destination);
  const ips = () => g.some(() => {
    const ip = ipOf(f()) ?? g.pick([...V4, ...V6]);
    return g.pick([ip, ip.toUpperCase(), `${ip}/${g.int(ip.includes(':') ? 129 : 33)}`, 'fe80::1%eth0', '::ffff:10.0.0.0/104', '10.0.0.0/8']);
  });
  const pod = (ns?: string, name?: string) => {
    const prefix = Array.from(name ?? 'api').slice(0, g.int(8)).join('');
    return g.pick([`${ns ?? 'default'}/${prefix}`, prefix || 'x', `/${prefix}`, `${ns ?? ''}/`, `kube-system/${prefix}`]);
  };
  const selector = (labels: string[] | undefined) => {
    const l = parseCiliumLabel(g.pick(labels?.length ? labels : LABELS));
    const key = l.source === 'unspec' || g.chance(0.4) ? l.key : `${l.source}:${l.key}`;
    const v = g.chance(0.8) ? l.value : g.pick(['foo', 'bar', '5', 'x']);
    const one = g.pick([`${key}=${v}`, `${key}==${v}`, `${key}!=${v}`, `${key} in (${v},bar)`, `${key} notin (${v})`, key, `!${key}`, `${key}>4`, `${key}<10`]);
    return g.chance(0.2) ? `${one},${g.pick(['k8s:app', '!reserved:host', 'app in (foo)'])}` : g.chance(0.03) ? '' : one;
  };
  const regex = (subject: string | undefined) => {
    const piece = Array.from(subject ?? 'api').slice(g.int(5), 3 + g.int(8)).join('').replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
    return g.pick([piece, `^${piece}`, `${piece}$`, `(?i)${piece.toUpperCase()}`, '^/', '/v1/', '(?i)metrics', '\\.io\\.$', '^www\\.',
      '[0-9]+', '\\bapi\\b', '€', '\\x{20AC}', '(?i)USER', '(?i)[a-z]+s', '[^/]+$', '\\d{2,3}', 'a|b', '(?s).', '(?m)^/', '(?U)a+?',
      '\\Qa.b\\E', '[[:alpha:]]+', '\\pL', '(?i)é', '(?i)\\W', 'x{300}', '', '^$', '\\s', '%', '\\*', '\\A/', 'c\\z', '(?i)k', '(?i)[k-m]',
      '(?i)s', '\\B', '[^a-z]', '(?i)[^a-z]', '(?i)\\w+$', '(?i)ſ', 'K', '\\x{212A}', '(?i)\\bAPI', 'é', '[é-ü]', '^\\*$', '[\\x{1F680}]']);
  };
  const http = (x: Flow) => x.l7?.http;
  return {
    verdict: () => g.some(() => g.pick(['FORWARDED', 'DROPPED', 'AUDIT', 0, 'VERDICT_UNKNOWN', 9, 40000, 'REDIRECTED', -3, 70000])),
    drop_reason_desc: () => g.some(() => g.pick(['POLICY_DENIED', 133, 'CT_MAP_INSERTION_FAILED', 0, 250, 'DROP_REASON_UNKNOWN', 181, 40000, -5])),
    traffic_direction: () => g.some(() => g.pick(['INGRESS', 'EGRESS', 'TRAFFIC_DIRECTION_UNKNOWN', 7, 0, -4, 40000])),
    ip_version: () => g.some(() => g.pick(['IPv4', 'IPv6', 'IP_NOT_USED', 0])),
    event_type: () => g.some(() => {
      const e = f().event_type ?? {};
      return g.pick([{ type: e.type ?? 0 }, { type: e.type, match_sub_type: true, sub_type: e.sub_type }, { type: 0, match_sub_type: true, sub_type: e.sub_type ?? 0 }, { type: 129 }, { type: 40000 }, {}]);
    }, 2),
    uuid: str((x) => x.uuid, ['', 'missing']),
    trace_id: str((x) => x.trace_context?.parent?.trace_id, ['', 'nope']),
    source_cluster_name: str((x) => x.source?.cluster_name, ['prod', 'zz']),
    destination_cluster_name: str((x) => x.destination?.cluster_name, ['staging']),
    protocol: () => g.some(() => g.pick(['tcp', 'UDP', 'Sctp', 'icmp', 'ICMPv4', 'icmpv6', 'http', 'dns', 'kafka', 'vrrp', 'igmp'])),
    source_ip: ips, destination_ip: ips, source_ip_xlated: () => g.some(() => f().IP?.source_xlated ?? g.pick(['192.168.0.0/16', '8.8.8.8'])),
    source_pod: () => g.some(() => { const x = f().source; return pod(x?.namespace, x?.pod_name); }),
    destination_pod: () => g.some(() => { const x = f().destination; return pod(x?.namespace, x?.pod_name); }),
    source_service: () => g.some(() => { const x = f().source_service; return pod(x?.namespace, x?.name); }),
    destination_service: () => g.some(() => { const x = f().destination_service; return pod(x?.namespace, x?.name); }),
    source_fqdn: () => g.some(() => fqdn(g, f().source_names)), destination_fqdn: () => g.some(() => fqdn(g, f().destination_names)),
    source_label: () => g.some(() => selector(f().source?.labels), 2), destination_label: () => g.some(() => selector(f().destination?.labels), 2),
    node_labels: () => g.some(() => selector(f().node_labels), 2),
    source_port: () => g.some(() => String(g.pick([f().l4?.TCP?.source_port, f().l4?.UDP?.source_port, 0, 53, 443, 65535]) ?? 80)),
    destination_port: () => g.some(() => String(g.pick([f().l4?.TCP?.destination_port, f().l4?.UDP?.destination_port, 0, 53, 80]) ?? 53)),
    source_identity: () => g.some(() => g.pick([f().source?.identity ?? 0, 0, 2, '1234'])),
    destination_identity: () => g.some(() => g.pick([f().destination?.identity ?? 0, 0, 2, 16781])),
    source_workload: () => g.some(() => { const w = g.pick(f()[side()]?.workloads ?? WORKLOADS); return g.pick([w, { name: w.name }, { kind: w.kind }, {}]); }),
    destination_workload: () => g.some(() => g.pick([...(f().destination?.workloads ?? []), ...WORKLOADS])),
    http_status_code: () => g.some(() => g.pick(['200', '404', '2+', '4+', '40+', '5+', '50+', '1+', '10+', '503', '101'])),
    http_method: () => g.some(() => { const m = http(f())?.method ?? 'GET'; return g.pick([m, m.toLowerCase(), m.toUpperCase(), 'PATCH']); }),
    http_path: () => g.some(() => regex(http(f())?.url), 2), http_url: () => g.some(() => regex(http(f())?.url), 2),
    dns_query: () => g.some(() => regex(f().l7?.dns?.query), 2),
    http_header: () => g.some(() => g.pick([...(http(f())?.headers ?? []), ...HEADERS])),
    reply: () => g.some(() => g.chance(0.5)), encrypted: () => g.some(() => g.chance(0.5), 2),
    tcp_flags: () => g.some(() => Object.fromEntries(TCP_FLAG_NAMES.filter(() => g.chance(0.2)).map((n) => [n, true])), 2),
    node_name: () => g.some(() => nodePattern(g, f().node_name)),
    interface: () => g.some(() => g.pick([f().interface ?? {}, { index: 7 }, { name: 'eth0' }, {}, { index: 3, name: 'x' }])),
    ip_trace_id: () => g.some(() => g.pick(['12345', '7', '0007', 0, '18446744073709551615', 42])),
  };
}

function fqdn(g: Gen, names: string[] | undefined): string {
  const name = (names?.length ? g.pick(names) : g.pick(NAMES)).toLowerCase();
  const labels = name.split('.');
  if (g.chance(0.4)) labels[g.int(labels.length)] = '*';
  return g.pick([labels.join('.'), `${labels.join('.')}.`, '*', '*.io', 'cilium.io', ` ${labels.join('.')} `]);
}

function nodePattern(g: Gen, nodeName: string | undefined): string {
  const [cluster, node] = nodeName?.includes('/') ? nodeName.split('/') : ['default', nodeName ?? 'kind-worker'];
  const star = (s: string) => (g.chance(0.3) ? `${s.slice(0, g.int(s.length))}*` : s);
  return g.pick([node, `${cluster}/${node}`, star(node), `${star(cluster)}/`, `/${star(node)}`, `${cluster}/${star(node)}`, '*']).toLowerCase();
}

/** Filters aimed at every special path of the compiler; compared like the random ones. */
const EDGE_FILTERS: FlowFilter[] = [
  { verdict: [0] }, { verdict: ['VERDICT_UNKNOWN', 9] }, { verdict: [40000] }, { drop_reason_desc: ['POLICY_DENIED'] },
  { drop_reason_desc: [133, 181] }, { drop_reason_desc: [0] }, { drop_reason_desc: [250] }, { drop_reason_desc: [40000] },
  { traffic_direction: ['TRAFFIC_DIRECTION_UNKNOWN'] }, { traffic_direction: [7] }, { ip_version: ['IP_NOT_USED'] },
  { event_type: [{}] }, { event_type: [{ type: 40000 }] }, { event_type: [{ type: 40000, match_sub_type: true, sub_type: 70000 }] },
  { event_type: [{ type: -3 }] }, { event_type: [{ type: 4, match_sub_type: true, sub_type: 0 }] }, { uuid: [''] }, { trace_id: [''] },
  ...['2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1', '::ffff:10.0.0.0/120', '10.0.0.0/8', 'fe80::1%eth0',
    '10.1.2.3/8', '::10.0.0.1', '2001:db8::/32', '0.0.0.0/0', '::/0'].map((ip) => ({ source_ip: [ip] })),
  { source_pod: ['/'] }, { source_pod: ['kube-system/'] }, { source_pod: ['xwing'] }, { source_pod: [`/it's`] }, { destination_service: ['prod/'] },
  ...['cidr:10.0.0.0/8', 'cidr:10.0.0.0/8=', 'cidr:10.1.0.0/16 in (a,)', 'cidr:2001-db8-0-0-0-0-0-0/32', 'cidr:0.0.0.0/0!=', 'app', 'app=foo',
    'k8s:app=foo', 'container:app', '!app', 'app notin (foo)', 'tier>4', 'tier<10', 'k8s:big>1', 'reserved:host', 'reserved:odd', 'noprefix',
    'k8s:empty=', 'k8s:novalue', 'novalue in ()', '', 'io.kubernetes.pod.namespace=default', 'app in (foo,bar),!reserved:world']
    .map((l) => ({ source_label: [l] })),
  { node_labels: ['role=worker'] }, { node_labels: ['!role'] },
  ...['*.io', '*', 'cilium.io', 'example.com', 'under_score.net', '*.cilium.io'].map((p) => ({ destination_fqdn: [p] })),
  ...['kind-worker', 'default/kind-worker', 'prod/', '/kind-worker', '*', 'upper/case', 'a/b'].map((p) => ({ node_name: [p] })),
  { source_port: ['0'] }, { source_port: ['65535'] }, { destination_port: ['53'] }, { source_identity: [0] }, { source_identity: [4294967295] },
  ...[{ name: 'a/b' }, { kind: 'Weird' }, { name: 'b' }, { kind: 'Kind' }, { name: 'Slash/x' }, { name: 'x', kind: 'Kind/Slash' }, {}]
    .map((w) => ({ source_workload: [w] })),
  { http_status_code: ['1+'] }, { http_status_code: ['10+'] }, { http_status_code: ['5+'] }, { http_method: ['get'] }, { http_method: ['post'] },
  ...[{ key: 'a', value: 'b:c' }, { key: 'a:b', value: 'c' }, { key: 'X-Colon', value: 'a:b' }, { key: 'Host' }, { key: '', value: '' }]
    .map((h) => ({ http_header: [h] })),
  ...['^/a b/c$', '^/zone/path$', '€', '\\x{FFFD}', '^bom$', '^/bom$', '^/a\\x{FEFF}$', '^$', '^\\*$', '🚀', '^/%2F', '^/a///b$', '(?i)^/k/',
    '^/v6$', '^/p$', 'port', '^/relative', '^/single', '\\x{FFFD}x'].map((re) => ({ http_path: [re] })),
  ...['(?i)k', 'K', '(?i)ſ', '\\bapi\\b', '(?i)\\W', '[^a-z]', '(?i)[^a-z]', '(?m)^/', '(?s).', '(?i)\\bh'].map((re) => ({ http_url: [re] })),
  ...['(?i)^www\\.', '(?i)stuff', '^$', '\\.$', '(?i)K'].map((re) => ({ dns_query: [re] })),
  { reply: [false] }, { reply: [true, false] }, { encrypted: [true] }, { encrypted: [false] }, { tcp_flags: [{}] }, { tcp_flags: [{ NS: true }] },
  { interface: [{}] }, { interface: [{ index: 7 }] }, { interface: [{ name: 'lxc123' }] }, { ip_trace_id: ['0'] }, { ip_trace_id: ['7', 42] },
  { ip_trace_id: ['18446744073709551615'] }, { protocol: ['icmp'] }, { protocol: ['vrrp', 'kafka'] }, { protocol: ['HTTP', 'dns'] },
  { source_cluster_name: [`it's`] },
  { verdict: [-3] }, { verdict: [70000] }, { drop_reason_desc: [-5] }, { traffic_direction: [-4, 40000] },
  { event_type: [{ type: 0, match_sub_type: true, sub_type: 3 }] }, { event_type: [{ type: 4, match_sub_type: true, sub_type: 3 }] },
  { event_type: [{ type: 2147483647 }] }, { event_type: [{ type: -2147483648 }] }, { event_type: [{ type: 1 }] },
  { interface: [{ index: 4294967295 }] }, { interface: [{ index: 7, name: 'eth0' }] }, { interface: [{ name: 'eth0' }] },
  { source_port: ['80'] }, { source_port: ['0'] }, { destination_port: ['0'] }, { destination_port: ['53', '80'] },
  { source_identity: [1234] }, { destination_identity: [0, 2] },
  { http_status_code: ['404'] }, { http_status_code: ['40+'] }, { http_status_code: ['4+'] }, { http_status_code: ['2+', '101'] },
  { source_ip: ['fe80::1%25lo'] }, { destination_ip: ['fe80::1'] }, { destination_ip: ['fe80::/10'] }, { source_ip: ['10.0.0.1'] },
  { protocol: ['dns'] }, { protocol: ['kafka'] }, { protocol: ['tcp', 'udp'] }, { dns_query: ['.'] },
  { node_name: ['staging/k8s-1'] }, { node_name: ['*/kind-*'] },
];
const EDGE_SETS: FlowFilterSet[] = EDGE_FILTERS.flatMap((f) => [{ whitelist: [f], blacklist: [] }, { whitelist: [], blacklist: [f] }]);

function makeSet(g: Gen, makers: Record<string, () => unknown>): FlowFilterSet {
  const names = Object.keys(makers);
  const filter = (): FlowFilter => Object.fromEntries(Array.from({ length: 1 + g.int(3) }, () => {
    const name = g.pick(names);
    return [name, makers[name]()];
  }));
  return { whitelist: Array.from({ length: g.int(4) }, filter), blacklist: Array.from({ length: g.chance(0.3) ? 1 + g.int(2) : 0 }, filter) };
}

interface Stats {
  sets: number; compared: number; invalid: number; unsupported: Map<string, number>; sizes: Map<string, number>;
  queryMs: number; sqlChars: number; slow: [number, string][];
}

function bucket(n: number, total: number): string {
  if (n === 0) return '0';
  if (n === total) return 'all';
  return n <= 10 ? '1-10' : n <= 100 ? '11-100' : n <= 1000 ? '101-1000' : '>1000';
}

const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

/** Compiles one set both ways; undefined when both reject it alike (counted), else the matcher and the SQL. */
function compileBoth(set: FlowFilterSet, stats: Stats): { predicate: (f: Flow) => boolean; sql: string; params: SqlParams } | undefined {
  let matcherError: unknown;
  let predicate: ((f: Flow) => boolean) | undefined;
  try { predicate = compileFilters(set); } catch (e) { matcherError = e; }
  const params = new SqlParams();
  let sql: string | undefined;
  let sqlError: unknown;
  try { sql = compileFilterSql(set, params); } catch (e) { sqlError = e; }
  if (matcherError !== undefined) {
    expect((sqlError as Error)?.message, JSON.stringify(set)).toBe((matcherError as Error).message);
    stats.invalid++;
    return undefined;
  }
  if (sqlError !== undefined) {
    expect(sqlError, JSON.stringify(set)).toBeInstanceOf(FilterError);
    count(stats.unsupported, (sqlError as Error).message.replace(/^.*: /, '').replace(/"[^"]*"/g, '…'));
    return undefined;
  }
  return { predicate: predicate!, sql: sql!, params };
}

async function check(db: Db, flows: FlowsResponse[], sets: number, seed: number): Promise<Stats> {
  const g = new Gen(rng(seed));
  const makers = fieldMakers(g, flows.map((r) => r.flow!));
  const stats: Stats = { sets: 0, compared: 0, invalid: 0, unsupported: new Map(), sizes: new Map(), queryMs: 0, sqlChars: 0, slow: [] };
  const failures: string[] = [];
  const keys = flows.map((r) => flowKey(r.flow!));
  const show = (k: string) => JSON.stringify(flows[keys.indexOf(k)].flow);
  for (let n = 0; n < EDGE_SETS.length + sets && failures.length < 5; n++) {
    const set = n < EDGE_SETS.length ? EDGE_SETS[n] : makeSet(g, makers);
    stats.sets++;
    const both = compileBoth(set, stats);
    if (!both) continue;
    const started = performance.now();
    const rows = await db.query<{ flow_key: string }>(`SELECT flow_key FROM flows WHERE ${both.sql}`, both.params.values);
    const ms = performance.now() - started;
    stats.queryMs += ms;
    stats.sqlChars += both.sql.length;
    const fields = [...new Set([...set.whitelist, ...set.blacklist].flatMap((x) => Object.keys(x)))].join('+');
    stats.slow.push([ms, process.env.FILTER_SQL_VERBOSE ? JSON.stringify(set) : fields]);
    stats.slow.sort((a, b) => b[0] - a[0]).splice(5);
    const got = new Set(rows.map((r) => r.flow_key));
    const want = new Set(keys.filter((_, i) => both.predicate(flows[i].flow!)));
    const missing = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    if (missing.length || extra.length) {
      failures.push(`${JSON.stringify(set)}\n  missing ${missing.length}: ${missing.slice(0, 2).map(show).join('\n    ')}`
        + `\n  extra ${extra.length}: ${extra.slice(0, 2).map(show).join('\n    ')}`);
    }
    stats.compared++;
    count(stats.sizes, bucket(want.size, flows.length));
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
  return stats;
}

async function load(db: Db, flows: FlowsResponse[]): Promise<void> {
  const data = copyRows(flows.map((r) => flowToRow(r)!), FLOW_COPY_COLUMNS);
  await db.transaction((tx) => tx.copyFrom('flows', FLOW_COLUMNS, data));
}

function report(kind: string, flows: number, stats: Stats, ms: number): void {
  const sizes = ['0', '1-10', '11-100', '101-1000', '>1000', 'all'].map((b) => `${b}: ${stats.sizes.get(b) ?? 0}`).join(', ');
  console.log(`[filter-sql ${kind}] seed ${SEED}: ${stats.sets} filter sets over ${flows} flows in ${ms} ms (queries ${Math.round(stats.queryMs)} ms, avg SQL ${Math.round(stats.sqlChars / Math.max(1, stats.compared))} chars); `
    + `${stats.compared} compared (result sizes ${sizes}), ${stats.invalid} invalid (same FilterError), `
    + `${[...stats.unsupported.values()].reduce((a, b) => a + b, 0)} not expressible in SQL: ${JSON.stringify(Object.fromEntries(stats.unsupported))}; `
    + `slowest: ${stats.slow.map(([ms, f]) => `${Math.round(ms)} ms ${f}`).join(', ')}`);
}

const flows = loadFlows();

describe.each([
  ['postgres', () => withTestSchema('filter_sql'), Number(process.env.FILTER_SQL_PG_SETS ?? 2000)],
  ['pglite', () => openTestPglite(), Number(process.env.FILTER_SQL_PGLITE_SETS ?? 600)],
] as const)('compileFilterSql on %s', (kind, open, sets) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await load(t.db, flows);
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('selects exactly the flows the in-memory matcher selects', async () => {
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
    expect(n).toBe(flows.length);
    const started = Date.now();
    const stats = await check(t.db, flows, sets, SEED + 1);
    report(kind, flows.length, stats, Date.now() - started);
    expect(stats.compared).toBeGreaterThan(sets / 2);
    for (const b of ['0', '1-10', '11-100', '101-1000', 'all']) expect(stats.sizes.get(b) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
