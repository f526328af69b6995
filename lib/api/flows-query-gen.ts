/**
 * Test code only: seeded random `GET /api/flows` query strings for fuzzing the parser and the
 * store. Most tokens are plausible (a real flag, a value of the kind it takes), the rest hostile:
 * broken quotes, unicode, U+0000, SQL text, numbers out of range, garbage cursors.
 */
import { FILTER_FLAG_NAMES } from '../filter/observe-flags';
import { shellQuote } from '../filter/print-observe-args';
import { encodeFlowsCursor } from './flows-cursor';
import { seededRandom } from '../testing/seeded-random';

export { seededRandom };

const HOSTILE = [
  `'; DROP TABLE flows; --`, `" OR 1=1 --`, '$1', '$$', 'NULL', '\\N', '%', '_', '\0', 'a\0b', 'ünï©ødé', '🚀',
  'K-ſ', '\u202e', '\uffff', 'tab\there', 'new\nline', '{a,b}', '[', '(', '*', '.*', '(?i)x', 'a{2,}', '', ' ',
  '\\', '"', "'", '--', '-', '=', 'x'.repeat(300), '1e9', '-1', '99999999999999999999', '0x10', 'true',
];

/** Plausible values by flag; flags not listed draw from GENERIC. */
const VALUES: Record<string, readonly string[]> = {
  namespace: ['shop', 'default', 'kube-system', 'payments', 'monitoring'],
  pod: ['shop/frontend', 'frontend', 'shop/api-', 'kube-system/coredns', 'api'],
  verdict: ['FORWARDED', 'DROPPED', 'AUDIT', 'ERROR', 'REDIRECTED', 'TRACED', 'TRANSLATED', 'dropped'],
  type: ['drop', 'trace', 'l7', 'trace:to-endpoint', 'policy-verdict', 'capture', '4', 'drop:130'],
  protocol: ['tcp', 'udp', 'TCP', 'icmp', 'dns', 'http', 'kafka', 'sctp'],
  port: ['80', '443', '53', '8080', '0', '65535', '70000', 'http'],
  ip: ['10.0.0.1', '10.0.0.0/8', '192.168.1.0/24', '::1', '2001:db8::/32', 'fe80::1%eth0', '10.0.0.256'],
  label: ['k8s:app=frontend', 'app=api', 'app in (api, frontend)', '!app', 'reserved:world', 'app=', 'a=b c'],
  'http-status': ['200', '404', '5+', '4+', '2xx', '600', '+'],
  'http-method': ['GET', 'POST', 'get', 'DELETE', 'PÖST'],
  'http-path': ['/api/.*', '^/cart$', '/checkout', '(', '\\d+', '[a-z]+', '/x{1,3}'],
  'http-url': ['http://api/.*', 'https?://.*', '.*'],
  'http-header': ['content-type:application/json', 'x-a:b', 'nocolon'],
  fqdn: ['*.example.com', 'api.shop.svc.cluster.local', 'google.com', '*', '**.x'],
  'traffic-direction': ['ingress', 'egress', 'unknown', 'sideways'],
  'drop-reason-desc': ['POLICY_DENIED', 'UNSUPPORTED_L3_PROTOCOL', 'nope', '133'],
  'tcp-flags': ['SYN', 'SYN,ACK', 'RST', 'FIN', 'BOGUS'],
  identity: ['1', '2', '16777217', 'world', '-5', '4294967296'],
  'ip-version': ['v4', 'v6', '4', 'v5'],
  'node-name': ['kind-worker', 'demo/*', 'cluster/node-1', '*'],
  workload: ['frontend', 'Deployment/api', 'kind/name/extra'],
  service: ['shop/api', 'api', 'kube-system/kube-dns'],
  interface: ['eth0', '1', 'lxc*'],
  'trace-id': ['abc', '0123456789abcdef'],
  uuid: ['2c1e3a8e-0000-4000-8000-000000000000', 'x'],
  'cel-expression': ['_flow.verdict == Verdict.DROPPED', '!!!'],
};
const GENERIC = ['shop', 'x', 'frontend', 'api', '1', 'kube-system'];
const TIMES = ['1h', '30m', '2h45m', '1.5h', '-5m', '0s', '2026-01-15T11:00:00Z', '2026-01-15', '2026-01-15T11:00:00.123456789+01:00',
  'Mon, 12 Jan 2026 10:00:00 +0000', 'Jan 14 10:00:00.000', 'yesterday', '1d', '2026-02-30', '9999-12-31T23:59:59Z', '1h3'];
