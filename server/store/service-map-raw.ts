/**
 * The service map's raw path, for a hubble filter the rollups cannot answer (rollup-filter.ts): the
 * matching flows are keyed like the rollups (EDGE_KEY_FROM_FLOWS) and counted piece by piece, each
 * whole clock hour in one statement and the ragged ends in their own, so a window of any length is
 * aggregated under a per-statement timeout and an overall budget instead of one unbounded scan.
 *
 * Pieces older than a few minutes are kept in memory for a while, per filter and scope (the viewer's
 * scope is part of the filters by then; raw-piece-cache.ts): a long window that ran out of budget
 * continues where it stopped when asked again, and a live view re-reads its last few minutes on each
 * tick (and the rest of its current hour once a minute, when that piece's end moves).
 */
import type { ServiceMapQuery } from '../../lib/api/service-map';
import { Verdict } from '../../lib/flow/enums';
import type { Db } from './db';
import { EDGE_KEY, EDGE_KEY_COLUMNS, EDGE_KEY_FROM_FLOWS, EDGE_KEY_TYPES } from './edge-counts';
import { compileFilterSql } from './filter-sql';
import { SqlParams } from './filter-sql-params';
import { RawPieceCache } from './raw-piece-cache';
import { bucketRangeSql, minuteBounds, scopeSql } from './service-map-sql';
import { formatTimeout, isQueryCanceled, QUERY_CANCELED, queryWithin } from './statement-timeout';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DROPPED = Verdict.byName.get('DROPPED')!;
/** Flows older than this are kept once counted: later ones (a resumed relay's backlog) arrive sooner. */
const SETTLED_MS = 5 * 60_000;
/** How long a cached hour is believed; an `import` of older flows shows after at most this. */
const CACHE_TTL_MS = 15 * 60_000;
/** Edge rows the cache holds over all hours and filters. */
const CACHE_MAX_EDGES = 200_000;
/** Pieces counted at once, per request and over the whole process (PGlite runs them in turn). */
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
  /** What the cache counts: edge rows. */
  size: number;
}

type PieceRow = Record<(typeof EDGE_KEY_COLUMNS)[number], string | number> & { g: number; minute: Date | string | null; flows: number; drops: number };

const cache = new RawPieceCache<PieceCounts>({ ttlMs: CACHE_TTL_MS, maxSize: CACHE_MAX_EDGES, concurrency: CONCURRENCY });

/** Forgets every counted piece (tests, and whoever needs an import of older flows to show at once). */
export function forgetRawAggregations(): void {
  cache.clear();
}

/**
 * The window and the timeline cut at each other's ends, at every clock hour between them and at
 * `settledMs` (a minute bound), so that everything before it is in pieces that can be kept.
 */
export function rawPieces(query: Pick<ServiceMapQuery, 'sinceMs' | 'untilMs' | 'timelineSinceMs' | 'timelineUntilMs'>, settledMs: number): Piece[] {
  const w = minuteBounds(query.sinceMs, query.untilMs);
  const t = minuteBounds(query.timelineSinceMs, query.timelineUntilMs);
  const lo = Math.min(w.fromMs, t.fromMs);
  const hi = Math.max(w.toMs, t.toMs);
  const cuts = new Set([w.fromMs, w.toMs, t.fromMs, t.toMs]);
  for (let h = Math.ceil(lo / HOUR_MS) * HOUR_MS; h < hi; h += HOUR_MS) cuts.add(h);
  if (settledMs > lo && settledMs < hi) cuts.add(settledMs);
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
  const rows = await queryWithin<PieceRow>(db, timeoutMs, sql, params.values);
  const counts: PieceCounts = { edges: new Map(), minutes: [], size: 0 };
  for (const r of rows) {
    if (Number(r.g) === 0) counts.minutes.push({ bucket: r.minute!, flows: Number(r.flows), drops: Number(r.drops) });
    else counts.edges.set(JSON.stringify(EDGE_KEY_COLUMNS.map((c) => r[c])), Number(r.flows));
  }
  counts.size = counts.edges.size;
  return counts;
}

/**
 * The raw flows of a service map request, counted. Throws RawAggregationIncomplete when the budget
 * or one piece's statement timeout runs out first.
 */
export async function aggregateRawFlows(db: Db, query: ServiceMapQuery, opts: RawAggregateOptions): Promise<RawAggregation> {
  const startedMs = performance.now();
  const settledMs = Math.floor((opts.nowMs - SETTLED_MS) / MINUTE_MS) * MINUTE_MS;
  const pieces = rawPieces(query, settledMs);
  const scope = JSON.stringify([query.filters, query.namespaces, query.clusters, query.hide]);
  const cacheKey = (p: Piece) => (p.toMs <= settledMs ? `${scope}\u0000${p.fromMs}\u0000${p.toMs}` : undefined);
  const results: (PieceCounts | undefined)[] = pieces.map((p) => {
    const key = cacheKey(p);
    return key === undefined ? undefined : cache.get(key, opts.nowMs);
  });
  const todo = pieces.map((_, i) => i).filter((i) => results[i] === undefined);
  let stopped: 'budget' | 'piece' | 'failed' | undefined;
  const leftMs = () => opts.budgetMs - (performance.now() - startedMs);
  const worker = async () => {
    for (let i = todo.shift(); i !== undefined && !stopped; i = todo.shift()) {
      try {
        results[i] = await cache.getOrCompute(cacheKey(pieces[i]), opts.nowMs, () => {
          const left = leftMs();
          if (left <= 0 || stopped) return Promise.reject(Object.assign(new Error('budget spent'), { code: QUERY_CANCELED }));
          return countPiece(db, query, pieces[i], Math.min(opts.statementTimeoutMs, left));
        });
      } catch (err) {
        if (!isQueryCanceled(err)) {
          stopped = 'failed';
          throw err;
        }
        stopped ??= leftMs() < opts.statementTimeoutMs ? 'budget' : 'piece';
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const done = results.filter(Boolean).length;
  if (stopped) {
    const message = stopped === 'piece'
      ? `one hour of raw flows took longer than ${formatTimeout(opts.statementTimeoutMs)} to aggregate: narrow the filter or the time range`
      : `aggregated ${done} of ${pieces.length} parts of the range from raw flows in ${formatTimeout(opts.budgetMs)}; ask again to continue (finished hours are kept)`;
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
