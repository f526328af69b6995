/**
 * SQL pieces of the service map query (server/store/service-map.ts): the scope and noise conditions
 * over edge key columns (the rollup tables', or EDGE_KEY_FROM_FLOWS's aliases over raw flows), and
 * the bucket ranges that cover a window.
 *
 * The noise rules are lib/service-map/node-kind.ts's, stated in SQL over the same constants;
 * service-map.int.test.ts holds the two equal.
 */
import type { ServiceMapNoise, ServiceMapQuery } from '../../lib/api/service-map';
import {
  KUBE_DNS_NAMES, KUBE_DNS_NAMESPACE, MONITORING_NAMES, MONITORING_NAMESPACES,
} from '../../lib/service-map/node-kind';
import type { SqlParams } from './filter-sql-params';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

type Side = 'src' | 'dst';

function namedOrPrefixed(entity: string, names: readonly string[], params: SqlParams): string {
  const prefixes = names.map((n) => `${n}-`);
  return `(${entity} = ANY(${params.add([...names])}::text[]) OR EXISTS (SELECT 1 FROM unnest(${params.add(prefixes)}::text[]) AS p WHERE starts_with(${entity}, p)))`;
}

/** The SQL form of lib/service-map/node-kind.ts's `isNoise(noise, namespace, entity)` for one side. */
export function noiseSideSql(noise: ServiceMapNoise, side: Side, params: SqlParams): string {
  const ns = `${side}_namespace`;
  const entity = `${side}_entity`;
  switch (noise) {
    case 'host':
      return `(${ns} = '' AND ${entity} = 'host')`;
    case 'remote-node':
      return `(${ns} = '' AND ${entity} = 'remote-node')`;
    case 'kube-dns':
      return `(${ns} = ${params.add(KUBE_DNS_NAMESPACE)}::text AND ${namedOrPrefixed(entity, KUBE_DNS_NAMES, params)})`;
    case 'monitoring':
      return `(${ns} <> '' AND (${ns} = ANY(${params.add([...MONITORING_NAMESPACES])}::text[]) OR ${namedOrPrefixed(entity, MONITORING_NAMES, params)}))`;
  }
}

/**
 * The edges a request keeps, before its hubble filter: either end in a picked namespace and in a
 * picked cluster (when any are picked), neither end hidden as noise. NULL-safe, so it also holds
 * over raw flows whose key columns may be NULL.
 */
export function scopeSql(query: Pick<ServiceMapQuery, 'namespaces' | 'clusters' | 'hide'>, params: SqlParams): string {
  const conds: string[] = [];
  const eitherEnd = (column: 'namespace' | 'cluster', values: string[]) => {
    if (values.length === 0) return;
    const p = params.add(values);
    conds.push(`(src_${column} = ANY(${p}::text[]) OR dst_${column} = ANY(${p}::text[]))`);
  };
  eitherEnd('namespace', query.namespaces);
  eitherEnd('cluster', query.clusters);
  for (const noise of query.hide) {
    conds.push(`(${noiseSideSql(noise, 'src', params)} OR ${noiseSideSql(noise, 'dst', params)}) IS NOT TRUE`);
  }
  return conds.length === 0 ? 'TRUE' : conds.join(' AND ');
}

/** One table and the bucket range [fromMs, toMs) read from it. */
export interface BucketRange {
  table: 'edge_minute' | 'edge_hour';
  fromMs: number;
  toMs: number;
}

const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

/** A window widened to the whole minutes it overlaps: [floor(since), ceil(until)). */
export function minuteBounds(sinceMs: number, untilMs: number): { fromMs: number; toMs: number } {
  const fromMs = floorTo(sinceMs, MINUTE_MS);
  return { fromMs, toMs: Math.max(fromMs + MINUTE_MS, ceilTo(untilMs, MINUTE_MS)) };
}

/**
 * The rollup buckets covering the minutes a window overlaps. Per minute for `minute`; for `hour`
 * the whole hours inside come from edge_hour and the ragged ends from edge_minute, so a long window
 * is still exact to the minute while reading at most two hours of minute rows.
 */
export function bucketRanges(sinceMs: number, untilMs: number, resolution: 'minute' | 'hour'): BucketRange[] {
  const { fromMs, toMs } = minuteBounds(sinceMs, untilMs);
  const h0 = ceilTo(fromMs, HOUR_MS);
  const h1 = floorTo(toMs, HOUR_MS);
  if (resolution === 'minute' || h0 >= h1) return [{ table: 'edge_minute', fromMs, toMs }];
  const ranges: BucketRange[] = [{ table: 'edge_hour', fromMs: h0, toMs: h1 }];
  if (fromMs < h0) ranges.push({ table: 'edge_minute', fromMs, toMs: h0 });
  if (h1 < toMs) ranges.push({ table: 'edge_minute', fromMs: h1, toMs });
  return ranges;
}

/** `bucket >= $a AND bucket < $b` for a range. */
export function bucketRangeSql(range: Pick<BucketRange, 'fromMs' | 'toMs'>, params: SqlParams, column = 'bucket'): string {
  const from = params.add(new Date(range.fromMs).toISOString());
  const to = params.add(new Date(range.toMs).toISOString());
  return `${column} >= ${from}::timestamptz AND ${column} < ${to}::timestamptz`;
}
