/**
 * Edge rollup counts gathered while a batch's rows are built, upserted into edge_minute and
 * edge_hour with one statement each (arrays unnested server-side, values always as parameters).
 *
 * An edge is a client talking to a server port; replies count on the edge of their request. The key
 * of an edge is defined twice, once over a row in memory (`edgeKeyOf`, the fast path) and
 * once in SQL over stored flows (`EDGE_KEY_FROM_FLOWS`, the staging path, the bench loader and the
 * tests that compare the two); flow-writer.int.test.ts holds them equal.
 */
import { parseIPAddressCached } from '../../lib/filter/ip-address';
import type { CopyValue } from './copy-binary';
import type { DbTx, SqlParam } from './db';
import { FLOW_COLUMNS } from './flow-row';

/** SQLSTATE of a unique-key violation. */
export const UNIQUE_VIOLATION = '23505';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The rollup tables' key columns after `bucket`, in key order. */
export const EDGE_KEY_COLUMNS = [
  'src_cluster', 'src_namespace', 'src_entity', 'dst_cluster', 'dst_namespace', 'dst_entity', 'dst_name',
  'dst_service', 'dst_port', 'protocol', 'verdict', 'drop_reason', 'l7', 'policies',
] as const;

/** EDGE_KEY_COLUMNS joined for SQL. */
export const EDGE_KEY = EDGE_KEY_COLUMNS.join(', ');

const WORLD = `('world', 'world-ipv4', 'world-ipv6')`;

/**
 * A reply (is_reply) counts on the edge of the request it answers: the sides swap and the port is
 * the server's, so replies neither draw a reverse edge nor spread one edge over ephemeral ports.
 */
const side = (of: 'client' | 'server', column: string) => {
  const [request, reply] = of === 'client' ? ['src', 'dst'] : ['dst', 'src'];
  return `CASE WHEN is_reply THEN ${reply}_${column} ELSE ${request}_${column} END`;
};
const server = (column: string) => side('server', column);

/** Each EDGE_KEY_COLUMNS value computed from a `flows` row in SQL, aliased to the column's name. */
export const EDGE_KEY_FROM_FLOWS = [
  `coalesce(${side('client', 'cluster')}, '') AS src_cluster`,
  `coalesce(${side('client', 'namespace')}, '') AS src_namespace`,
  `${side('client', 'entity')} AS src_entity`,
  `coalesce(${server('cluster')}, '') AS dst_cluster`,
  `coalesce(${server('namespace')}, '') AS dst_namespace`,
  `${server('entity')} AS dst_entity`,
  `CASE WHEN ${server('entity')} IN ${WORLD} THEN coalesce((${server('names')})[1],
     network(set_masklen(${server('ip')}, CASE family(${server('ip')}) WHEN 4 THEN 24 ELSE 48 END))::text, '') ELSE '' END AS dst_name`,
  `CASE WHEN ${server('service')} IS NULL THEN '' ELSE coalesce(${server('service_ns')}, '') || '/' || ${server('service')} END AS dst_service`,
  `coalesce(${server('port')}, 0) AS dst_port`,
  `coalesce(l4_protocol, '') AS protocol`,
  'verdict',
  'drop_reason',
  `CASE l7_protocol
     WHEN 'http' THEN 'http' || coalesce(' ' || http_method, '')
       || CASE WHEN l7_type = 2 AND http_code BETWEEN 100 AND 599 THEN ' ' || (http_code / 100)::text || 'xx' ELSE '' END
     WHEN 'dns' THEN 'dns' || CASE WHEN l7_type = 2 THEN ' ' || dns_rcode::text ELSE '' END
     WHEN 'kafka' THEN 'kafka' || CASE WHEN kafka_error_code <> 0 THEN ' ' || kafka_error_code::text ELSE '' END
     ELSE '' END AS l7`,
  `coalesce(array_to_string(array_cat(egress_denied_by, ingress_denied_by), ','), '') AS policies`,
].join(', ');

