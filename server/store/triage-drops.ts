/**
 * The drop side of the triage view, from edge_minute and edge_hour rows with verdict DROPPED (the
 * (verdict, bucket) index keeps every read to the drop edges of its window): drop rates per
 * namespace, drop groups new in the last minutes (new as the drop inbox means it), and the pairs
 * dropping most. With picked clusters each reads only the rows with a side in one of them, and
 * for a restricted viewer only those with a side in their namespaces (server/store/triage-scope.ts),
 * on top of the same index, so each list is cut to its length after the viewer's scope.
 */
import {
  TRIAGE_LIST_LIMIT, TRIAGE_RATE_MINUTES, type TriageDropPairs, type TriageDropRates, type TriageNewDropGroups,
} from '../../lib/api/triage';
import { DROP_GROUP_COLUMNS } from '../../lib/api/drop-groups';
import { minuteWindow, noveltyWindow, rollupRanges } from '../../lib/drops/drop-window';
import type { Queryable, SqlParam } from './db';
import { DROP_COLUMNS, DROPPED, dropKeyOfRow, type DropKeyRow } from './drop-rows';
import { clusterSides, namespaceCondition, type TriageScope } from './triage-scope';
import { windowText, type MsWindow, type TriageWindows } from './triage-windows';

/** What the drop lists are narrowed to: picked clusters, a restricted viewer's namespaces. */
export type DropListScope = Pick<TriageScope, 'clusters' | 'namespaces'>;

const GROUP = DROP_COLUMNS;
const PAIR = 'src_cluster, src_namespace, src_entity, dst_cluster, dst_namespace, dst_entity';
const date = (ms: number) => new Date(ms);
const iso = (d: Date | string | number) => new Date(d).toISOString();
/** `bucket >= $a AND bucket < $b` over a window's two parameters. */
const inWindow = (column: string, a: number, b: number) => `${column} >= $${a} AND ${column} < $${b}`;

/**
 * Namespaces a drop counts for: either side's, like `--namespace`, and once when both are the same;
 * '' only when neither side is in a namespace. Only the sides in a picked cluster count (`src_in`,
 * `dst_in`), like `--namespace ns --cluster c`: shop in east is not shop in west.
 */
const DROP_NAMESPACES = `unnest(CASE
  WHEN NOT d.dst_in THEN ARRAY[d.src_namespace]
  WHEN NOT d.src_in THEN ARRAY[d.dst_namespace]
  WHEN d.src_namespace = d.dst_namespace OR d.dst_namespace = '' THEN ARRAY[d.src_namespace]
  WHEN d.src_namespace = '' THEN ARRAY[d.dst_namespace]
  ELSE ARRAY[d.src_namespace, d.dst_namespace] END)`;

/**
 * Drops per minute per namespace now, 1 h and 24 h before, in the picked clusters (all when none);
 * for a restricted viewer, their namespaces only.
 */
export async function readDropRates(db: Queryable, w: TriageWindows, scope: DropListScope = {}): Promise<TriageDropRates> {
  const windows: MsWindow[] = [w.rateNow, w.rateHourAgo, w.rateDayAgo];
  const params: SqlParam[] = [DROPPED, ...windows.flatMap((x) => [date(x.sinceMs), date(x.untilMs)]), TRIAGE_LIST_LIMIT];
  const sides = clusterSides(params, scope.clusters);
  const inScope = namespaceCondition(params, scope.namespaces);
  const counted = scope.namespaces ? `n.ns = ANY($${params.push([...scope.namespaces])}::text[])` : 'true';
  const sums = ['now', 'hour', 'day'].map((name, i) => `coalesce(sum(d.flows) FILTER (WHERE ${inWindow('d.bucket', 2 + 2 * i, 3 + 2 * i)}), 0)::float8 AS ${name}`);
  const rows = await db.query<{ namespace: string; now: number; hour: number; day: number; total: number }>(
    `WITH d AS (
       SELECT bucket, src_namespace, dst_namespace, ${sides.src} AS src_in, ${sides.dst} AS dst_in, flows FROM edge_minute
       WHERE verdict = $1 AND ((${inWindow('bucket', 2, 3)}) OR (${inWindow('bucket', 4, 5)}) OR (${inWindow('bucket', 6, 7)}))
         AND ${sides.either} AND ${inScope}
     )
     SELECT n.ns AS namespace, ${sums.join(', ')}, count(*) OVER () AS total
     FROM d CROSS JOIN LATERAL ${DROP_NAMESPACES} AS n(ns)
     WHERE ${counted}
     GROUP BY n.ns
     ORDER BY now DESC, hour DESC, day DESC, n.ns COLLATE "C"
     LIMIT $8`,
    params,
  );
  const perMin = (flows: number) => flows / TRIAGE_RATE_MINUTES;
  return {
    now: windowText(w.rateNow), hourAgo: windowText(w.rateHourAgo), dayAgo: windowText(w.rateDayAgo),
    namespaces: rows.map((r) => ({
      namespace: r.namespace, nowPerMin: perMin(r.now), hourAgoPerMin: perMin(r.hour), dayAgoPerMin: perMin(r.day),
    })),
    truncated: rows.length > 0 && Number(rows[0].total) > rows.length,
  };
}

