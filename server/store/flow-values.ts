/**
 * `GET /api/flow-values` in the store: values seen in stored flows, for autocomplete and the
 * namespace picker. It must stay fast with tens of millions of flows, so no query ever scans more
 * than a fixed number of rows: each reads the newest rows of the window by index order (edge
 * rollups by their primary key's leading `bucket`, flows by the partitions' (time, flow_key) keys)
 * up to a LIMIT, and only then filters, groups and ranks. The cost is that values seen only in
 * older rows of a wide window are missed; suggestions are "seen recently", not exhaustive.
 *
 * Rollups hold namespaces, services, ports, protocols, clusters, verdicts and drop reasons; pods,
 * workloads, labels, names, IPs and nodes exist only on `flows`.
 */
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict, type EnumTable } from '../../lib/flow/enums';
import type { FlowValueField, FlowValuesQuery } from '../../lib/api/flow-values';
import type { Db } from './db';
import { SqlParams } from './filter-sql-params';

/** How many rows a query may read, at most. */
export interface FlowValuesScan {
  edgeRows: number;
  flowRows: number;
}

export const DEFAULT_FLOW_VALUES_SCAN: FlowValuesScan = { edgeRows: 20_000, flowRows: 10_000 };

/** Windows up to this long read the per-minute rollup, longer ones (or none) the per-hour one. */
const MINUTE_ROLLUP_MAX_MS = 6 * 3_600_000;

/**
 * Where a field's values are read: the rollups or flows, the columns the slice needs (never `raw`,
 * the large one), and SQL over a slice row `s` that gives the values as rows `x(v)`.
 */
interface Source {
  from: 'edges' | 'flows';
  columns: string;
  values: string;
}

const SOURCES: Record<Exclude<FlowValueField, 'verdict' | 'drop_reason' | 'protocol'>, Source> = {
  namespace: { from: 'edges', columns: 'src_namespace, dst_namespace', values: '(VALUES (s.src_namespace), (s.dst_namespace)) AS x(v)' },
  service: { from: 'edges', columns: 'dst_service', values: '(VALUES (s.dst_service)) AS x(v)' },
  port: { from: 'edges', columns: 'dst_port', values: '(VALUES (NULLIF(s.dst_port, 0)::text)) AS x(v)' },
  cluster: { from: 'edges', columns: 'src_cluster, dst_cluster', values: '(VALUES (s.src_cluster), (s.dst_cluster)) AS x(v)' },
  pod: {
    from: 'flows',
    columns: 'src_namespace, src_pod, dst_namespace, dst_pod',
    values: `(VALUES (s.src_namespace || '/' || s.src_pod), (s.dst_namespace || '/' || s.dst_pod)) AS x(v)`,
  },
  workload: { from: 'flows', columns: 'src_workloads, dst_workloads', values: 'unnest(s.src_workloads || s.dst_workloads) AS x(v)' },
  label: { from: 'flows', columns: 'src_labels, dst_labels', values: 'unnest(s.src_labels || s.dst_labels) AS x(v)' },
  fqdn: { from: 'flows', columns: 'src_names, dst_names', values: 'unnest(s.src_names || s.dst_names) AS x(v)' },
  ip: { from: 'flows', columns: 'src_ip, dst_ip', values: '(VALUES (host(s.src_ip)), (host(s.dst_ip))) AS x(v)' },
  node: { from: 'flows', columns: 'node_name', values: '(VALUES (s.node_name)) AS x(v)' },
};

/** `--protocol` names Hubble accepts (lib/filter/match-l7.ts), in the order worth offering them. */
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv4', 'icmpv6', 'sctp', 'http', 'dns', 'kafka', 'vrrp', 'igmp'];

/** The newest rows of the window, as a CTE named `slice` with a weight column `w`. */
function sliceSql(source: Pick<Source, 'from' | 'columns'>, query: FlowValuesQuery, scan: FlowValuesScan, params: SqlParams): string {
  const sinceMs = query.since === undefined ? undefined : Date.parse(query.since);
  const untilMs = query.until === undefined ? undefined : Date.parse(query.until);
  const conds: string[] = [];
  if (query.namespaces) {
    const ns = params.add([...query.namespaces]);
    conds.push(`(src_namespace = ANY(${ns}::text[]) OR dst_namespace = ANY(${ns}::text[]))`);
  }
  if (source.from === 'flows') {
    if (sinceMs !== undefined) conds.push(`time >= ${params.add(query.since!)}::timestamptz`);
    if (untilMs !== undefined) conds.push(`time <= ${params.add(query.until!)}::timestamptz`);
    const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
    return `slice AS (SELECT ${source.columns}, 1 AS w FROM flows ${where} ORDER BY time DESC LIMIT ${params.add(scan.flowRows)})`;
  }
  const spanMs = (untilMs ?? Date.now()) - (sinceMs ?? -Infinity);
  const minute = spanMs <= MINUTE_ROLLUP_MAX_MS;
  const bucketMs = minute ? 60_000 : 3_600_000;
  // A bucket holds flows from its start on: the one the window starts in counts too.
  if (sinceMs !== undefined) conds.push(`bucket >= ${params.add(new Date(Math.floor(sinceMs / bucketMs) * bucketMs))}`);
  if (untilMs !== undefined) conds.push(`bucket <= ${params.add(query.until!)}::timestamptz`);
  const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
  const table = minute ? 'edge_minute' : 'edge_hour';
  return `slice AS (SELECT ${source.columns}, flows AS w FROM ${table} ${where} ORDER BY bucket DESC LIMIT ${params.add(scan.edgeRows)})`;
}

