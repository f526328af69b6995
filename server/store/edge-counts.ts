/**
 * Edge rollup counts gathered while a batch's rows are built, upserted into edge_minute and
 * edge_hour with one statement each (arrays unnested server-side, values always as parameters).
 */
import type { CopyValue } from './copy-text';
import type { DbTx } from './db';
import { FLOW_COLUMNS } from './flow-row';

/** SQLSTATE of a unique-key violation. */
export const UNIQUE_VIOLATION = '23505';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const col = (name: (typeof FLOW_COLUMNS)[number]) => FLOW_COLUMNS.indexOf(name);
const SRC_NS = col('src_namespace');
const SRC_ENTITY = col('src_entity');
const DST_NS = col('dst_namespace');
const DST_ENTITY = col('dst_entity');
const DST_PORT = col('dst_port');
const PROTOCOL = col('l4_protocol');
const VERDICT = col('verdict');
const DROP_REASON = col('drop_reason');

type EdgeKey = [string, string, string, string, number, string, number, number];
interface Edge { bucketMs: number; key: string; flows: number }

const EDGE_COLUMNS = 'src_namespace, src_entity, dst_namespace, dst_entity, dst_port, protocol, verdict, drop_reason';

function upsertSql(table: 'edge_minute' | 'edge_hour'): string {
  // ORDER BY gives concurrent writers the same lock order on shared rows.
  return `INSERT INTO ${table} (bucket, ${EDGE_COLUMNS}, flows)
    SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
      $8::smallint[], $9::smallint[], $10::bigint[])
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (bucket, ${EDGE_COLUMNS}) DO UPDATE SET flows = ${table}.flows + excluded.flows`;
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

  params(): (string[] | number[])[] {
    const edges = [...this.edges.values()];
    const keys = edges.map((e) => JSON.parse(e.key) as EdgeKey);
    const column = <T>(f: (k: EdgeKey) => T) => keys.map(f);
    return [
      edges.map((e) => new Date(e.bucketMs).toISOString()),
      ...[0, 1, 2, 3].map((i) => column((k) => k[i] as string)),
      column((k) => k[4]),
      column((k) => k[5]),
      column((k) => k[6]),
      column((k) => k[7]),
      edges.map((e) => e.flows),
    ];
  }

  get size(): number {
    return this.edges.size;
  }
}

const text = (v: CopyValue): string => (typeof v === 'string' ? v : '');
const int = (v: CopyValue): number => (typeof v === 'number' ? v : 0);

/** The rollup key of one `flows` row (FLOW_COLUMNS order), as compact text to keep with the row. */
export function edgeKeyOf(row: readonly CopyValue[]): string {
  const key: EdgeKey = [
    text(row[SRC_NS]), text(row[SRC_ENTITY]), text(row[DST_NS]), text(row[DST_ENTITY]),
    int(row[DST_PORT]), text(row[PROTOCOL]), int(row[VERDICT]), int(row[DROP_REASON]),
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
