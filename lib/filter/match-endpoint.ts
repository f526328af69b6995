/**
 * Predicate builders for the FlowFilter fields about one endpoint of the flow: `{source,destination}_`
 * ip, pod, service, fqdn, label, port, identity, workload and cluster name (and `source_ip_xlated`).
 */
import type { Endpoint, Flow, Service } from '../flow/flow';
import { FilterError } from './filter-error';
import type { FlowFilter } from './flow-filter';
import {
  compileStringSet, fieldValues, inField, isObject, isString, uint, type Check, type Side,
} from './field-values';
import { compileFQDNMatcher } from './fqdn-pattern';
import { parseIPAddress, parseIPAddressCached, parseIPPrefix, prefixContains, type IPPrefix } from './ip-address';
import { compileLabelSelectors } from './label-selector';
import { compilePorts } from './match-l7';

function compileIPs(list: string[], field: string, get: (f: Flow) => string | undefined): Check {
  const addresses = new Set<string>();
  const prefixes: IPPrefix[] = [];
  for (const ip of list) {
    if (ip.includes('/')) {
      const prefix = parseIPPrefix(ip);
      if (!prefix) throw new FilterError(`invalid IP prefix ${JSON.stringify(ip)}`, field);
      prefixes.push(prefix);
    } else {
      if (!parseIPAddress(ip)) throw new FilterError(`invalid IP address ${JSON.stringify(ip)}`, field);
      addresses.add(ip);
    }
  }
  return (flow) => {
    const ip = get(flow);
    if (!ip) return false;
    if (addresses.has(ip)) return true;
    if (prefixes.length === 0) return false;
    const addr = parseIPAddressCached(ip);
    if (addr === undefined) return false;
    for (const p of prefixes) if (prefixContains(p, addr)) return true;
    return false;
  };
}

/** `[ns/]prefix`: a bare prefix means namespace `default`; `/prefix` any namespace; `ns/` any name. */
function compileNamespacedNames(list: string[], field: string, get: (f: Flow) => { namespace?: string; name?: string }): Check {
  const wanted = list.map((v) => {
    if (v === '') throw new FilterError('name must not be empty', field);
    const parts = v.split('/');
    return parts.length > 1 ? { ns: parts[0], prefix: parts[1] } : { ns: 'default', prefix: parts[0] };
  });
  return (flow) => {
    const { namespace = '', name = '' } = get(flow);
    if (namespace === '' && name === '') return false;
    for (const w of wanted) if ((w.ns === '' || w.ns === namespace) && name.startsWith(w.prefix)) return true;
    return false;
  };
}

const podOf = (ep: Endpoint | undefined) => ({ namespace: ep?.namespace, name: ep?.pod_name });
const serviceOf = (svc: Service | undefined) => ({ namespace: svc?.namespace, name: svc?.name });

/** All `<side>_*` fields of one side (ports included), in a fixed order. */
export function compileEndpoint(filter: FlowFilter, side: Side, checks: Check[]): void {
  const field = (suffix: string) => `${side}_${suffix}` as keyof FlowFilter;
  const strings = (suffix: string) => fieldValues(filter, field(suffix), isString, 'strings');
  const ips = strings('ip');
  if (ips) checks.push(compileIPs(ips, field('ip'), (f) => f.IP?.[side]));
  const xlated = side === 'source' ? strings('ip_xlated') : undefined;
  if (xlated) checks.push(compileIPs(xlated, 'source_ip_xlated', (f) => f.IP?.source_xlated));
  const pods = strings('pod');
  if (pods) checks.push(compileNamespacedNames(pods, field('pod'), (f) => podOf(f[side])));
  const services = strings('service');
  if (services) checks.push(compileNamespacedNames(services, field('service'), (f) => serviceOf(f[`${side}_service`])));
  const fqdns = strings('fqdn');
  if (fqdns) {
    const match = inField(field('fqdn'), () => compileFQDNMatcher(fqdns));
    checks.push((f) => match(f[`${side}_names`]));
  }
  const labels = strings('label');
  if (labels) {
    const match = inField(field('label'), () => compileLabelSelectors(labels));
    checks.push((f) => match(f[side]?.labels));
  }
  const ports = strings('port');
  if (ports) checks.push(compilePorts(ports, field('port'), `${side}_port`));
  const identities = fieldValues(filter, field('identity'), (v): v is number | string => typeof v === 'number' || typeof v === 'string', 'identities');
  if (identities) {
    const set = new Set(identities.map((v) => uint(v, 2 ** 32 - 1, field('identity'))));
    checks.push((f) => {
      const ep = f[side];
      return ep !== undefined && set.has(ep.identity ?? 0);
    });
  }
  const workloads = fieldValues(filter, field('workload'), isObject, 'Workload objects');
  if (workloads) {
    const wanted = workloads.map((w) => ({ name: String(w.name ?? ''), kind: String(w.kind ?? '') }));
    checks.push((f) => (f[side]?.workloads ?? []).some((w) =>
      wanted.some((x) => (x.name === '' || x.name === w.name) && (x.kind === '' || x.kind === w.kind))));
  }
}

/** `source_cluster_name`, `destination_cluster_name`: exact, non-empty names. */
export function compileClusterNames(filter: FlowFilter, checks: Check[]): void {
  compileStringSet(filter, checks, 'source_cluster_name', (f) => f.source?.cluster_name, true);
  compileStringSet(filter, checks, 'destination_cluster_name', (f) => f.destination?.cluster_name, true);
}
