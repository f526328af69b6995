/**
 * The CLI's `filterTracker` (cilium v1.17 `hubble/cmd/observe/flows_filter.go`): filter flags
 * fill a *left* (source-side) and a *right* (destination-side) FlowFilter; plain flags such as
 * `--pod` write `source_*` on the left and `destination_*` on the right, every other flag writes
 * both; namespaces are kept aside and applied to pods/services when the filters are built; equal
 * left and right collapse into one filter. Conflicting flags and namespaces fail as in the CLI.
 */
import { FilterError } from './filter-error';
import type { FlowFilter, FlowFilterField } from './flow-filter';
import { compileFlowFilter } from './match';
import type { FilterFlagName } from './observe-flags';
import { FlagValueError, goQuote } from './observe-go-values';
import { filterKey, orderedFilter } from './observe-raw-filters';
import {
  parseDropReason, parseEventType, parseHTTPHeader, parseIPVersion, parseIdentity, parseTCPFlags,
  parseTrafficDirection, parseVerdict, parseWorkload,
} from './observe-values';

type ListField = Exclude<FlowFilterField, 'experimental'>;
type Parse = (val: string) => unknown;
type Action =
  | { kind: 'split'; source: ListField; destination: ListField; parse?: Parse }
  | { kind: 'both'; field: ListField | 'cel'; parse?: Parse }
  | { kind: 'ns'; list: 'ns' | 'srcNs' | 'dstNs'; all: boolean };

const split = (source: ListField, destination: ListField, parse?: Parse): Action => ({ kind: 'split', source, destination, parse });
const both = (field: ListField | 'cel', parse?: Parse): Action => ({ kind: 'both', field, parse });
const ns = (list: 'ns' | 'srcNs' | 'dstNs', all = false): Action => ({ kind: 'ns', list, all });
const constant = (v: unknown): Parse => () => v;

const ACTIONS: Record<Exclude<FilterFlagName, 'not'>, Action> = {
  uuid: both('uuid'), 'trace-id': both('trace_id'),
  fqdn: split('source_fqdn', 'destination_fqdn'), 'from-fqdn': both('source_fqdn'), 'to-fqdn': both('destination_fqdn'),
  pod: split('source_pod', 'destination_pod'), 'from-pod': both('source_pod'), 'to-pod': both('destination_pod'),
  ip: split('source_ip', 'destination_ip'), 'from-ip': both('source_ip'), 'to-ip': both('destination_ip'),
  'snat-ip': both('source_ip_xlated'),
  ipv4: both('ip_version', constant('IPv4')), ipv6: both('ip_version', constant('IPv6')), 'ip-version': both('ip_version', parseIPVersion),
  label: split('source_label', 'destination_label'), 'from-label': both('source_label'), 'to-label': both('destination_label'),
  namespace: ns('ns'), 'from-namespace': ns('srcNs'), 'to-namespace': ns('dstNs'),
  'all-namespaces': ns('ns', true), 'from-all-namespaces': ns('srcNs', true), 'to-all-namespaces': ns('dstNs', true),
  service: split('source_service', 'destination_service'), 'from-service': both('source_service'), 'to-service': both('destination_service'),
  port: split('source_port', 'destination_port'), 'from-port': both('source_port'), 'to-port': both('destination_port'),
  verdict: both('verdict', parseVerdict), 'drop-reason-desc': both('drop_reason_desc', parseDropReason),
  'http-status': both('http_status_code'), 'http-method': both('http_method'), 'http-path': both('http_path'),
  'http-url': both('http_url'), 'http-header': both('http_header', parseHTTPHeader),
  type: both('event_type', parseEventType), protocol: both('protocol'),
  workload: split('source_workload', 'destination_workload', parseWorkload),
  'from-workload': both('source_workload', parseWorkload), 'to-workload': both('destination_workload', parseWorkload),
  identity: split('source_identity', 'destination_identity', parseIdentity),
  'from-identity': both('source_identity', parseIdentity), 'to-identity': both('destination_identity', parseIdentity),
  'node-name': both('node_name'), 'node-label': both('node_labels'),
  cluster: split('source_cluster_name', 'destination_cluster_name'),
  'from-cluster': both('source_cluster_name'), 'to-cluster': both('destination_cluster_name'),
  'tcp-flags': both('tcp_flags', parseTCPFlags), 'traffic-direction': both('traffic_direction', parseTrafficDirection),
  'cel-expression': both('cel'), interface: both('interface', (v) => (v === '' ? {} : { name: v })),
};