/** `a.col = b.col AND ...` over every group key column. */
const sameGroup = (a: string, b: string) => DROP_GROUP_COLUMNS.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');

/**
 * Groups dropping in the recent window that did not drop in the day before it, judged like the drop
 * inbox (lib/drops/drop-window.ts noveltyWindow and rollupRanges: hour buckets for the whole hours,
 * minute buckets for the partial ones). The recent groups are checked newest first and the check
 * stops once one more than shown is found (the order inside `recent` lets the planner start with
 * the newest): each check is a probe of the edge key index, so the cost follows the groups shown,
 * not the day's rows (a full anti-join reads every drop row of the day).
 */
export async function readNewDropGroups(db: Queryable, w: TriageWindows, scope: DropListScope = {}): Promise<TriageNewDropGroups> {
  const recent = minuteWindow(w.recent.sinceMs, w.recent.untilMs);
  const novelty = noveltyWindow(recent);
  const params: SqlParam[] = [DROPPED, date(recent.fromMs), date(recent.toMs)];
  // The group key holds both clusters and namespaces, so only the recent side needs the tests.
  const sides = clusterSides(params, scope.clusters);
  const inScope = namespaceCondition(params, scope.namespaces);
  const absent = rollupRanges(novelty).map((r) => {
    const [from, to] = [params.push(date(r.fromMs)), params.push(date(r.toMs))];
    return `NOT EXISTS (SELECT 1 FROM ${r.table} h WHERE h.verdict = $1 AND ${inWindow('h.bucket', from, to)} AND ${sameGroup('h', 'r')})`;
  });
  const rows = await db.query<DropKeyRow & { flows: number; first_seen: Date; last_seen: Date }>(
    `WITH recent AS (
       SELECT ${GROUP}, sum(flows)::bigint AS flows, min(bucket) AS first_seen, max(bucket) AS last_seen
       FROM edge_minute WHERE verdict = $1 AND ${inWindow('bucket', 2, 3)} AND ${sides.either} AND ${inScope}
       GROUP BY ${GROUP}
       ORDER BY first_seen DESC, flows DESC
     )
     SELECT r.* FROM recent r WHERE ${absent.join(' AND ')}
     ORDER BY r.first_seen DESC, r.flows DESC
     LIMIT $${params.push(TRIAGE_LIST_LIMIT + 1)}`,
    params,
  );
  return {
    window: windowText(w.recent),
    absentIn: windowText({ sinceMs: novelty.fromMs, untilMs: novelty.toMs }),
    groups: rows.slice(0, TRIAGE_LIST_LIMIT).map((r) => ({
      key: dropKeyOfRow(r), flows: Number(r.flows), firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen),
    })),
    truncated: rows.length > TRIAGE_LIST_LIMIT,
  };
}

const NUMERIC_COLUMNS = new Set(['dst_port', 'drop_reason']);
/** Columns for ORDER BY, text in byte order: cheaper than the locale's, and the same on every server. */
const byteOrder = (columns: string, prefix = '') => columns.split(', ')
  .map((c) => (NUMERIC_COLUMNS.has(c) ? `${prefix}${c}` : `${prefix}${c} COLLATE "C"`)).join(', ');

/** Source → destination pairs by drops in the recent window, each with its busiest group. */
export async function readDropPairs(db: Queryable, w: TriageWindows, scope: DropListScope = {}): Promise<TriageDropPairs> {
  const recent = minuteWindow(w.recent.sinceMs, w.recent.untilMs);
  const params: SqlParam[] = [DROPPED, date(recent.fromMs), date(recent.toMs), TRIAGE_LIST_LIMIT];
  const sides = clusterSides(params, scope.clusters);
  const inScope = namespaceCondition(params, scope.namespaces);
  const rows = await db.query<DropKeyRow & { pair_flows: number; pair_groups: number }>(
    `WITH g AS (
       SELECT ${GROUP}, sum(flows)::bigint AS flows
       FROM edge_minute WHERE verdict = $1 AND ${inWindow('bucket', 2, 3)} AND ${sides.either} AND ${inScope}
       GROUP BY ${GROUP}
     ), ranked AS (
       SELECT g.*, sum(flows) OVER p AS pair_flows, count(*) OVER p AS pair_groups,
         row_number() OVER (p ORDER BY flows DESC, ${byteOrder(GROUP)}) AS rn
       FROM g WINDOW p AS (PARTITION BY ${byteOrder(PAIR)})
     )
     SELECT * FROM ranked WHERE rn = 1
     ORDER BY pair_flows DESC, ${byteOrder(PAIR)}
     LIMIT $4`,
    params,
  );
  return {
    window: windowText(w.recent),
    pairs: rows.map((r) => {
      const topGroup = dropKeyOfRow(r);
      return { source: topGroup.source, destination: topGroup.destination, flows: Number(r.pair_flows), groups: Number(r.pair_groups), topGroup };
    }),
  };
}
