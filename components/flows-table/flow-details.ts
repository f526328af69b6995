/**
 * Every field of a flow, grouped for the detail drawer. Fields are flattened to paths
 * (`source.labels`, `l4.TCP.flags.SYN`, `ingress_denied_by[0].name`) and each path goes to the group
 * of its longest known prefix, in that prefix's order, so a field a newer Hubble adds still shows,
 * under "Other".
 */
import type { Flow } from '../../lib/flow/flow';

export type DetailGroupName = 'Summary' | 'Source' | 'Destination' | 'L3/L4' | 'L7' | 'Policies' | 'Node and trace' | 'Other';

export interface DetailField {
  path: string;
  value: string;
}

export interface DetailGroup {
  name: DetailGroupName;
  fields: DetailField[];
}

const GROUP_ORDER: readonly DetailGroupName[] = ['Summary', 'Source', 'Destination', 'L3/L4', 'L7', 'Policies', 'Node and trace', 'Other'];

// A path matches a prefix whole or up to a `.` or `[`, so only nested prefixes need ordering:
// IP.source before IP. Within a group, fields show in this order.
const PREFIXES: ReadonlyArray<[string, DetailGroupName]> = [
  ['IP.source', 'Source'], ['IP.source_xlated', 'Source'], ['ethernet.source', 'Source'],
  ['IP.destination', 'Destination'], ['ethernet.destination', 'Destination'],
  ['source', 'Source'], ['source_names', 'Source'], ['source_service', 'Source'],
  ['destination', 'Destination'], ['destination_names', 'Destination'], ['destination_service', 'Destination'],
  ['time', 'Summary'], ['uuid', 'Summary'], ['verdict', 'Summary'], ['drop_reason', 'Summary'], ['drop_reason_desc', 'Summary'],
  ['auth_type', 'Summary'], ['Type', 'Summary'], ['event_type', 'Summary'], ['Summary', 'Summary'], ['is_reply', 'Summary'],
  ['reply', 'Summary'], ['traffic_direction', 'Summary'], ['emitter', 'Summary'],
  ['IP', 'L3/L4'], ['l4', 'L3/L4'], ['tunnel', 'L3/L4'], ['ethernet', 'L3/L4'],
  ['l7', 'L7'],
  ['ingress_allowed_by', 'Policies'], ['egress_allowed_by', 'Policies'], ['ingress_denied_by', 'Policies'],
  ['egress_denied_by', 'Policies'], ['policy_match_type', 'Policies'], ['policy_log', 'Policies'],
  ['node_name', 'Node and trace'], ['node_labels', 'Node and trace'], ['trace_observation_point', 'Node and trace'],
  ['trace_reason', 'Node and trace'], ['interface', 'Node and trace'], ['proxy_port', 'Node and trace'],
  ['trace_context', 'Node and trace'], ['sock_xlate_point', 'Node and trace'], ['socket_cookie', 'Node and trace'],
  ['cgroup_id', 'Node and trace'], ['ip_trace_id', 'Node and trace'], ['file', 'Node and trace'],
  ['debug_capture_point', 'Node and trace'],
];

/** The field's group, and its rank there (the order of PREFIXES: time and uuid before the rest). */
function placeOf(path: string): [DetailGroupName, number] {
  for (let rank = 0; rank < PREFIXES.length; rank++) {
    const [prefix, group] = PREFIXES[rank];
    if (path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)) return [group, rank];
  }
  return ['Other', PREFIXES.length];
}

const isPlain = (v: unknown) => v === null || typeof v !== 'object';

/** Leaf paths and their text; arrays of plain values stay one field, one value per line. */
export function flattenFlow(value: unknown, path = '', out: DetailField[] = []): DetailField[] {
  if (Array.isArray(value)) {
    if (value.every(isPlain)) out.push({ path, value: value.map(String).join('\n') });
    else value.forEach((item, i) => flattenFlow(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    // An empty message is meaningful in a oneof (`l4.VRRP: {}`): it says which one.
    if (entries.length === 0 && path) out.push({ path, value: '{}' });
    for (const [key, v] of entries) flattenFlow(v, path ? `${path}.${key}` : key, out);
  } else if (value !== undefined) {
    out.push({ path, value: String(value) });
  }
  return out;
}

/** The flow's fields in drawer groups, in a fixed group order; empty groups are left out. */
export function flowDetailGroups(flow: Flow): DetailGroup[] {
  const groups = new Map<DetailGroupName, Array<DetailField & { rank: number }>>();
  for (const field of flattenFlow(flow)) {
    const [name, rank] = placeOf(field.path);
    const list = groups.get(name);
    if (list) list.push({ ...field, rank });
    else groups.set(name, [{ ...field, rank }]);
  }
  return GROUP_ORDER.filter((name) => groups.has(name)).map((name) => ({
    name,
    // A stable sort: fields under one prefix keep the order the flow has them in.
    fields: groups.get(name)!.sort((a, b) => a.rank - b.rank).map(({ path, value }) => ({ path, value })),
  }));
}