/** The CLI's conflict groups: at most one flag of a group per tracker (singletons never conflict). */
const CONFLICTS: readonly (readonly string[])[] = [
  ['from-fqdn', 'from-ip', 'ip', 'fqdn', 'from-namespace', 'namespace', 'from-all-namespaces', 'all-namespaces'],
  ['from-fqdn', 'from-ip', 'ip', 'fqdn', 'from-pod', 'pod'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-namespace', 'namespace', 'to-all-namespaces', 'all-namespaces'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-pod', 'pod'],
  ['to-pod', 'namespace', 'all-namespaces'], ['from-pod', 'namespace', 'all-namespaces'],
  ['to-service', 'namespace', 'all-namespaces'], ['from-service', 'namespace', 'all-namespaces'],
  ['label', 'from-label'], ['label', 'to-label'], ['service', 'from-service'], ['service', 'to-service'],
  ['port', 'to-port'], ['port', 'from-port'], ['identity', 'to-identity'], ['identity', 'from-identity'],
  ['workload', 'to-workload'], ['workload', 'from-workload'],
];

/** Fields whose values a namespace flag may still rewrite, so they are only checked once built. */
const NAMESPACED = new Set<string>(['source_pod', 'destination_pod', 'source_service', 'destination_service']);

type Draft = Record<string, unknown[]>;

const namespaceOf = (name: string) => {
  const parts = name.split('/');
  return parts.length > 1 ? parts[0] : '';
};

function nsConflict(nsList: readonly string[], names: readonly unknown[] | undefined): string | undefined {
  for (const n of nsList) {
    for (const name of (names ?? []) as string[]) {
      const nn = namespaceOf(name);
      if (nn !== '' && nn !== n) return `namespace conflict: ${goQuote(n)} does not contain ${goQuote(name)}`;
    }
  }
  return undefined;
}

function inconsistent(pods: readonly unknown[] | undefined, services: readonly unknown[] | undefined): string | undefined {
  for (const pod of (pods ?? []) as string[]) {
    const podNs = namespaceOf(pod);
    if (podNs === '') continue;
    for (const svc of (services ?? []) as string[]) {
      if (namespaceOf(svc) !== podNs) return `namespace of service ${goQuote(svc)} conflict with pod ${goQuote(podNs)}`;
    }
  }
  return undefined;
}

/** `addNamespacesToFilter`: values without `/` get every namespace as a prefix. */
function addNamespaces(values: unknown[] | undefined, nsList: readonly string[]): unknown[] | undefined {
  if (nsList.length === 0 || values === undefined || values.length === 0) return values;
  return (values as string[]).flatMap((v) => (v.includes('/') ? [v] : nsList.map((n) => `${n}/${v}`)));
}

function applyNamespaces(d: Draft, side: 'source' | 'destination', nsList: readonly string[]): void {
  const pod = `${side}_pod`;
  const svc = `${side}_service`;
  if (!d[pod]?.length && !d[svc]?.length) d[pod] = [''];
  for (const field of [pod, svc]) {
    const v = addNamespaces(d[field], nsList);
    if (v !== undefined) d[field] = v;
  }
}

/** Checks one value the way Hubble's server would, so a bad value is reported with its flag. */
function validateValue(field: string, value: unknown): void {
  if (NAMESPACED.has(field) || field === 'cel') return;
  try {
    compileFlowFilter({ [field]: [value] } as FlowFilter);
  } catch (e) {
    if (e instanceof FilterError) throw new FlagValueError(e.message);
    throw e;
  }
}

/** One side (allow or deny) of the CLI's filter flags. */
export class FilterTracker {
  private left: Draft | undefined;
  private right: Draft | undefined;
  private readonly ns: string[] = [];
  private readonly srcNs: string[] = [];
  private readonly dstNs: string[] = [];
  /** Flags used so far, first use order (the CLI's `changed`). */
  readonly changed: string[] = [];

