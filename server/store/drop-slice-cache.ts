/**
 * DROPPED rollup rows summed per drop-group key, one slice per bucket (lib/drops/drop-slices.ts),
 * kept in memory between requests. A 24 h inbox reads every drop bucket of two days (the window, the
 * one before, the 24 h that decide novelty); with one-off groups (replies dropped on ephemeral
 * ports, scans) that is hundreds of thousands of rows, too many to group in SQL on every refresh.
 * Past buckets hardly change, so each is read once and reused.
 *
 * Freshness: a bucket read less than SETTLE_MS after it ended is read again on every request (the
 * collector is still writing it); a settled one is reused for TTL_MS, or OLD_TTL_MS once it ended
 * more than OLD_AFTER_MS before it was read (each with up to 20% taken off at random, so that slices
 * read together do not all expire together). Flows written later into a settled bucket (a collector
 * catching up after an outage, an import) show once its slice expires.
 * Keys are interned: each distinct key text gets a small integer id for the life of the cache, and
 * slices hold ids (lib/drops/drop-slices.ts combines them with typed arrays).
 * Memory: slices holding at most `maxEntries` ids in all (12 bytes each), least recently used first
 * out, and at most `maxKeys` distinct key texts (about 150 bytes each), after which a request starts
 * from an empty cache.
 */
import { DropTallies, type DropSlice } from '../../lib/drops/drop-slices';
import { MINUTE_MS, HOUR_MS, type RollupTable } from '../../lib/drops/drop-window';
import type { Db } from './db';
import { DROP_COLUMNS, DROPPED, type DropKeyRow } from './drop-rows';
import { SqlParams } from './filter-sql';

export const SETTLE_MS = 2 * MINUTE_MS;
export const TTL_MS = 10 * MINUTE_MS;
export const OLD_AFTER_MS = 2 * HOUR_MS;
export const OLD_TTL_MS = HOUR_MS;
export const DEFAULT_MAX_ENTRIES = 4_000_000;
export const DEFAULT_MAX_KEYS = 1_000_000;

/** A rollup condition, compiled for one query (its parameters added to `params`), and its identity. */
export interface SliceFilter {
  id: string;
  compile: (params: SqlParams) => string;
}

interface Entry {
  slice: DropSlice;
  readAtMs: number;
  endMs: number;
  ttlMs: number;
}

function ttlOf(readAtMs: number, endMs: number): number {
  const ttl = readAtMs - endMs >= OLD_AFTER_MS ? OLD_TTL_MS : TTL_MS;
  return ttl * (1 - 0.2 * Math.random());
}

const BUCKET_MS: Record<RollupTable, number> = { edge_minute: MINUTE_MS, edge_hour: HOUR_MS };

/** The key text of a slice: the DROP_GROUP_COLUMNS values as a JSON array (unambiguous, parsed only for shown groups). */
const KEY_SQL = `json_build_array(${DROP_COLUMNS})::text`;

/** A slice key back into its columns. */
export function dropKeyRowOfText(text: string): DropKeyRow {
  const [srcCluster, srcNs, srcEntity, dstCluster, dstNs, dstEntity, dstName, port, protocol, reason, policies] = JSON.parse(text) as unknown[];
  return {
    src_cluster: String(srcCluster), src_namespace: String(srcNs), src_entity: String(srcEntity), dst_cluster: String(dstCluster),
    dst_namespace: String(dstNs), dst_entity: String(dstEntity), dst_name: String(dstName), dst_port: Number(port), protocol: String(protocol),
    drop_reason: Number(reason), policies: String(policies),
  };
}

/** Slices of rollup buckets per filter, read in one query per table for whatever is missing or stale. */
export class DropSliceCache {
  private readonly entries = new Map<string, Entry>();
  private size = 0;
  private readonly idOfText = new Map<string, number>();
  private readonly texts: string[] = [];
  /** Scratch arrays for combineDropSlices, sized to the key dictionary. */
  readonly tallies = new DropTallies();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES, private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  /** Call before a request's slices: starts over when the key dictionary outgrew its bound. */
  beginRequest(): void {
    if (this.texts.length > this.maxKeys) this.clear();
  }

