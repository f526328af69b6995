/**
 * Value parsers for `hubble observe` filter flags, with the CLI's exact rules and messages
 * (`hubble/cmd/observe/flows_filter.go`, `identity.go`, `workload.go` in cilium v1.17): event types
 * and sub-types, security identities by number or reserved name, workloads, TCP flags, IP version
 * aliases, traffic direction, verdict and drop-reason names, HTTP headers.
 * Each throws a FlagValueError whose message is the CLI's text for the bad value.
 */
import { TCP_FLAG_NAMES, type TCPFlags } from '../flow/flow';
import { Verdict, type IPVersionName, type TrafficDirectionName, type VerdictName } from '../flow/enums';
import { DropReason, type DropReasonName } from '../flow/drop-reasons';
import type { EventTypeFilter, HTTPHeader, Workload } from './flow-filter';
import { FlagValueError, goQuote, parseGoUint } from './observe-go-values';

/** `monitorAPI.MessageTypeNames`: `--type` names and their numbers. */
export const MESSAGE_TYPES: ReadonlyMap<string, number> = new Map([
  ['drop', 1], ['debug', 2], ['capture', 3], ['trace', 4], ['policy-verdict', 5], ['recorder', 6],
  ['trace-sock', 7], ['l7', 129], ['agent', 130],
]);
const TRACE_TYPE = 4;
const AGENT_TYPE = 130;

/** `monitorAPI.TraceObservationPoints`, indexed by sub-type. */
export const TRACE_SUBTYPES: readonly string[] = [
  'to-endpoint', 'to-proxy', 'to-host', 'to-stack', 'to-overlay', 'from-endpoint', 'from-proxy', 'from-host',
  'from-stack', 'from-overlay', 'from-network', 'to-network',
];

/** The CLI's `agentEventSubtypes`, indexed by sub-type. */
export const AGENT_SUBTYPES: readonly string[] = [
  'unspecified', 'message', 'agent-started', 'endpoint-regenerate-success', 'endpoint-regenerate-failure',
  'policy-updated', 'policy-deleted', 'endpoint-created', 'endpoint-deleted', 'ipcache-upserted', 'ipcache-deleted',
  'service-upserted', 'service-deleted',
];

/** Cilium's reserved identities by name (`identity.GetReservedID`). */
export const RESERVED_IDENTITIES: ReadonlyMap<string, number> = new Map([
  ['host', 1], ['world', 2], ['unmanaged', 3], ['health', 4], ['init', 5], ['remote-node', 6],
  ['kube-apiserver', 7], ['ingress', 8], ['world-ipv4', 9], ['world-ipv6', 10], ['overlay-to-encrypt', 11],
]);

/** What the CLI lists in its identity error: reserved ids in order, 11 printed as a number (it has no String name). */
const IDENTITY_CHOICES = '[host world unmanaged health init remote-node kube-apiserver ingress world-ipv4 world-ipv6 11]';

/** `-t TYPE[:SUBTYPE]`; a numeric type takes only a numeric sub-type, exactly as in the CLI. */
export function parseEventType(val: string): EventTypeFilter {
  const colon = val.indexOf(':');
  const head = colon < 0 ? val : val.slice(0, colon);
  const named = MESSAGE_TYPES.get(head);
  let type: number;
  if (named !== undefined) type = named;
  else {
    try {
      type = Number(parseGoUint(head, 10, 32)) | 0;
    } catch (e) {
      throw new FlagValueError(`unable to parse type '${head}', not a known type name and unable to parse as numeric value: ${(e as Error).message}`);
    }
  }
  if (colon < 0) return { type };
  const sub = val.slice(colon + 1);
  // The CLI looks sub-type names up by the *named* type only (a numeric type is 0 there).
  let subType = named === TRACE_TYPE ? TRACE_SUBTYPES.indexOf(sub) : named === AGENT_TYPE ? AGENT_SUBTYPES.indexOf(sub) : -1;
  if (subType < 0) {
    try {
      subType = Number(parseGoUint(sub, 10, 32)) | 0;
    } catch (e) {
      throw new FlagValueError(`unable to parse event sub-type '${sub}', not a known sub-type name and unable to parse as numeric value: ${(e as Error).message}`);
    }
  }
  return { type, match_sub_type: true, sub_type: subType };
}

/** `--identity`: a reserved name (`world`) or a number (Go base-0 syntax, uint32). */
export function parseIdentity(val: string): number {
  const reserved = RESERVED_IDENTITIES.get(val);
  if (reserved !== undefined) return reserved;
  try {
    return Number(parseGoUint(val, 0, 32));
  } catch {
    throw new FlagValueError(`invalid security identity, expected one of ${IDENTITY_CHOICES} or a numeric value`);
  }
}

/** `--workload`: `kind/name`, `name` or `kind/`; empty parts are left out, as protojson would. */
export function parseWorkload(val: string): Workload {
  const slash = val.indexOf('/');
  const kind = slash < 0 ? '' : val.slice(0, slash);
  const name = slash < 0 ? val : val.slice(slash + 1);
  const w: Workload = {};
  if (kind !== '') w.kind = kind;
  if (name !== '') w.name = name;
  return w;
}

/** `--tcp-flags syn,ack`: all listed flags must be set (case-insensitive names). */
export function parseTCPFlags(val: string): TCPFlags {
  const flags: TCPFlags = {};
  for (const part of val.split(',')) {
    const name = TCP_FLAG_NAMES.find((n) => n === part.toUpperCase());
    if (name === undefined) throw new FlagValueError(`unknown tcp flag: ${part}`);
    flags[name] = true;
  }
  return flags;
}

/** `--ip-version`: 4/v4/ipv4/ip4, 6/v6/ipv6/ip6, anything else (e.g. `none`) means IP_NOT_USED. */
export function parseIPVersion(val: string): IPVersionName {
  const v = val.toLowerCase();
  if (['4', 'v4', 'ipv4', 'ip4'].includes(v)) return 'IPv4';
  if (['6', 'v6', 'ipv6', 'ip6'].includes(v)) return 'IPv6';
  return 'IP_NOT_USED';
}

/** `--traffic-direction ingress|egress`, case-insensitive. */
export function parseTrafficDirection(val: string): TrafficDirectionName {
  const td = val.toLowerCase();
  if (td === 'ingress') return 'INGRESS';
  if (td === 'egress') return 'EGRESS';
  throw new FlagValueError(`${td}: invalid traffic direction, expected ingress or egress`);
}

/** `--verdict`: an exact `flow.Verdict` name (`DROPPED`, not `dropped`). */
export function parseVerdict(val: string): VerdictName {
  if (!Verdict.byName.has(val)) throw new FlagValueError(`invalid --verdict value: ${val}`);
  return val as VerdictName;
}

/** `--drop-reason-desc`: an exact `flow.DropReason` name. */
export function parseDropReason(val: string): DropReasonName {
  if (val === '') throw new FlagValueError('empty --drop-reason-desc value');
  if (!DropReason.byName.has(val)) throw new FlagValueError(`invalid --drop-reason-desc value: ${val}`);
  return val as DropReasonName;
}

/** `--http-header key:value`, split at the first colon; empty parts are left out. */
export function parseHTTPHeader(val: string): HTTPHeader {
  const colon = val.indexOf(':');
  if (colon < 0) throw new FlagValueError(`invalid http-header value ${goQuote(val)}, expected name:value`);
  const h: HTTPHeader = {};
  if (colon > 0) h.key = val.slice(0, colon);
  if (colon < val.length - 1) h.value = val.slice(colon + 1);
  return h;
}
