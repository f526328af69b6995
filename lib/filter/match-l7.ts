/**
 * Predicate builders for the FlowFilter fields about protocols and payloads: `protocol`, the
 * `*_port` fields, the `http_*` fields (which require L7 events) and `dns_query`.
 */
import type { Flow, HTTP } from '../flow/flow';
import { FilterError } from './filter-error';
import type { FlowFilter } from './flow-filter';
import { fieldValues, inField, isObject, isString, type Check } from './field-values';
import { compileGoRegExp } from './go-regexp';
import { requestURIPath } from './request-uri';

const L7_EVENT_TYPE = 129;

/** `source_port` / `destination_port` of a TCP, UDP or SCTP flow. */
export function compilePorts(list: string[], field: string, key: 'source_port' | 'destination_port'): Check {
  const ports = new Set(list.map((p) => {
    if (!/^[0-9]+$/.test(p) || Number(p) > 65535) throw new FilterError(`invalid port ${JSON.stringify(p)}`, field);
    return Number(p);
  }));
  return (flow) => {
    const l4 = flow.l4;
    const pair = l4 && (l4.TCP ?? l4.UDP ?? l4.SCTP);
    return pair !== undefined && ports.has(pair[key] ?? 0);
  };
}

/** `protocol`: L4 or L7 protocol names, case-insensitive. */
export function compileProtocols(filter: FlowFilter, checks: Check[]): void {
  const list = fieldValues(filter, 'protocol', isString, 'strings');
  if (!list) return;
  const probes: Record<string, (f: Flow) => boolean> = {
    tcp: (f) => f.l4?.TCP !== undefined, udp: (f) => f.l4?.UDP !== undefined, sctp: (f) => f.l4?.SCTP !== undefined,
    icmp: (f) => f.l4?.ICMPv4 !== undefined || f.l4?.ICMPv6 !== undefined,
    icmpv4: (f) => f.l4?.ICMPv4 !== undefined, icmpv6: (f) => f.l4?.ICMPv6 !== undefined,
    vrrp: (f) => f.l4?.VRRP !== undefined, igmp: (f) => f.l4?.IGMP !== undefined,
    http: (f) => f.l7?.http !== undefined, dns: (f) => f.l7?.dns !== undefined, kafka: (f) => f.l7?.kafka !== undefined,
  };
  const wanted = [...new Set(list.map((p) => {
    const probe = probes[p.toLowerCase()];
    if (!probe) throw new FilterError(`unknown protocol ${JSON.stringify(p)}`, 'protocol');
    return probe;
  }))];
  checks.push((f) => wanted.some((probe) => probe(f)));
}

function compileRegExps(list: string[], field: string): RegExp[] {
  return inField(field, () => list.map(compileGoRegExp));
}

/** ASCII-and-beyond case-insensitive equality in the spirit of Go's strings.EqualFold. */
function equalFold(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase() && a.toUpperCase() === b.toUpperCase());
}

/** The `http_*` fields; Hubble rejects them unless the event type filter allows L7 events. */
export function compileHTTP(filter: FlowFilter, checks: Check[]): void {
  const types = fieldValues(filter, 'event_type', isObject, 'EventTypeFilter objects');
  const l7Compatible = !types || types.some((t) => Number(t.type) === L7_EVENT_TYPE);
  const field = <T>(name: keyof FlowFilter, valid: (v: unknown) => v is T, what: string) => {
    const list = fieldValues(filter, name, valid, what);
    if (list && !l7Compatible) throw new FilterError(`filtering by ${name} requires the event type filter to only match 'l7' events`, name);
    return list;
  };
  const http = (pred: (h: HTTP) => boolean): Check => (f) => {
    const h = f.l7?.http;
    return h !== undefined && pred(h);
  };
  const codes = field('http_status_code', isString, 'strings');
  if (codes) checks.push(http(compileStatusCodes(codes)));
  const methods = field('http_method', isString, 'strings');
  if (methods) checks.push(http((h) => !!h.method && methods.some((m) => equalFold(m, h.method!))));
  const paths = field('http_path', isString, 'strings');
  if (paths) {
    const res = compileRegExps(paths, 'http_path');
    checks.push(http((h) => {
      const path = h.url ? requestURIPath(h.url) : undefined;
      return path !== undefined && res.some((re) => re.test(path));
    }));
  }
  const urls = field('http_url', isString, 'strings');
  if (urls) {
    const res = compileRegExps(urls, 'http_url');
    checks.push(http((h) => !!h.url && res.some((re) => re.test(h.url!))));
  }
  const headers = field('http_header', isObject, 'HTTPHeader objects');
  if (headers) {
    const wanted = headers.map((x) => ({ key: String(x.key ?? ''), value: String(x.value ?? '') }));
    checks.push(http((h) => (h.headers ?? []).some((x) =>
      wanted.some((w) => w.key === (x.key ?? '') && w.value === (x.value ?? '')))));
  }
}

function compileStatusCodes(codes: string[]): (h: HTTP) => boolean {
  const full = new Set<string>();
  const prefixes: string[] = [];
  for (const c of codes) {
    if (/^[1-5][0-9]{2}$/.test(c)) full.add(c);
    else if (/^[1-5][0-9]?\+$/.test(c)) prefixes.push(c.slice(0, -1));
    else throw new FilterError(`invalid http status code ${JSON.stringify(c)} (expected NNN, N+ or NN+, e.g. 404, 5+, 40+)`, 'http_status_code');
  }
  return (h) => {
    if (!h.code) return false;
    const code = String(h.code).padStart(3, '0');
    return full.has(code) || prefixes.some((p) => code.startsWith(p));
  };
}

/** `dns_query`: Go regexps over the DNS query. */
export function compileDNS(filter: FlowFilter, checks: Check[]): void {
  const queries = fieldValues(filter, 'dns_query', isString, 'strings');
  if (queries) {
    const res = compileRegExps(queries, 'dns_query');
    checks.push((f) => {
      const dns = f.l7?.dns;
      return dns !== undefined && res.some((re) => re.test(dns.query ?? ''));
    });
  }
}