const ALLOWLIST = ['{"source_pod":["shop/"]}', '{"verdict":["DROPPED"]}', '{"destination_port":["80"],"protocol":["tcp"]}',
  '{"bogus":1}', '{', '[]', '{"source_ip":["10.0.0.0/8"]}', '{"http_path":["("]}'];

export interface QueryGen {
  /** A whole query string's parameters. */
  params(): URLSearchParams;
  /** Only `q`: a random hubble observe command tail. */
  q(): string;
}

/** Generators drawing from `random`; `validish` biases towards plausible flags and values. */
export function createQueryGen(random: () => number, options: { validish?: number; nowMs?: number } = {}): QueryGen {
  const validish = options.validish ?? 0.8;
  const nowMs = options.nowMs ?? Date.UTC(2026, 0, 15, 12);
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const int = (n: number) => Math.floor(random() * n);
  const randomChars = () => Array.from({ length: 1 + int(8) }, () => String.fromCodePoint(pick([int(128), 0x80 + int(0x780), 0x1f600 + int(80)]))).join('');

  function value(flag: string): string {
    if (!chance(validish)) return chance(0.5) ? pick(HOSTILE) : randomChars();
    const base = flag.replace(/^(from|to)-/, '');
    if (flag === 'allowlist' || flag === 'denylist') return pick(ALLOWLIST);
    if (flag === 'since' || flag === 'until') return pick(TIMES);
    return pick(VALUES[base] ?? VALUES[base.replace(/^(ipv[46]|snat-ip)$/, 'ip')] ?? GENERIC);
  }

  function quote(word: string): string {
    const r = random();
    if (r < 0.5) return shellQuote(word);
    if (r < 0.7) return `"${word.replace(/["\\$`]/g, '\\$&')}"`;
    if (r < 0.95 || chance(0.5)) return word.replace(/[\s'"\\]/g, '\\$&');
    return chance(0.5) ? `'${word}` : `"${word}`; // unterminated, on purpose
  }

  function flagToken(): string[] {
    const all = [...FILTER_FLAG_NAMES, 'since', 'until', 'allowlist', 'denylist', 'all', 'last', 'first', 'follow'];
    const name = chance(0.97) ? pick(all) : pick(['output', 'no-such', 'n', '', '-']);
    const noValue = name === 'not' || name === 'all' || name === 'follow' || name.startsWith('all-namespaces') || name.endsWith('all-namespaces');
    const short = { namespace: '-n', label: '-l', type: '-t', 'all-namespaces': '-A' }[name as string];
    const flag = short && chance(0.3) ? short : `--${name}`;
    if (noValue) return [flag];
    const v = value(name);
    return chance(0.2) ? [`${flag}=${v}`] : [flag, v];
  }

  function q(): string {
    if (chance(0.03)) return randomChars();
    const words: string[] = [];
    const n = int(5);
    for (let i = 0; i < n; i++) words.push(...flagToken());
    return words.map(quote).join(pick([' ', '  ', '\t', ' \n ']));
  }

  function params(): URLSearchParams {
    const p = new URLSearchParams();
    if (chance(0.9)) p.set('q', q());
    if (chance(0.3)) p.set('since', chance(validish) ? pick(TIMES) : pick(HOSTILE));
    if (chance(0.2)) p.set('until', chance(validish) ? pick(TIMES) : pick(HOSTILE));
    if (chance(0.3)) p.set('limit', chance(validish) ? String(1 + int(1000)) : pick(HOSTILE));
    if (chance(0.2)) {
      const time = new Date(nowMs - int(86_400_000)).toISOString();
      p.set('cursor', chance(validish) ? encodeFlowsCursor({ time, flowKey: pick(['a', 'zzz', randomChars()]) }) : pick(HOSTILE));
    }
    if (chance(0.1)) p.set('format', pick(['json', 'jsonpb', 'csv', '']));
    return p;
  }

  return { params, q };
}
