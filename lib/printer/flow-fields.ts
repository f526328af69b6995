/**
 * The pieces every `hubble observe` text format prints for a flow — endpoints, identities, type,
 * verdict, summary — computed as the hubble CLI v1.17.0 computes them (`hubble/pkg/printer/
 * printer.go` as vendored from cilium v1.17.0), with colours off.
 */
import type { Endpoint, Flow, LostEvent } from '../flow/flow';
import {
  AuthType, DebugCapturePoint, L7FlowType, LostEventSource, SocketTranslationPoint, TrafficDirection, Verdict,
  type EnumTable,
} from '../flow/enums';
import { dropReasonText } from '../flow/drop-reasons';
import { RESERVED_IDENTITIES } from '../flow/endpoint-entity';
import { GO_TIME_LAYOUTS, formatGoTime } from './go-time';

/** Options shared by the compact, dict and table printers (the CLI's formatting flags). */
export interface PrinterOptions {
  /** `UTC`, a fixed offset like `+02:00`, or an IANA zone. The CLI always prints UTC. */
  timeZone: string;
  /** `--print-node-name`. */
  printNodeName?: boolean;
  /** `--ip-translation` (default true); `--numeric` turns it off. */
  ipTranslation?: boolean;
  /** A Go layout (see `goTimeLayout` for `--time-format` names); default StampMilli. */
  timeFormat?: string;
  /** `--debug`: also print informational node status events (connected, gone). */
  debug?: boolean;
}

/** `fmtTimestamp`: the time in the configured layout and zone, `N/A` when absent or invalid. */
export function timestampText(time: string | undefined, opts: PrinterOptions): string {
  return formatGoTime(time, opts.timeFormat ?? GO_TIME_LAYOUTS.StampMilli, opts.timeZone);
}

/** A protobuf enum's Go `String()`: its name, the number for an unknown value, the zero name when absent. */
export function enumText<N extends string>(table: EnumTable<N>, value: N | number | string | undefined): string {
  if (value === undefined) return table.byNumber.get(0) ?? '0';
  if (typeof value === 'number') return table.byNumber.get(value) ?? String(value);
  return value;
}

// Monitor message types (cilium `pkg/monitor/api/types.go`).
const MSG_DROP = 1;
const MSG_CAPTURE = 3;
const MSG_TRACE = 4;
const MSG_POLICY_VERDICT = 5;
const MSG_TRACE_SOCK = 7;

/** `api.TraceObservationPoints`, indexed by the trace event's sub-type (v1.17.0 has no crypto points). */
const TRACE_POINTS = ['to-endpoint', 'to-proxy', 'to-host', 'to-stack', 'to-overlay', 'from-endpoint', 'from-proxy',
  'from-host', 'from-stack', 'from-overlay', 'from-network', 'to-network'];
/** `api.PolicyMatchType.String()`, indexed by `policy_match_type`. */
const POLICY_MATCH = ['none', 'L3-Only', 'L3-L4', 'L4-Only', 'all', 'L3-Proto', 'Proto-Only'];
const SOCK_XLATE: Readonly<Record<string, string>> = {
  SOCK_XLATE_POINT_POST_DIRECTION_FWD: 'post-xlate-fwd', SOCK_XLATE_POINT_POST_DIRECTION_REV: 'post-xlate-rev',
  SOCK_XLATE_POINT_PRE_DIRECTION_FWD: 'pre-xlate-fwd', SOCK_XLATE_POINT_PRE_DIRECTION_REV: 'pre-xlate-rev',
};

/** Go's `uint8(x)`: the low byte, as the CLI narrows the int32 sub-type. */
const uint8 = (n: number) => n & 0xff;

/**
 * `GetFlowType`: `http-request`, `dns-response proxy`, `kafka-request` for L7; for the other
 * events, by `event_type`: the trace point (`to-endpoint`), the drop reason (`Policy denied`),
 * `policy-verdict:L3-L4 INGRESS`, the capture point, the socket translation point, else `UNKNOWN`.
 */
export function flowTypeText(flow: Flow): string {
  const l7 = flow.l7;
  if (l7) {
    let protocol = 'l7';
    let type = enumText(L7FlowType, l7.type).toLowerCase();
    if (l7.http) protocol = 'http';
    else if (l7.dns) {
      protocol = 'dns';
      type += ` ${l7.dns.observation_source ?? ''}`;
    } else if (l7.kafka) protocol = 'kafka';
    return `${protocol}-${type}`;
  }
  const subType = flow.event_type?.sub_type ?? 0;
  switch (flow.event_type?.type ?? 0) {
    case MSG_TRACE: return TRACE_POINTS[uint8(subType)] ?? String(uint8(subType));
    case MSG_DROP: return dropReasonText(uint8(subType));
    case MSG_POLICY_VERDICT: {
      const match = POLICY_MATCH[flow.policy_match_type ?? 0] ?? 'unknown';
      return `policy-verdict:${match} ${enumText(TrafficDirection, flow.traffic_direction)}`;
    }
    case MSG_CAPTURE: return enumText(DebugCapturePoint, flow.debug_capture_point);
    case MSG_TRACE_SOCK: {
      const point = enumText(SocketTranslationPoint, flow.sock_xlate_point);
      return SOCK_XLATE[point] ?? point;
    }
    default: return 'UNKNOWN';
  }
}

/** `getVerdict`: the verdict name; policy-verdict events say ALLOWED, DENIED or AUDITED instead. */
export function verdictText(flow: Flow): string {
  const verdict = enumText(Verdict, flow.verdict);
  const policyVerdict = flow.event_type?.type === MSG_POLICY_VERDICT;
  if (!policyVerdict) return verdict;
  switch (verdict) {
    case 'FORWARDED': case 'REDIRECTED': return 'ALLOWED';
    case 'DROPPED': case 'ERROR': return 'DENIED';
    case 'AUDIT': return 'AUDITED';
    default: return verdict;
  }
}