  /** The id of a key text, given on first sight. */
  intern(text: string): number {
    let id = this.idOfText.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.idOfText.set(text, id);
    }
    return id;
  }

  /** The key text of an id. */
  keyText(id: number): string {
    return this.texts[id];
  }

  /** Ids given so far: every id is below this. */
  get keyCount(): number {
    return this.texts.length;
  }

  private fresh(entry: Entry | undefined, nowMs: number): entry is Entry {
    return entry !== undefined && entry.readAtMs - entry.endMs >= SETTLE_MS && nowMs - entry.readAtMs <= entry.ttlMs;
  }

  private put(id: string, entry: Entry): void {
    this.drop(id);
    this.entries.set(id, entry);
    this.size += entry.slice.ids.length;
    for (const [oldest, e] of this.entries) {
      if (this.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.size -= e.slice.ids.length;
    }
  }

  private drop(id: string): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.entries.delete(id);
    this.size -= old.slice.ids.length;
  }

  /** The slices of `bucketsMs` in `table` for `filter`, in the order asked; empty buckets give empty slices. */
  async slices(db: Db, table: RollupTable, bucketsMs: readonly number[], filter: SliceFilter, nowMs: number): Promise<DropSlice[]> {
    const id = (ms: number) => `${filter.id}\u0000${table}\u0000${ms}`;
    const missing = [...new Set(bucketsMs.filter((ms) => !this.fresh(this.entries.get(id(ms)), nowMs)))];
    const read = missing.length > 0 ? await readSlices(db, table, missing, filter, (text) => this.intern(text)) : new Map<number, DropSlice>();
    const out = bucketsMs.map((ms) => {
      const got = read.get(ms);
      if (got) return got;
      const entry = this.entries.get(id(ms))!;
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.delete(id(ms));
      this.entries.set(id(ms), entry);
      return entry.slice;
    });
    for (const [ms, slice] of read) {
      const endMs = ms + BUCKET_MS[table];
      this.put(id(ms), { slice, readAtMs: nowMs, endMs, ttlMs: ttlOf(nowMs, endMs) });
    }
    return out;
  }

  /** Forgets every slice and key (tests, benchmarks of a cold start). */
  clear(): void {
    this.entries.clear();
    this.size = 0;
    this.idOfText.clear();
    this.texts.length = 0;
  }
}

async function readSlices(
  db: Db, table: RollupTable, bucketsMs: readonly number[], filter: SliceFilter, intern: (text: string) => number,
): Promise<Map<number, DropSlice>> {
  const params = new SqlParams();
  const condition = filter.compile(params);
  const buckets = params.add(bucketsMs.map((ms) => new Date(ms).toISOString()));
  const rows = await db.query<{ ms: number; k: string; n: number }>(
    `SELECT extract(epoch FROM bucket)::float8 * 1000 AS ms, ${KEY_SQL} AS k, sum(flows)::float8 AS n
     FROM ${table} WHERE verdict = ${DROPPED} AND bucket = ANY(${buckets}::timestamptz[]) AND (${condition})
     GROUP BY bucket, ${DROP_COLUMNS}`,
    params.values,
  );
  return slicesOfRows(rows, bucketsMs, intern);
}

/**
 * Rows of (bucket start in ms, key text, drops) as one slice per bucket, ids interned; `bucketsMs`
 * (when given) get a slice even without rows, and rows of other buckets are left out.
 */
export function slicesOfRows(
  rows: ReadonlyArray<{ ms: number; k: string; n: number }>, bucketsMs: readonly number[] | undefined, intern: (text: string) => number,
): Map<number, DropSlice> {
  const byBucket = new Map<number, { ids: number[]; counts: number[] }>((bucketsMs ?? []).map((ms) => [ms, { ids: [], counts: [] }]));
  for (const r of rows) {
    const ms = Number(r.ms);
    let s = byBucket.get(ms);
    if (!s) {
      if (bucketsMs) continue;
      s = { ids: [], counts: [] };
      byBucket.set(ms, s);
    }
    s.ids.push(intern(r.k));
    s.counts.push(Number(r.n));
  }
  return new Map([...byBucket].map(([ms, s]) => [ms, { bucketMs: ms, ids: Int32Array.from(s.ids), counts: Float64Array.from(s.counts) }]));
}

const KEY = Symbol.for('hubble-dashboard.drop-slice-cache');
type Slot = { [KEY]?: WeakMap<Db, DropSliceCache> };

/** The cache of a Db, shared by every route bundle of the process (like sharedDb). */
export function sharedDropSliceCache(db: Db): DropSliceCache {
  const g = globalThis as Slot;
  g[KEY] ??= new WeakMap();
  let cache = g[KEY].get(db);
  if (!cache) {
    cache = new DropSliceCache();
    g[KEY].set(db, cache);
  }
  return cache;
}
