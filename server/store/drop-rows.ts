/**
 * The DROPPED rows the drop inbox and a group's page aggregate, as SQL: rollup buckets over a span
 * (edge_minute and edge_hour, see lib/drops/drop-window.ts), or the raw `flows` keyed exactly like
 * the rollups (EDGE_KEY_FROM_FLOWS) when a filter needs columns the rollups do not keep. Both give
 * the same relation: DROP_GROUP_COLUMNS, `bucket` (timestamptz) and `flows` (bigint).
 */
import { DROP_GROUP_COLUMNS, type DropGroupKey } from '../../lib/api/drop-groups';
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict } from '../../lib/flow/enums';
import { rollupRanges, type MinuteWindow } from '../../lib/drops/drop-window';
import { EDGE_KEY_FROM_FLOWS } from './edge-counts';
import type { SqlParams } from './filter-sql-params';

/** DROP_GROUP_COLUMNS joined for SQL. */
export const DROP_COLUMNS = DROP_GROUP_COLUMNS.join(', ');

/** The wire number of DROPPED: a constant of this code, never a parameter. */
export const DROPPED = Verdict.byName.get('DROPPED')!;

const ts = (params: SqlParams, ms: number) => `${params.add(new Date(ms).toISOString())}::timestamptz`;

/**
 * DROPPED rollup rows whose bucket starts in the span, filtered by `condition` (SQL over rollup
 * columns, its parameters already in `params`); one SELECT per table range, UNION ALL.
 */
export function rollupDropsSql(span: MinuteWindow, condition: string, params: SqlParams): string {
  const ranges = rollupRanges(span);
  if (ranges.length === 0) return `SELECT ${DROP_COLUMNS}, NULL::timestamptz AS bucket, 0::bigint AS flows FROM edge_minute WHERE FALSE`;
  return ranges.map((r) => `SELECT ${DROP_COLUMNS}, bucket, flows FROM ${r.table}
    WHERE verdict = ${DROPPED} AND bucket >= ${ts(params, r.fromMs)} AND bucket < ${ts(params, r.toMs)} AND (${condition})`).join('\nUNION ALL\n');
}

/**
 * DROPPED raw flows in the span, filtered by `condition` (SQL over `flows` columns), each keyed like
 * the rollups and counted once; `bucket` is the flow's own time.
 */
export function rawDropsSql(span: MinuteWindow, condition: string, params: SqlParams): string {
  return `SELECT ${DROP_COLUMNS}, bucket, flows FROM (
    SELECT ${EDGE_KEY_FROM_FLOWS}, time AS bucket, 1::bigint AS flows FROM flows
    WHERE verdict = ${DROPPED} AND time >= ${ts(params, span.fromMs)} AND time < ${ts(params, span.toMs)} AND (${condition})
  ) keyed`;
}

/** SQL over rollup-shaped columns that holds for exactly one group's key. */
export function groupKeySql(key: DropGroupKey, params: SqlParams): string {
  const values: ReadonlyArray<[string, string | number, string]> = [
    ['src_cluster', key.source.cluster, 'text'], ['src_namespace', key.source.namespace, 'text'], ['src_entity', key.source.entity, 'text'],
    ['dst_cluster', key.destination.cluster, 'text'], ['dst_namespace', key.destination.namespace, 'text'],
    ['dst_entity', key.destination.entity, 'text'], ['dst_name', key.destinationName, 'text'], ['dst_port', key.port, 'int'],
    ['protocol', key.protocol, 'text'], ['drop_reason', DropReason.byName.get(key.dropReason) ?? 0, 'int'], ['policies', key.policies, 'text'],
  ];
  return values.map(([column, value, type]) => `${column} = ${params.add(value)}::${type}`).join(' AND ');
}

/** A DROP_GROUP_COLUMNS row as the database returns it. */
export interface DropKeyRow {
  src_cluster: string;
  src_namespace: string;
  src_entity: string;
  dst_cluster: string;
  dst_namespace: string;
  dst_entity: string;
  dst_name: string;
  dst_port: number;
  protocol: string;
  drop_reason: number;
  policies: string;
}

/**
 * The key of a row. A drop reason this build does not know (a newer Cilium) reads as
 * DROP_REASON_UNKNOWN: the key type holds names only.
 */
export function dropKeyOfRow(r: DropKeyRow): DropGroupKey {
  return {
    source: { cluster: r.src_cluster, namespace: r.src_namespace, entity: r.src_entity },
    destination: { cluster: r.dst_cluster, namespace: r.dst_namespace, entity: r.dst_entity },
    destinationName: r.dst_name,
    port: Number(r.dst_port),
    protocol: r.protocol,
    dropReason: DropReason.byNumber.get(Number(r.drop_reason)) ?? 'DROP_REASON_UNKNOWN',
    policies: r.policies,
  };
}

/** RFC 3339 UTC to the second of a timestamptz expression, as SQL. */
export const rfc3339Sql = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
