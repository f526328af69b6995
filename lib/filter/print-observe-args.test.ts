import { describe, expect, it } from 'vitest';
import { FilterError } from './filter-error';
import { parseObserveArgs, type ObserveRequest } from './observe-args';
import { ObserveArgsError } from './observe-args-error';
import { FILTER_FLAG_NAMES } from './observe-flags';
import { formatObserveCommand, printObserveArgs, shellQuote } from './print-observe-args';
import { seededRandom as rng } from '../testing/seeded-random';

const VALUES: Record<string, readonly string[]> = {
  pod: ['xwing', 'kube-system/coredns', 'default/', '/deathstar', ''], namespace: ['kube-system', 'default', ''],
  ip: ['10.0.0.1', '10.0.0.0/8', 'fd00::1', '2001:db8::/32'], label: ['app=x', 'k8s:org=empire', 'reserved:world', 'a in (b,c)', '!k'],
  fqdn: ['*.cilium.io', 'www.example.com'], service: ['kube-dns', 'kube-system/kube-dns', 'web'], port: ['80', '53', '0'],
  identity: ['world', 'host', '1234', '0x10', 'overlay-to-encrypt'], workload: ['deployment/api', 'api', 'Deployment/', '/x', ''],
  cluster: ['prod', 'staging'], verdict: ['FORWARDED', 'DROPPED', 'AUDIT', 'VERDICT_UNKNOWN'],
  'drop-reason-desc': ['POLICY_DENIED', 'STALE_OR_UNROUTABLE_IP'], 'http-status': ['200', '5+', '40+'], 'http-method': ['GET', 'post'],
  'http-path': ['/api/.*', '^/v1$'], 'http-url': ['http://.*cilium\\.io/'], 'http-header': ['a:b', 'x-y:z:w', 'k:'],
  protocol: ['tcp', 'UDP', 'dns', 'http'], type: ['trace', 'trace:to-endpoint', 'l7', 'drop', '4:3', '254', 'agent:policy-updated', '130:2', 'trace-sock'],
  'trace-id': ['abc'], 'node-name': ['k8s*', 'prod/node-1'], 'node-label': ['kubernetes.io/hostname=kind-worker'],
  'tcp-flags': ['syn', 'SYN,ACK', 'fin,rst'], 'traffic-direction': ['ingress', 'EGRESS'], 'cel-expression': ['_flow.verdict == 1'],
  interface: ['eth0', ''], 'ip-version': ['4', 'v6', 'none', 'ip4'], 'snat-ip': ['192.168.0.9'], uuid: ['u-1'],
};
const NO_VALUE = new Set(['all-namespaces', 'from-all-namespaces', 'to-all-namespaces', 'ipv4', 'ipv6']);
const SHORT: Record<string, string> = { namespace: 'n', 'all-namespaces': 'A', label: 'l', type: 't', ipv4: '4', ipv6: '6' };
const RAW_FIELDS = [
  '"source_pod":["x","kube-system/"]', '"destinationPod":["/y"]', '"verdict":[2,"DROPPED",42]', '"reply":[true]', '"dns_query":[".*\\\\.com"]',
  '"event_type":[{"type":4,"matchSubType":true,"subType":3}]', '"tcp_flags":[{"SYN":true},{}]', '"source_workload":[{"kind":"Deployment"}]',
  '"interface":[{"index":3}]', '"ip_version":["IPv6",0]', '"traffic_direction":[0,"INGRESS"]', '"sourceIdentity":["5",6]',
  '"ip_trace_id":["123"]', '"encrypted":[false]', '"node_name":["k8s*"]', '"experimental":{"cel_expression":["true"]}',
  '"source_ip_xlated":["10.0.0.0/8"]', '"event_type":[{"type":4,"sub_type":3}]', '"source_cluster_name":["a"]',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function flagTokens(r: () => number, name: string): string[] {
  const flagName = name.replace(/^(from|to)-(?!all)/, '');
  const values = VALUES[flagName] ?? VALUES[name.replace(/^(from|to)-/, '')] ?? ['x'];
  const short = SHORT[name];
  if (NO_VALUE.has(name)) return [short && r() < 0.5 ? `-${short}` : `--${name}`];
  const value = pick(r, values);
  const style = r();
  if (short && style < 0.2) return [`-${short}`, value];
  if (short && style < 0.3 && value !== '') return [`-${short}${value}`];
  if (style < 0.6) return [`--${name}=${value}`];
  return [`--${name}`, value];
}

function randomArgs(r: () => number, withRaw: boolean): string[] {
  const args: string[] = [];
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    if (withRaw && r() < 0.15) {
      const fields = Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, RAW_FIELDS));
      args.push(r() < 0.5 ? '--allowlist' : '--denylist', `{${[...new Set(fields)].join(',')}}`);
      continue;
    }
    if (r() < 0.2) args.push('--not');
    args.push(...flagTokens(r, pick(r, FILTER_FLAG_NAMES.filter((f) => f !== 'not'))));
  }
  if (r() < 0.3) args.push('--since', pick(r, ['3h', '1h43m', '2024-01-02', '2024-01-02T15:04:05Z']));
  if (r() < 0.2) args.push(`--until=${pick(r, ['1h', '2024-01-03'])}`);
  if (r() < 0.15) args.push('--last', pick(r, ['5', '0x10', '0']));
  if (r() < 0.1) args.push('--first', '3');
  if (r() < 0.1) args.push('--all');
  if (r() < 0.15) args.push(pick(r, ['-f', '--follow']));
  return args;
}