/** The `flows` columns EDGE_KEY_FROM_FLOWS reads. */
export const EDGE_SOURCE_COLUMNS = [
  'is_reply', 'l4_protocol', 'verdict', 'drop_reason', 'l7_protocol', 'l7_type', 'http_method', 'http_code', 'dns_rcode',
  'kafka_error_code', 'egress_denied_by', 'ingress_denied_by',
  ...['src', 'dst'].flatMap((s) => ['cluster', 'namespace', 'entity', 'names', 'ip', 'service', 'service_ns', 'port'].map((c) => `${s}_${c}`)),
].join(', ');

/** An EDGE_KEY_COLUMNS tuple. */
type EdgeKey = [string, string, string, string, string, string, string, string, number, string, number, number, string, string];
interface Edge { bucketMs: number; key: string; flows: number }

/** The SQL type of each EDGE_KEY_COLUMNS column, for arrays unnested into rollup-keyed rows. */
export const EDGE_KEY_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'smallint', 'smallint', 'text', 'text'];

function upsertSql(table: 'edge_minute' | 'edge_hour'): string {
  const arrays = ['timestamptz', ...EDGE_KEY_TYPES, 'bigint'].map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const order = EDGE_KEY_COLUMNS.map((_, i) => i + 2).join(', ');
  // ORDER BY gives concurrent writers the same lock order on shared rows.
  return `INSERT INTO ${table} (bucket, ${EDGE_KEY}, flows)
    SELECT * FROM unnest(${arrays})
    ORDER BY 1, ${order}
    ON CONFLICT (bucket, ${EDGE_KEY}) DO UPDATE SET flows = ${table}.flows + excluded.flows`;
}

/** Counts per (bucket, edge); the edge is its key's JSON text, parsed once per distinct edge. */
class Buckets {
  private readonly edges = new Map<string, Edge>();

  constructor(private readonly sizeMs: number) {}

  add(timeMs: number, key: string, flows = 1): void {
    const bucketMs = Math.floor(timeMs / this.sizeMs) * this.sizeMs;
    const id = `${bucketMs}\u0000${key}`;
    const edge = this.edges.get(id);
    if (edge) edge.flows += flows;
    else this.edges.set(id, { bucketMs, key, flows });
  }

  values(): IterableIterator<Edge> {
    return this.edges.values();
  }

  params(): SqlParam[] {
    const edges = [...this.edges.values()];
    const keys = edges.map((e) => JSON.parse(e.key) as EdgeKey);
    return [
      edges.map((e) => new Date(e.bucketMs).toISOString()),
      ...EDGE_KEY_COLUMNS.map((_, i) => keys.map((k) => k[i]) as string[] | number[]),
      edges.map((e) => e.flows),
    ];
  }

  get size(): number {
    return this.edges.size;
  }
}

const col = (name: (typeof FLOW_COLUMNS)[number]) => FLOW_COLUMNS.indexOf(name);
const SIDES = {
  src: {
    cluster: col('src_cluster'), ns: col('src_namespace'), entity: col('src_entity'), names: col('src_names'), ip: col('src_ip'),
    service: col('src_service'), serviceNs: col('src_service_ns'), port: col('src_port'),
  },
  dst: {
    cluster: col('dst_cluster'), ns: col('dst_namespace'), entity: col('dst_entity'), names: col('dst_names'), ip: col('dst_ip'),
    service: col('dst_service'), serviceNs: col('dst_service_ns'), port: col('dst_port'),
  },
};
type Side = (typeof SIDES)['src'];
const C = {
  isReply: col('is_reply'), protocol: col('l4_protocol'), verdict: col('verdict'), dropReason: col('drop_reason'),
  l7Protocol: col('l7_protocol'), l7Type: col('l7_type'), httpMethod: col('http_method'), httpCode: col('http_code'),
  dnsRcode: col('dns_rcode'), kafkaError: col('kafka_error_code'), egressDenied: col('egress_denied_by'),
  ingressDenied: col('ingress_denied_by'),
};