/** Values of a free-text field containing the prefix, prefix matches first, then by flows. */
async function textValues(db: Db, source: Source, query: FlowValuesQuery, scan: FlowValuesScan): Promise<string[]> {
  const params = new SqlParams();
  const slice = sliceSql(source, query, scan, params);
  const prefix = params.add(query.prefix);
  const rows = await db.query<{ v: string }>(
    `WITH ${slice}
     SELECT x.v, sum(s.w) AS n FROM slice s CROSS JOIN LATERAL ${source.values}
     WHERE x.v IS NOT NULL AND x.v <> '' AND strpos(lower(x.v), lower(${prefix}::text)) > 0
     GROUP BY x.v
     ORDER BY starts_with(lower(x.v), lower(${prefix}::text)) DESC, n DESC, x.v COLLATE "C"
     LIMIT ${params.add(query.limit)}`,
    params.values,
  );
  return rows.map((r) => r.v);
}

/** Seen values of a closed set first (by flows), then the rest in the set's order; filtered by prefix. */
function closedSet(seen: readonly string[], all: readonly string[], query: FlowValuesQuery): string[] {
  const p = query.prefix.toLowerCase();
  const ordered = [...new Set([...seen.filter((v) => all.includes(v)), ...all])];
  const starts = ordered.filter((v) => v.toLowerCase().startsWith(p));
  const contains = ordered.filter((v) => !v.toLowerCase().startsWith(p) && v.toLowerCase().includes(p));
  return [...starts, ...contains].slice(0, query.limit);
}

/**
 * Values of rollup columns in the slice, renamed by `name` (undefined drops a value), most flows
 * first and ties by name; `values` is SQL over the slice row `s`.
 */
async function rollupValues(
  db: Db, columns: string, values: string, name: (v: string) => string | undefined, query: FlowValuesQuery, scan: FlowValuesScan,
): Promise<string[]> {
  const params = new SqlParams();
  const slice = sliceSql({ from: 'edges', columns }, query, scan, params);
  const rows = await db.query<{ v: string | number; n: string | number }>(
    `WITH ${slice} SELECT x.v, sum(s.w)::float8 AS n FROM slice s CROSS JOIN LATERAL ${values} AS x(v)
     WHERE x.v IS NOT NULL GROUP BY x.v`,
    params.values,
  );
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = name(String(r.v));
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + Number(r.n));
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([v]) => v);
}

async function enumValues(db: Db, column: string, table: EnumTable<string>, unknown: string, query: FlowValuesQuery, scan: FlowValuesScan) {
  const seen = await rollupValues(db, column, `(VALUES (s.${column}::int))`, (n) => table.byNumber.get(Number(n)), query, scan);
  return closedSet(seen, table.names.filter((n) => n !== unknown), query);
}

/**
 * Values of `query.field` seen in the newest stored rows of the query's window (at most `scan`
 * rows), most relevant first. Every value from the request is a parameter.
 */
export async function readFlowValues(db: Db, query: FlowValuesQuery, scan: FlowValuesScan = DEFAULT_FLOW_VALUES_SCAN): Promise<string[]> {
  switch (query.field) {
    case 'verdict':
      return enumValues(db, 'verdict', Verdict, 'VERDICT_UNKNOWN', query, scan);
    case 'drop_reason':
      return enumValues(db, 'drop_reason', DropReason, 'DROP_REASON_UNKNOWN', query, scan);
    case 'protocol': {
      const values = `(VALUES (lower(s.protocol)), (split_part(s.l7, ' ', 1)))`;
      const seen = await rollupValues(db, 'protocol, l7', values, (v) => (PROTOCOLS.includes(v) ? v : undefined), query, scan);
      return closedSet(seen, PROTOCOLS, query);
    }
    default:
      return textValues(db, SOURCES[query.field], query, scan);
  }
}