function tryParse(args: string[]): ObserveRequest | undefined {
  try {
    return parseObserveArgs(args);
  } catch (e) {
    if (e instanceof ObserveArgsError) return undefined;
    throw e;
  }
}

describe('printObserveArgs', () => {
  it.each([
    ['--namespace kube-system --verdict DROPPED --since 1h', 'hubble observe --namespace kube-system --verdict DROPPED --since 1h'],
    ['-n kube-system -n default', 'hubble observe --namespace kube-system --namespace default'],
    ['--from-namespace a --to-namespace b -f', 'hubble observe --from-namespace a --to-namespace b --follow'],
    ['-A --pod foo', 'hubble observe --pod /foo'],
    ['--from-namespace a --pod x', 'hubble observe --from-namespace a --pod x'],
    ['--not --verdict FORWARDED --not --namespace default', 'hubble observe --not --namespace default --not --verdict FORWARDED'],
    ['--type trace:to-endpoint -t 130:2 --identity 2 --workload api', 'hubble observe --identity world --workload api --type trace:to-endpoint --type agent:agent-started'],
    ['--fqdn *.cilium.io -4 --tcp-flags ACK,syn', "hubble observe --fqdn '*.cilium.io' --tcp-flags syn,ack --ipv4"],
    ['--cluster a --from-cluster b', 'hubble observe --cluster a --from-cluster b'],
    ['--last 0x10 --all=false', 'hubble observe --last 16'],
  ])('%s', (line, command) => {
    expect(formatObserveCommand(parseObserveArgs(line.split(' ')))).toBe(command);
  });

  it('falls back to --allowlist / --denylist JSON for what flags cannot say', () => {
    const req = parseObserveArgs(['--allowlist', '{"reply":[true],"verdict":[2]}', '--not', '--pod', 'x', '--denylist', '{"dns_query":["a"]}']);
    expect(printObserveArgs(req)).toEqual([
      '--allowlist', '{"verdict":["DROPPED"],"reply":[true]}', '--not', '--pod', 'x', '--denylist', '{"dns_query":["a"]}',
    ]);
  });

  it('quotes for a POSIX shell', () => {
    expect(['', "it's", 'a b', 'k8s:app=x', '{"a":1}', '/page/\\d+'].map(shellQuote)).toEqual([
      "''", "'it'\\''s'", "'a b'", 'k8s:app=x', `'{"a":1}'`, "'/page/\\d+'",
    ]);
  });
});

describe('parse ∘ print is the identity on parsed requests', () => {
  it('holds for thousands of random valid flag lists (seeded)', () => {
    const r = rng(20240501);
    let valid = 0;
    let flagOnly = 0;
    for (let i = 0; i < 6000; i++) {
      const withRaw = i % 2 === 0;
      const args = randomArgs(r, withRaw);
      const req = tryParse(args);
      if (req === undefined) continue;
      valid++;
      const printed = printObserveArgs(req);
      expect(parseObserveArgs(printed), `${JSON.stringify(args)} → ${JSON.stringify(printed)}`).toEqual(req);
      if (!withRaw) {
        flagOnly++;
        // Whatever plain flags built, plain flags can say again.
        expect(printed.filter((t) => t === '--allowlist' || t === '--denylist'), JSON.stringify(args)).toEqual([]);
      }
    }
    expect(valid).toBeGreaterThan(2000);
    expect(flagOnly).toBeGreaterThan(1000);
  });

  it('never throws anything but ObserveArgsError on random token soup (seeded fuzz)', () => {
    const r = rng(7);
    const flags = [...FILTER_FLAG_NAMES, 'all', 'follow', 'last', 'first', 'since', 'until', 'allowlist', 'denylist', 'output', 'bogus'];
    const junk = ['x', '', '1', '0x', 'world', '{', '{"a":', '{}', '[1]', 'trace:', 'a:b', '2xx', 'DROPPED', '(', 'kube-system/', '/',
      '\u0000', 'é', '3h', '-5', '99999999999999999999', '-', '--', '---', '-nA', '-A4f', '-t', '-ttrace', '-l=', '{"verdict":[1e2]}',
      '{"source_pod":["a"]}{"sourcePod":', 'ingress', 'syn,', 'Jan 2 15:04:05.000', '{"__proto__":[1]}', '{"event_type":[{"type":"4"}]}'];
    let parsed = 0;
    for (let i = 0; i < 8000; i++) {
      const tokens = Array.from({ length: Math.floor(r() * 8) }, () => {
        const k = r();
        if (k < 0.45) return `${r() < 0.8 ? '--' : '-'}${pick(r, flags)}${r() < 0.2 ? `=${pick(r, junk)}` : ''}`;
        return pick(r, junk);
      });
      try {
        const req = parseObserveArgs(tokens);
        parsed++;
        expect(parseObserveArgs(printObserveArgs(req))).toEqual(req);
      } catch (e) {
        if (!(e instanceof ObserveArgsError) && !(e instanceof FilterError)) throw new Error(`${JSON.stringify(tokens)}: ${String(e)}`);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
