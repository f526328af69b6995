/**
 * The service map of a window (`GET /api/service-map`): edges summed from the rollup tables, or, for
 * a hubble filter the rollups cannot answer exactly (rollup-filter.ts), from the matching raw flows
 * keyed exactly like the rollups and counted an hour at a time (service-map-raw.ts). Both paths read
 * the same minutes: those the window overlaps, [floor(since), ceil(until)).
 *
 * Two statements per request: the edges of the window (summed over its buckets, one row per rollup
 * key) and the timeline (flows and drops per bucket over the timeline's range). The graph itself is
 * built by lib/service-map/build-graph.ts.
 */
import {
  serviceMapResolution, type ServiceMapQuery, type ServiceMapResponse, type ServiceMapTimelinePoint,
} from '../../lib/api/service-map';
import { Verdict } from '../../lib/flow/enums';
import { buildServiceMapGraph, DEFAULT_SERVICE_MAP_CAPS, type ServiceMapCaps } from '../../lib/service-map/build-graph';
import { MAX_EDGE_PORTS, MAX_WORLD_NAMES, type ServiceMapPart } from '../../lib/service-map/map-parts';
import type { Db } from './db';
import { EDGE_KEY } from './edge-counts';
import { SqlParams } from './filter-sql-params';
import { compileRollupFilter } from './rollup-filter';
import { aggregateRawFlows, RawAggregationIncomplete } from './service-map-raw';
import { bucketRanges, bucketRangeSql, minuteBounds, scopeSql } from './service-map-sql';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DROPPED = Verdict.byName.get('DROPPED')!;

/**
 * A request the store did not answer (503): aggregating raw flows took too long. `progress` says how
 * far it got when asking again continues from there.
 */
export class ServiceMapRefusal extends Error {
  override name = 'ServiceMapRefusal';
  readonly status = 503;
  constructor(message: string, readonly progress?: { done: number; total: number }) {
    super(message);
  }
}

export interface ServiceMapReadOptions {
  /** The clock: rates count only the part of the window that has happened. */
  nowMs: number;
  caps?: ServiceMapCaps;
  /** statement_timeout of each piece of a raw aggregation (service-map-raw.ts), ms; default 15 s. */
  rawTimeoutMs?: number;
  /** Time a raw aggregation may take in all before it answers 503 with its progress; default 30 s. */
  rawBudgetMs?: number;
}

interface Statement {
  sql: string;
  params: SqlParams;
}

interface PartRow {
  g: number; src_cluster: string | null; src_namespace: string | null; src_entity: string | null; dst_cluster: string | null;
  dst_namespace: string | null; dst_entity: string | null; verdict: number | null; drop_reason: number | null; dst_port: number | null;
  protocol: string | null; l7: string | null; policies: string | null; dst_service: string | null; dst_name: string | null; flows: number;
}

const PAIR = 'src_cluster, src_namespace, src_entity, dst_cluster, dst_namespace, dst_entity';
const TARGET = 'dst_cluster, dst_namespace, dst_entity';
/** `GROUPING(verdict, dst_port, dst_name)` of each grouping set: 0 marks the column it keeps. */
const SETS = { summary: 0b011, port: 0b101, name: 0b110 } as const;

/**
 * The breakdown rows (lib/service-map/map-parts.ts) of rollup-keyed rows `source` (columns EDGE_KEY
 * and flows), summed in one pass with three GROUPING SETS (each set costs a hash of every row). Ports per edge and names per node are cut by
 * rank, ties kept, to a superset of what the graph keeps (rows without a protocol or a name, which
 * the graph skips, rank last).
 */
function partsSql(source: string): string {
  const columns = `g, ${PAIR}, verdict, drop_reason, dst_port, protocol, l7, policies, dst_service, dst_name, flows`;
  const skipped = `CASE WHEN (g = ${SETS.port} AND protocol = '') OR (g = ${SETS.name} AND dst_name = '') THEN 1 ELSE 0 END`;
  const long = `g IN (${SETS.port}, ${SETS.name})`;
  return `WITH s AS MATERIALIZED (
      SELECT GROUPING(verdict, dst_port, dst_name) AS g, ${PAIR}, verdict, drop_reason, dst_port, protocol,
        l7, policies, dst_service, dst_name, sum(flows)::float8 AS flows
      FROM (${source}) e
      GROUP BY GROUPING SETS ((${PAIR}, verdict, drop_reason, l7, policies, dst_service), (${PAIR}, dst_port, protocol), (${TARGET}, dst_name))
    )
    SELECT ${columns} FROM s WHERE NOT ${long}
    UNION ALL
    SELECT ${columns} FROM (SELECT s.*, rank() OVER (PARTITION BY g, ${PAIR} ORDER BY ${skipped}, flows DESC) AS r FROM s WHERE ${long}) ranked
    WHERE r <= CASE WHEN g = ${SETS.port} THEN ${MAX_EDGE_PORTS} ELSE ${MAX_WORLD_NAMES} END`;
}

interface BucketRow {
  bucket: Date | string;
  flows: number;
  drops: number;
}