  /** Applies one filter flag. Throws a FlagValueError with the CLI's message for the value. */
  set(name: Exclude<FilterFlagName, 'not'>, val: string): void {
    if (!this.changed.includes(name)) this.changed.push(name);
    this.checkConflict();
    const action = ACTIONS[name];
    if (action.kind === 'ns') {
      this[action.list].push(action.all ? '' : val);
    } else if (action.kind === 'split') {
      const v = action.parse ? action.parse(val) : val;
      validateValue(action.source, v);
      this.append('left', action.source, v);
      this.append('right', action.destination, v);
    } else {
      const v = action.parse ? action.parse(val) : val;
      validateValue(action.field, v);
      this.append('left', action.field, v);
      this.append('right', action.field, v);
    }
    const err = this.namespaceConflicts(this.left) ?? this.namespaceConflicts(this.right);
    if (err !== undefined) throw new FlagValueError(err);
  }

  private append(side: 'left' | 'right', field: string, v: unknown): void {
    const d = (this[side] ??= {});
    (d[field] ??= []).push(v);
  }

  private checkConflict(): void {
    for (const group of CONFLICTS) {
      for (const flag of group) {
        if (!this.changed.includes(flag)) continue;
        const other = group.find((c) => c !== flag && this.changed.includes(c));
        if (other !== undefined) throw new FlagValueError(`filters --${flag} and --${other} cannot be combined`);
      }
    }
  }

  private namespaceConflicts(d: Draft | undefined): string | undefined {
    if (d === undefined) return undefined;
    const errors = [
      nsConflict(this.ns, d.source_pod), nsConflict(this.ns, d.source_service),
      nsConflict(this.ns, d.destination_pod), nsConflict(this.ns, d.destination_service),
      nsConflict(this.srcNs, d.source_pod), nsConflict(this.srcNs, d.source_service),
      nsConflict(this.dstNs, d.destination_pod), nsConflict(this.dstNs, d.destination_service),
      inconsistent(d.source_pod, d.source_service), inconsistent(d.destination_pod, d.destination_service),
    ].filter((e) => e !== undefined);
    return errors.length > 0 ? errors.join('\n') : undefined;
  }

  /** The FlowFilters the CLI sends for these flags: none, one, or left and right. */
  flowFilters(): FlowFilter[] {
    if (!this.left && !this.right && this.ns.length + this.srcNs.length + this.dstNs.length === 0) return [];
    const copy = (d: Draft | undefined): Draft => Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => [k, [...v]]));
    const left = copy(this.left);
    const right = copy(this.right);
    if (this.dstNs.length > 0) {
      applyNamespaces(left, 'destination', this.dstNs);
      applyNamespaces(right, 'destination', this.dstNs);
    }
    if (this.srcNs.length > 0) {
      applyNamespaces(left, 'source', this.srcNs);
      applyNamespaces(right, 'source', this.srcNs);
    }
    if (this.ns.length > 0) {
      applyNamespaces(left, 'source', this.ns);
      applyNamespaces(right, 'destination', this.ns);
    }
    const l = toFilter(left);
    const r = toFilter(right);
    return filterKey(l) === filterKey(r) ? [l] : [l, r];
  }
}

function toFilter(d: Draft): FlowFilter {
  const { cel, ...rest } = d;
  const f: FlowFilter = { ...(rest as FlowFilter) };
  if (cel !== undefined) f.experimental = { cel_expression: cel as string[] };
  return orderedFilter(f);
}

/** The filter flags that can write `field` (for naming the culprit of an invalid built filter). */
export function flagsWritingField(field: string): string[] {
  const out: string[] = [];
  for (const [flag, action] of Object.entries(ACTIONS) as [string, Action][]) {
    const writes = action.kind === 'ns'
      ? NAMESPACED.has(field) && (action.list === 'ns' || field.startsWith(action.list === 'srcNs' ? 'source' : 'destination'))
      : action.kind === 'split'
        ? action.source === field || action.destination === field
        : action.field === field || (action.field === 'cel' && field.startsWith('experimental'));
    if (writes) out.push(flag);
  }
  return out;
}
