/**
 * The service map's raw path, for a hubble filter the rollups cannot answer (rollup-filter.ts): the
 * matching flows are keyed like the rollups (EDGE_KEY_FROM_FLOWS) and counted piece by piece, each
 * whole clock hour in one statement and the ragged ends in their own, so a window of any length is
 * aggregated under a per-statement timeout and an overall budget instead of one unbounded scan.
 *
 * Hours that have ended are kept in memory for a while, per filter and scope (the viewer's scope is
 * part of the filters by then): a long window that ran out of budget continues where it stopped when
 * asked again, and a live view re-reads only its current hour on each tick.
 */
import type { ServiceMapQuery } from '../../lib/api/service-map';
import { Verdict } from '../../lib/flow/enums';
import type { Db } from './db';
import { EDGE_KEY, EDGE_KEY_COLUMNS, EDGE_KEY_FROM_FLOWS, EDGE_KEY_TYPES } from './edge-counts';
import { compileFilterSql } from './filter-sql';
import { SqlParams } from './filter-sql-params';
import { bucketRangeSql, minuteBounds, scopeSql } from './service-map-sql';

const HOUR_MS = 3_600_000;
const DROPPED = Verdict.byName.get('DROPPED')!;
/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';
/** An hour that ended this long ago is cached: later flows (a resumed relay's backlog) arrive sooner. */
const SETTLED_MS = 5 * 60_000;
/** How long a cached hour is believed; an `import` of older flows shows after at most this. */
const CACHE_TTL_MS = 15 * 60_000;
/** Edge rows the cache holds over all hours and filters. */
const CACHE_MAX_EDGES = 200_000;
/** Pieces aggregated side by side (the pool has more connections; PGlite runs them in turn). */
const CONCURRENCY = 2;

/** Flows and drops in one minute. */
export interface RawBucketRow {
  bucket: Date | string;
  flows: number;
  drops: number;
}

/** The aggregation did not finish within its budget; finished hours are kept for the next request. */
export class RawAggregationIncomplete extends Error {
  override name = 'RawAggregationIncomplete';
  /** `progress` is set when asking again continues; unset when one piece alone is too slow. */
  constructor(message: string, readonly progress?: { done: number; total: number }) {
    super(message);
  }
}

export interface RawAggregateOptions {
  nowMs: number;
  /** statement_timeout of each piece. */
  statementTimeoutMs: number;
  /** Time for the whole request. */
  budgetMs: number;
}

export interface RawAggregation {
  /** The window's edge counts as rollup-shaped rows (EDGE_KEY, flows) for a FROM clause. */
  edgeSource(params: SqlParams): string;
  /** The timeline's minutes. */
  timeline: RawBucketRow[];
}

interface Piece {
  fromMs: number;
  toMs: number;
  inWindow: boolean;
  inTimeline: boolean;
}

interface PieceCounts {
  /** Edge key (JSON of its EDGE_KEY_COLUMNS values) → flows. */
  edges: Map<string, number>;
  minutes: RawBucketRow[];
}

type PieceRow = Record<(typeof EDGE_KEY_COLUMNS)[number], string | number> & { g: number; minute: Date | string | null; flows: number; drops: number };

const cache = new Map<string, { counts: PieceCounts; expiresMs: number }>();
let cachedEdges = 0;

function remember(key: string, counts: PieceCounts, nowMs: number): void {
  cache.set(key, { counts, expiresMs: nowMs + CACHE_TTL_MS });
  cachedEdges += counts.edges.size;
  for (const [k, v] of cache) {
    if (cachedEdges <= CACHE_MAX_EDGES) break;
    cache.delete(k);
    cachedEdges -= v.counts.edges.size;
  }
}

function recall(key: string, nowMs: number): PieceCounts | undefined {
  const hit = cache.get(key);
  if (!hit) return undefined;
  cache.delete(key);
  if (hit.expiresMs <= nowMs) {
    cachedEdges -= hit.counts.edges.size;
    return undefined;
  }
  cache.set(key, hit);
  return hit.counts;
}

/** Drops every cached hour (tests, and after retention or an import when exactness matters at once). */
export function forgetRawAggregations(): void {
  cache.clear();
  cachedEdges = 0;
}

/** The window and the timeline cut at each other's ends and at every clock hour between them. */
export function rawPieces(query: Pick<ServiceMapQuery, 'sinceMs' | 'untilMs' | 'timelineSinceMs' | 'timelineUntilMs'>): Piece[] {
  const w = minuteBounds(query.sinceMs, query.untilMs);
  const t = minuteBounds(query.timelineSinceMs, query.timelineUntilMs);
  const lo = Math.min(w.fromMs, t.fromMs);
  const hi = Math.max(w.toMs, t.toMs);
  const cuts = new Set([w.fromMs, w.toMs, t.fromMs, t.toMs]);
  for (let h = Math.ceil(lo / HOUR_MS) * HOUR_MS; h < hi; h += HOUR_MS) cuts.add(h);
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [fromMs, toMs] = [sorted[i], sorted[i + 1]];
    const inWindow = fromMs >= w.fromMs && toMs <= w.toMs;
    const inTimeline = fromMs >= t.fromMs && toMs <= t.toMs;
    if (inWindow || inTimeline) pieces.push({ fromMs, toMs, inWindow, inTimeline });
  }
  return pieces;
}