/**
 * `getSummary`: the flow's `Summary` (written by the Cilium agent, not the CLI), plus
 * `; Auth: SPIRE` when mutual auth is not DISABLED. The dict format prints `Summary` alone.
 */
export function summaryText(flow: Flow): string {
  const auth = enumText(AuthType, flow.auth_type);
  const summary = flow.Summary ?? '';
  return auth === 'DISABLED' ? summary : `${summary}; Auth: ${auth}`;
}

/** `fmtIdentity`: `(world)`, `(host)` ... for reserved identities, `(unknown)` for 0, else `(ID:n)`. */
export function identityText(identity: number | undefined): string {
  const id = identity ?? 0;
  if (id === 0) return '(unknown)';
  const reserved = RESERVED_IDENTITIES[id];
  return reserved ? `(${reserved})` : `(ID:${id})`;
}

/** `fmtEndpointShort` (debug events): `ns/pod (ID: n)`, `reserved:host (ID: n)`, `ID: n`, or `N/A`. */
export function endpointShortText(ep: Endpoint | undefined): string {
  if (!ep) return 'N/A';
  const id = `ID: ${ep.ID ?? 0}`;
  if (ep.namespace && ep.pod_name) return `${ep.namespace}/${ep.pod_name} (${id})`;
  const labels = ep.labels ?? [];
  return labels.length === 1 && labels[0].startsWith('reserved:') ? `${labels[0]} (${id})` : id;
}

/** `GetPorts`: source and destination port as text for TCP, UDP and SCTP; empty otherwise. */
export function flowPorts(flow: Flow): [string, string] {
  const ports = flow.l4?.TCP ?? flow.l4?.UDP ?? flow.l4?.SCTP;
  if (!ports) return ['', ''];
  return [String(ports.source_port ?? 0), String(ports.destination_port ?? 0)];
}

/** Go's `path.Join`: non-empty elements joined by `/`, then cleaned (`.`/`..`/double slashes). */
function pathJoin(...elems: string[]): string {
  const joined = elems.filter((e) => e !== '').join('/');
  if (joined === '') return '';
  const rooted = joined.startsWith('/');
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !rooted) out.push(part);
  }
  const clean = (rooted ? '/' : '') + out.join('/');
  return clean === '' ? '.' : clean;
}

/** Names an endpoint the way `Printer.Hostname` does. */
export interface HostParts { ip: string; port: string; namespace: string; pod: string; service: string; names: readonly string[] }

/**
 * `Hostname`: `ns/pod`, else `ns/service`, else the DNS names comma-joined, else the IP (always the
 * IP without translation); `:port` unless the port is empty or 0, IPv6 in brackets (`JoinHostPort`).
 */
export function hostnameText(h: HostParts, ipTranslation = true): string {
  let host = h.ip;
  if (ipTranslation) {
    if (h.pod !== '') host = pathJoin(h.namespace, h.pod);
    else if (h.service !== '') host = pathJoin(h.namespace, h.service);
    else if (h.names.length > 0) host = h.names.join(',');
  }
  if (h.port === '' || h.port === '0') return host;
  return host.includes(':') ? `[${host}]:${h.port}` : `${host}:${h.port}`;
}

/**
 * `GetHostNames`: both ends of a flow. A service's namespace replaces the pod's; a flow without
 * an IP layer shows its MAC addresses (or nothing).
 */
export function hostNames(flow: Flow, ipTranslation = true): [string, string] {
  if (!flow.IP) return [flow.ethernet?.source ?? '', flow.ethernet?.destination ?? ''];
  const [srcPort, dstPort] = flowPorts(flow);
  const side = (ip: string | undefined, port: string, ep: Flow['source'], svc: Flow['source_service'], names: string[] | undefined) =>
    hostnameText({
      ip: ip ?? '', port, namespace: svc ? (svc.namespace ?? '') : (ep?.namespace ?? ''), pod: ep?.pod_name ?? '',
      service: svc?.name ?? '', names: names ?? [],
    }, ipTranslation);
  return [
    side(flow.IP.source, srcPort, flow.source, flow.source_service, flow.source_names),
    side(flow.IP.destination, dstPort, flow.destination, flow.destination_service, flow.destination_names),
  ];
}

/** The fields `WriteLostEvent` prints: source enum name, CPU (0 when absent), events lost. */
export function lostEventFields(lost: LostEvent | undefined): { source: string; cpu: number; count: string } {
  return { source: enumText(LostEventSource, lost?.source), cpu: lost?.cpu ?? 0, count: String(lost?.num_events_lost ?? 0) };
}

/** UTF-8 byte length, since Go's `len` counts bytes. */
function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * `joinWithCutOff`: join until the text passes `targetLen` bytes (always at least one element),
 * then say ` (and N more)`. The CLI uses ", " and 50 for node names.
 */
export function joinWithCutOff(elems: readonly string[], sep: string, targetLen: number): string {
  let length = 0;
  let end = elems.length;
  for (let i = 0; i < elems.length; i++) {
    length += byteLength(elems[i]) + byteLength(sep);
    if (length > targetLen && i > 0) {
      end = i;
      break;
    }
  }
  const joined = elems.slice(0, end).join(sep);
  return end === elems.length ? joined : `${joined} (and ${elems.length - end} more)`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

/** Go's `%q` / `strconv.Quote`: double quotes, Go escapes, non-printable runes as \x, \u or \U. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (ch === ' ' || !/[\p{C}\p{Z}]/u.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
