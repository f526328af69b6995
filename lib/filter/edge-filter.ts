/**
 * The Hubble filter that selects the flows of one rollup edge (a service-map edge, a drop group):
 * the way from an aggregate back to `hubble observe` flags, so a click on the map or a drop group
 * opens the flows table with a filter a runbook could paste.
 */
import { RESERVED_IDENTITIES } from '../flow/endpoint-entity';
import type { DropReasonName } from '../flow/drop-reasons';
import type { VerdictName } from '../flow/enums';
import type { FlowFilter } from './flow-filter';
import { parseIPAddress } from './ip-address';

/** One side of an edge as the rollups key it (server/store/edge-counts.ts). */
export interface EdgeEndpoint {
  cluster: string;
  namespace: string;
  /** Workload, else pod, else reserved identity name, else IP address. */
  entity: string;
}

/** What an edge or drop group holds, as the rollups key it; '' or 0 means "not part of the key". */
export interface EdgeSelection {
  source: EdgeEndpoint;
  destination: EdgeEndpoint;
  /** FQDN, or network in CIDR form, behind a world destination. */
  destinationName?: string;
  port?: number;
  /** L4 protocol as stored (`TCP`, `UDP`, `ICMPv4`, ...). */
  protocol?: string;
  verdict?: VerdictName;
  dropReason?: DropReasonName;
}

const RESERVED_NAMES = new Set(Object.values(RESERVED_IDENTITIES));
const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

type SideFields = Pick<FlowFilter, 'source_pod' | 'source_workload' | 'source_label' | 'source_ip' | 'source_cluster_name'>;

/**
 * Filter fields for one endpoint, on the source side (the caller moves them to the destination).
 * Namespaced entities are taken as workloads (what the rollups name first); an endpoint without a
 * workload is named by its pod, which a workload filter cannot select, so the namespace alone
 * stands in for it and the caller's other fields narrow it down.
 */
function endpointFields(e: EdgeEndpoint): SideFields {
  const fields: SideFields = {};
  if (e.cluster) fields.source_cluster_name = [e.cluster];
  if (e.namespace) {
    fields.source_pod = [`${e.namespace}/`];
    if (e.entity) fields.source_workload = [{ name: e.entity }];
  } else if (RESERVED_NAMES.has(e.entity)) {
    fields.source_label = [`reserved:${e.entity}`];
  } else if (e.entity && parseIPAddress(e.entity)) {
    fields.source_ip = [e.entity];
  }
  return fields;
}

function toDestination(f: SideFields): FlowFilter {
  const out: FlowFilter = {};
  if (f.source_pod) out.destination_pod = f.source_pod;
  if (f.source_workload) out.destination_workload = f.source_workload;
  if (f.source_label) out.destination_label = f.source_label;
  if (f.source_ip) out.destination_ip = f.source_ip;
  if (f.source_cluster_name) out.destination_cluster_name = f.source_cluster_name;
  return out;
}

/**
 * The filter for the requests of an edge (from its client to its server). Replies, which the
 * rollups count on the same edge, travel the other way and are not selected.
 */
export function edgeFilter(edge: EdgeSelection): FlowFilter {
  const filter: FlowFilter = { ...endpointFields(edge.source), ...toDestination(endpointFields(edge.destination)) };
  const name = edge.destinationName;
  if (name) {
    if (name.includes('/')) filter.destination_ip = [name];
    else filter.destination_fqdn = [name];
  }
  const protocol = edge.protocol?.toLowerCase();
  if (protocol) filter.protocol = [protocol];
  if (edge.port && protocol && PORT_PROTOCOLS.has(protocol)) filter.destination_port = [String(edge.port)];
  if (edge.verdict) filter.verdict = [edge.verdict];
  if (edge.dropReason) filter.drop_reason_desc = [edge.dropReason];
  return filter;
}