/** One scan of a piece: its edge counts and its minutes, in two grouping sets. */
function pieceSql(query: ServiceMapQuery, piece: Piece, params: SqlParams): string {
  const range = bucketRangeSql(piece, params, 'time');
  const filter = compileFilterSql(query.filters, params);
  return `SELECT GROUPING(minute) AS g, minute, ${EDGE_KEY}, count(*)::float8 AS flows,
      count(*) FILTER (WHERE verdict = ${DROPPED})::float8 AS drops
    FROM (SELECT date_trunc('minute', time, 'UTC') AS minute, ${EDGE_KEY_FROM_FLOWS} FROM flows WHERE ${range} AND (${filter}) IS TRUE) k
    WHERE ${scopeSql(query, params)}
    GROUP BY GROUPING SETS ((minute), (${EDGE_KEY}))`;
}

async function countPiece(db: Db, query: ServiceMapQuery, piece: Piece, timeoutMs: number): Promise<PieceCounts> {
  const params = new SqlParams();
  const sql = pieceSql(query, piece, params);
  const rows = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    return tx.query<PieceRow>(sql, params.values);
  });
  const counts: PieceCounts = { edges: new Map(), minutes: [] };
  for (const r of rows) {
    if (Number(r.g) === 0) counts.minutes.push({ bucket: r.minute!, flows: Number(r.flows), drops: Number(r.drops) });
    else counts.edges.set(JSON.stringify(EDGE_KEY_COLUMNS.map((c) => r[c])), Number(r.flows));
  }
  return counts;
}

const isWholeHour = (p: Piece) => p.fromMs % HOUR_MS === 0 && p.toMs - p.fromMs === HOUR_MS;

/**
 * The raw flows of a service map request, counted. Throws RawAggregationIncomplete when the budget
 * or one piece's statement timeout runs out first.
 */
export async function aggregateRawFlows(db: Db, query: ServiceMapQuery, opts: RawAggregateOptions): Promise<RawAggregation> {
  const startedMs = performance.now();
  const pieces = rawPieces(query);
  const scope = JSON.stringify([query.filters, query.namespaces, query.clusters, query.hide]);
  const cacheKey = (p: Piece) => (isWholeHour(p) && p.toMs <= opts.nowMs - SETTLED_MS ? `${scope}\u0000${p.fromMs}` : undefined);
  const results: (PieceCounts | undefined)[] = pieces.map((p) => {
    const key = cacheKey(p);
    return key === undefined ? undefined : recall(key, opts.nowMs);
  });
  const todo = pieces.map((_, i) => i).filter((i) => results[i] === undefined);
  let stopped: string | undefined;
  const worker = async () => {
    for (let i = todo.shift(); i !== undefined && !stopped; i = todo.shift()) {
      const leftMs = opts.budgetMs - (performance.now() - startedMs);
      if (leftMs <= 0) {
        stopped = 'budget';
        return;
      }
      try {
        results[i] = await countPiece(db, query, pieces[i], Math.min(opts.statementTimeoutMs, leftMs));
      } catch (err) {
        if ((err as { code?: string }).code !== QUERY_CANCELED) throw err;
        stopped = leftMs < opts.statementTimeoutMs ? 'budget' : 'piece';
        return;
      }
      const key = cacheKey(pieces[i]);
      if (key !== undefined) remember(key, results[i]!, opts.nowMs);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const done = results.filter(Boolean).length;
  if (stopped) {
    const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
    const message = stopped === 'piece'
      ? `one hour of raw flows took longer than ${seconds(opts.statementTimeoutMs)} to aggregate: narrow the filter or the time range`
      : `aggregated ${done} of ${pieces.length} parts of the range from raw flows in ${seconds(opts.budgetMs)}; ask again to continue (finished hours are kept)`;
    throw new RawAggregationIncomplete(message, stopped === 'budget' ? { done, total: pieces.length } : undefined);
  }
  return merge(pieces, results as PieceCounts[]);
}

function merge(pieces: Piece[], results: PieceCounts[]): RawAggregation {
  const edges = new Map<string, number>();
  const timeline: RawBucketRow[] = [];
  pieces.forEach((p, i) => {
    if (p.inWindow) for (const [key, flows] of results[i].edges) edges.set(key, (edges.get(key) ?? 0) + flows);
    if (p.inTimeline) timeline.push(...results[i].minutes);
  });
  return {
    timeline,
    edgeSource(params) {
      const keys = [...edges.keys()].map((k) => JSON.parse(k) as (string | number)[]);
      const arrays = EDGE_KEY_TYPES.map((type, i) => `${params.add(keys.map((k) => k[i]) as string[] | number[])}::${type}[]`);
      return `SELECT * FROM unnest(${arrays.join(', ')}, ${params.add([...edges.values()])}::float8[]) AS e(${EDGE_KEY}, flows)`;
    },
  };
}