const text = (v: CopyValue): string => (typeof v === 'string' ? v : '');
const int = (v: CopyValue): number => (typeof v === 'number' ? v : 0);
const list = (v: CopyValue): readonly string[] => (Array.isArray(v) ? (v as readonly string[]) : []);
const L7_RESPONSE = 2;
const WORLD_ENTITIES = new Set(['world', 'world-ipv4', 'world-ipv6']);

/** A world address's network as PostgreSQL prints `network(set_masklen(ip, 24 | 48))`. */
export function worldNetworkText(ip: string): string {
  const addr = parseIPAddressCached(ip);
  if (!addr) return '';
  const b = addr.bytes;
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.0/24`;
  // The zero groups after the /48 are the longest run, so they (and any zero groups before them) fold into '::'.
  const groups = [0, 2, 4].map((i) => (b[i] << 8) | b[i + 1]);
  while (groups.length && groups[groups.length - 1] === 0) groups.pop();
  return `${groups.map((g) => g.toString(16)).join(':')}::/48`;
}

function worldName(row: readonly CopyValue[], server: Side): string {
  if (!WORLD_ENTITIES.has(text(row[server.entity]))) return '';
  const names = list(row[server.names]);
  if (names.length) return names[0];
  return typeof row[server.ip] === 'string' ? worldNetworkText(row[server.ip] as string) : '';
}

function l7Summary(row: readonly CopyValue[]): string {
  const response = row[C.l7Type] === L7_RESPONSE;
  switch (row[C.l7Protocol]) {
    case 'http': {
      const method = text(row[C.httpMethod]);
      const code = row[C.httpCode];
      const status = response && typeof code === 'number' && code >= 100 && code <= 599 ? ` ${Math.floor(code / 100)}xx` : '';
      return `http${method ? ` ${method}` : ''}${status}`;
    }
    case 'dns':
      return response ? `dns ${int(row[C.dnsRcode])}` : 'dns';
    case 'kafka': {
      const code = int(row[C.kafkaError]);
      return code !== 0 ? `kafka ${code}` : 'kafka';
    }
    default:
      return '';
  }
}

/** The rollup key of one `flows` row (FLOW_COLUMNS order), as compact text to keep with the row. */
export function edgeKeyOf(row: readonly CopyValue[]): string {
  const [client, server] = row[C.isReply] === true ? [SIDES.dst, SIDES.src] : [SIDES.src, SIDES.dst];
  const service = text(row[server.service]);
  const key: EdgeKey = [
    text(row[client.cluster]), text(row[client.ns]), text(row[client.entity]),
    text(row[server.cluster]), text(row[server.ns]), text(row[server.entity]), worldName(row, server),
    service ? `${text(row[server.serviceNs])}/${service}` : '',
    int(row[server.port]), text(row[C.protocol]), int(row[C.verdict]), int(row[C.dropReason]), l7Summary(row),
    [...list(row[C.egressDenied]), ...list(row[C.ingressDenied])].join(','),
  ];
  return JSON.stringify(key);
}

/** Per-minute and per-hour counts of one batch, keyed like the rollup tables. */
export class EdgeCounts {
  private readonly minute = new Buckets(MINUTE_MS);

  /** Counts one `flows` row (FLOW_COLUMNS order) observed at timeMs. */
  add(timeMs: number, row: readonly CopyValue[]): void {
    this.minute.add(timeMs, edgeKeyOf(row));
  }

  /** Counts one flow observed at timeMs whose row has the key `edgeKeyOf(row)`. */
  addKey(timeMs: number, edgeKey: string): void {
    this.minute.add(timeMs, edgeKey);
  }

  async upsert(tx: DbTx): Promise<void> {
    if (this.minute.size === 0) return;
    // Hours are summed from the minutes: a bucket is a whole number of minutes.
    const hour = new Buckets(HOUR_MS);
    for (const e of this.minute.values()) hour.add(e.bucketMs, e.key, e.flows);
    await tx.query(upsertSql('edge_minute'), this.minute.params());
    await tx.query(upsertSql('edge_hour'), hour.params());
  }
}
