/**
 * What identifies a drop group, shared by the drop inbox, a group's page and the triage view: the
 * DROPPED edges of the rollups (server/store/edge-counts.ts) grouped by source, destination, port,
 * protocol, drop reason and denying policies. A group's page URL spells its key out as readable
 * parameters, so a link in a chat says what it is about:
 *
 *   /drops/group?from=shop/frontend&to=shop/api&port=8080&protocol=TCP&reason=POLICY_DENIED&policies=shop/api-ingress
 *                [&from-cluster=][&to-cluster=][&to-name=api.stripe.com][&since=&until=]
 */
import { DropReason, type DropReasonName } from '../flow/drop-reasons';
import type { EdgeEndpoint, EdgeSelection } from '../filter/edge-filter';

/** The key of a drop group, as the rollups hold it. */
export interface DropGroupKey {
  source: EdgeEndpoint;
  destination: EdgeEndpoint;
  /** FQDN or network behind a world destination; '' otherwise. */
  destinationName: string;
  /** 0 without a port (ICMP, ...). */
  port: number;
  /** L4 protocol as stored (`TCP`, `UDP`, `ICMPv4`, ...); '' without one. */
  protocol: string;
  dropReason: DropReasonName;
  /** Denying policies as `namespace/name`, egress first, comma-separated; '' for none. */
  policies: string;
}

/** The rollup columns of a DropGroupKey, in the order the rollup tables name them. */
export const DROP_GROUP_COLUMNS = [
  'src_cluster', 'src_namespace', 'src_entity', 'dst_cluster', 'dst_namespace', 'dst_entity', 'dst_name', 'dst_port',
  'protocol', 'drop_reason', 'policies',
] as const;

/** A malformed group link. */
export class DropGroupKeyError extends Error {
  override name = 'DropGroupKeyError';
}

const endpointText = (e: EdgeEndpoint) => (e.namespace ? `${e.namespace}/${e.entity}` : e.entity);

function endpointFrom(text: string, cluster: string): EdgeEndpoint {
  const slash = text.indexOf('/');
  // Entities outside namespaces are identity names or addresses; an IPv6 address holds no '/'.
  return slash < 0 ? { cluster, namespace: '', entity: text } : { cluster, namespace: text.slice(0, slash), entity: text.slice(slash + 1) };
}

/** The query parameters that name a group (without the window). */
export function dropGroupParams(key: DropGroupKey): URLSearchParams {
  const p = new URLSearchParams();
  p.set('from', endpointText(key.source));
  p.set('to', endpointText(key.destination));
  if (key.source.cluster) p.set('from-cluster', key.source.cluster);
  if (key.destination.cluster) p.set('to-cluster', key.destination.cluster);
  if (key.destinationName) p.set('to-name', key.destinationName);
  if (key.port) p.set('port', String(key.port));
  if (key.protocol) p.set('protocol', key.protocol);
  p.set('reason', key.dropReason);
  if (key.policies) p.set('policies', key.policies);
  return p;
}

/** The page of a group, for a window (RFC 3339 bounds or a `since` duration). */
export function dropGroupHref(key: DropGroupKey, window: { since?: string; until?: string } = {}): string {
  const p = dropGroupParams(key);
  if (window.since) p.set('since', window.since);
  if (window.until) p.set('until', window.until);
  return `/drops/group?${p.toString()}`;
}

/** Reads a group's key from its page parameters; throws DropGroupKeyError naming the parameter at fault. */
export function parseDropGroupParams(p: URLSearchParams): DropGroupKey {
  const from = p.get('from');
  const to = p.get('to');
  if (!from) throw new DropGroupKeyError('from: missing (the source, namespace/workload or an identity)');
  if (!to) throw new DropGroupKeyError('to: missing (the destination, namespace/workload or an identity)');
  const portText = p.get('port') ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new DropGroupKeyError(`port: expected 0 to 65535, got ${JSON.stringify(portText)}`);
  const reason = p.get('reason') ?? '';
  if (!(DropReason.names as readonly string[]).includes(reason)) throw new DropGroupKeyError(`reason: unknown drop reason ${JSON.stringify(reason)}`);
  return {
    source: endpointFrom(from, p.get('from-cluster') ?? ''),
    destination: endpointFrom(to, p.get('to-cluster') ?? ''),
    destinationName: p.get('to-name') ?? '',
    port,
    protocol: p.get('protocol') ?? '',
    dropReason: reason as DropReasonName,
    policies: p.get('policies') ?? '',
  };
}

/** The edge selection of a group, for `edgeFilter` (lib/filter/edge-filter.ts). */
export function dropGroupSelection(key: DropGroupKey): EdgeSelection {
  return {
    source: key.source, destination: key.destination, destinationName: key.destinationName, port: key.port,
    protocol: key.protocol, verdict: 'DROPPED', dropReason: key.dropReason,
  };
}