function rollupStatements(query: ServiceMapQuery, filterSql: (p: SqlParams) => string): { edges: Statement; timeline: Statement } {
  const edgesParams = new SqlParams();
  const where = `(${scopeSql(query, edgesParams)}) AND (${filterSql(edgesParams)})`;
  const parts = bucketRanges(query.sinceMs, query.untilMs, serviceMapResolution(query.untilMs - query.sinceMs))
    .map((r) => `SELECT ${EDGE_KEY}, flows FROM ${r.table} WHERE ${bucketRangeSql(r, edgesParams)} AND ${where}`);
  const tlParams = new SqlParams();
  const tlWhere = `(${scopeSql(query, tlParams)}) AND (${filterSql(tlParams)})`;
  const tlParts = bucketRanges(query.timelineSinceMs, query.timelineUntilMs, serviceMapResolution(query.timelineUntilMs - query.timelineSinceMs))
    .map((r) => `SELECT bucket, sum(flows)::float8 AS flows, coalesce(sum(flows) FILTER (WHERE verdict = ${DROPPED}), 0)::float8 AS drops
      FROM ${r.table} WHERE ${bucketRangeSql(r, tlParams)} AND ${tlWhere} GROUP BY bucket`);
  return {
    edges: { sql: partsSql(parts.join(' UNION ALL ')), params: edgesParams },
    timeline: { sql: tlParts.join(' UNION ALL '), params: tlParams },
  };
}

const text = (v: string | null) => v ?? '';

function partOf(r: PartRow): ServiceMapPart | undefined {
  const source = { cluster: text(r.src_cluster), namespace: text(r.src_namespace), entity: text(r.src_entity) };
  const target = { cluster: text(r.dst_cluster), namespace: text(r.dst_namespace), entity: text(r.dst_entity) };
  const flows = Number(r.flows);
  switch (Number(r.g)) {
    case SETS.summary:
      return {
        part: 'summary', source, target, verdict: Number(r.verdict), dropReason: Number(r.drop_reason), l7: text(r.l7), policies: text(r.policies),
        service: text(r.dst_service), flows,
      };
    case SETS.port: return { part: 'port', source, target, port: Number(r.dst_port), protocol: text(r.protocol), flows };
    case SETS.name: return { part: 'name', target, name: text(r.dst_name), flows };
    default: return undefined;
  }
}

/** Points for every bucket of the timeline's range (zeros included), partial buckets folded into theirs. */
function timelinePoints(rows: BucketRow[], sinceMs: number, untilMs: number, stepMs: number): ServiceMapTimelinePoint[] {
  const { fromMs, toMs } = minuteBounds(sinceMs, untilMs);
  const first = Math.floor(fromMs / stepMs) * stepMs;
  const points: ServiceMapTimelinePoint[] = [];
  for (let t = first; t < toMs; t += stepMs) points.push({ time: new Date(t).toISOString(), flows: 0, drops: 0 });
  for (const r of rows) {
    const i = Math.floor((new Date(r.bucket).getTime() - first) / stepMs);
    if (i < 0 || i >= points.length) continue;
    points[i].flows += Number(r.flows);
    points[i].drops += Number(r.drops);
  }
  return points;
}

/**
 * Memory for one statement's aggregation: enough to hash every grouping set of a day's rollups in
 * one pass (the default 4 MB makes PostgreSQL sort four of the six sets, several times slower).
 */
const WORK_MEM = '64MB';

/** One statement in its own transaction, with its settings (constants of this code, never from the request). */
function runStatement<T>(db: Db, s: Statement): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
    return tx.query<T>(s.sql, s.params.values);
  });
}

/** Both statements, side by side on the pool. */
function runBoth(db: Db, s: { edges: Statement; timeline: Statement }): Promise<[PartRow[], BucketRow[]]> {
  return Promise.all([runStatement<PartRow>(db, s.edges), runStatement<BucketRow>(db, s.timeline)]);
}

/**
 * The service map for a parsed request. Throws ServiceMapRefusal when aggregating raw flows ran out
 * of time, and the FilterError of an invalid filter.
 */
export async function readServiceMap(db: Db, query: ServiceMapQuery, opts: ServiceMapReadOptions): Promise<ServiceMapResponse> {
  const rollup = compileRollupFilter(query.filters, new SqlParams());
  let rows: [PartRow[], BucketRow[]];
  if ('sql' in rollup) {
    rows = await runBoth(db, rollupStatements(query, (p) => (compileRollupFilter(query.filters, p) as { sql: string }).sql));
  } else {
    const raw = await aggregateRawFlows(db, query, {
      nowMs: opts.nowMs, statementTimeoutMs: opts.rawTimeoutMs ?? 15_000, budgetMs: opts.rawBudgetMs ?? 30_000,
    }).catch((err: unknown) => {
      if (!(err instanceof RawAggregationIncomplete)) throw err;
      throw new ServiceMapRefusal(`this filter needs the raw flows (${rollup.unsupported}); ${err.message}`, err.progress);
    });
    const params = new SqlParams();
    rows = [await runStatement<PartRow>(db, { sql: partsSql(raw.edgeSource(params)), params }), raw.timeline];
  }
  const resolution = serviceMapResolution(query.untilMs - query.sinceMs);
  const timelineResolution = serviceMapResolution(query.timelineUntilMs - query.timelineSinceMs);
  const { fromMs, toMs } = minuteBounds(query.sinceMs, query.untilMs);
  const elapsedMs = Math.min(toMs, opts.nowMs) - fromMs;
  const graph = buildServiceMapGraph(rows[0].map(partOf).filter((p) => p !== undefined), (elapsedMs > 0 ? elapsedMs : toMs - fromMs) / 1000, opts.caps ?? DEFAULT_SERVICE_MAP_CAPS);
  return {
    since: query.since,
    until: query.until,
    resolution,
    ...graph,
    timeline: timelinePoints(rows[1], query.timelineSinceMs, query.timelineUntilMs, timelineResolution === 'minute' ? MINUTE_MS : HOUR_MS),
    timelineResolution,
    source: 'sql' in rollup ? 'rollups' : 'raw',
  };
}
