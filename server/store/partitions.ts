/**
 * Daily partitions of `flows` (flows_pYYYYMMDD, UTC days) and retention. Partitions are made
 * ahead of the rows that need them; a row for a day without one lands in flows_default and is
 * moved when the day's partition is made. Retention drops whole days and trims the small tables.
 */
import { logger } from '../log/logger';
import type { Db, DbTx } from './db';

const log = logger('partitions');

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Serializes partition DDL between processes sharing one PostgreSQL database. */
const PARTITION_LOCK_KEY = 4_245_000_002;

/** A batch spanning at most this many days gets every day in between, not only its own. */
const MAX_FILL_DAYS = 31;

const PARTITION_NAME = /^flows_p(\d{4})(\d{2})(\d{2})$/;

/** flows_pYYYYMMDD for the UTC day holding timeMs. */
export function partitionName(timeMs: number): string {
  return `flows_p${new Date(dayStart(timeMs)).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Start of the UTC day of a partition name, or undefined for other names. */
export function partitionDay(name: string): number | undefined {
  const m = PARTITION_NAME.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

function dayStart(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface PartitionManager {
  /**
   * Makes sure every day of these times, and the day after the newest, has its partition. When the
   * times span at most a month, the days between them are made too (callers may pass only a batch's
   * oldest and newest time).
   */
  ensureFor(timesMs: readonly number[]): Promise<void>;
  /** Drops day partitions that end at or before the cutoff and old rows of the other tables. */
  dropOlderThan(cutoffMs: number): Promise<string[]>;
}

async function lockDdl(db: Db, tx: DbTx): Promise<void> {
  if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
}

// The bounds are made here from numbers, never from input; DDL takes no parameters.
function createSql(day: number): string {
  return `CREATE TABLE IF NOT EXISTS "${partitionName(day)}" PARTITION OF "flows"
    FOR VALUES FROM ('${iso(day)}') TO ('${iso(day + DAY_MS)}')`;
}

/** Creating a partition fails while flows_default holds rows of its day: move them over. */
async function createMovingDefaultRows(db: Db, day: number): Promise<number> {
  return db.transaction(async (tx) => {
    await lockDdl(db, tx);
    // No writer may add rows of this day to flows_default between the move and the create.
    await tx.query('LOCK TABLE "flows" IN ACCESS EXCLUSIVE MODE');
    await tx.query('CREATE TEMP TABLE "flows_moving" (LIKE "flows") ON COMMIT DROP');
    const [moved] = await tx.query<{ n: number }>(
      `WITH moved AS (DELETE FROM "flows_default" WHERE "time" >= $1 AND "time" < $2 RETURNING *),
       kept AS (INSERT INTO "flows_moving" SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS n FROM kept`,
      [new Date(day), new Date(day + DAY_MS)],
    );
    await tx.query(createSql(day));
    await tx.query('INSERT INTO "flows" SELECT * FROM "flows_moving"');
    return moved?.n ?? 0;
  });
}

async function createPartition(db: Db, day: number): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await lockDdl(db, tx);
      await tx.query(createSql(day));
    });
  } catch (err) {
    // 23514: "updated partition constraint for default partition would be violated".
    if ((err as { code?: string }).code !== '23514') throw err;
    const moved = await createMovingDefaultRows(db, day);
    log.info({ partition: partitionName(day), movedRows: moved }, 'moved rows from flows_default into a new partition');
  }
}

async function listPartitions(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '"flows"'::regclass`,
  );
  return rows.map((r) => r.name);
}

const TRIMS: ReadonlyArray<{ table: string; where: string; olderBy: number }> = [
  { table: 'flows_default', where: '"time" < $1', olderBy: 0 },
  { table: 'edge_minute', where: '"bucket" <= $1', olderBy: MINUTE_MS },
  { table: 'edge_hour', where: '"bucket" <= $1', olderBy: HOUR_MS },
  { table: 'relay_status', where: '"time" < $1', olderBy: 0 },
  { table: 'node_events', where: '"time" < $1', olderBy: 0 },
  { table: 'gaps', where: '"to_time" < $1', olderBy: 0 },
];

/** Deletes rows wholly older than the cutoff (a rollup bucket counts by its end); counts per table. */
async function trimTables(db: Db, cutoffMs: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, where, olderBy } of TRIMS) {
    const [row] = await db.query<{ n: number }>(
      `WITH d AS (DELETE FROM "${table}" WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [new Date(cutoffMs - olderBy)],
    );
    if (row && row.n > 0) deleted[table] = row.n;
  }
  return deleted;
}

export function createPartitionManager(db: Db): PartitionManager {
  const known = new Set<number>();
  const pending = new Map<number, Promise<void>>();

  function ensureDay(day: number): Promise<void> {
    if (known.has(day)) return Promise.resolve();
    let p = pending.get(day);
    if (!p) {
      p = createPartition(db, day)
        .then(() => void known.add(day))
        .finally(() => pending.delete(day));
      pending.set(day, p);
    }
    return p;
  }

  return {
    async ensureFor(timesMs) {
      const days = new Set(timesMs.filter(Number.isFinite).map(dayStart));
      if (days.size === 0) return;
      const first = Math.min(...days);
      const last = Math.max(...days);
      if (last - first <= MAX_FILL_DAYS * DAY_MS) for (let d = first; d < last; d += DAY_MS) days.add(d);
      days.add(last + DAY_MS);
      // One after another: each creation locks `flows`, so running them at once gains nothing.
      for (const day of [...days].sort((a, b) => a - b)) await ensureDay(day);
    },
    async dropOlderThan(cutoffMs) {
      const old = (await listPartitions(db))
        .map((name) => ({ name, day: partitionDay(name) }))
        .filter((p): p is { name: string; day: number } => p.day !== undefined && p.day + DAY_MS <= cutoffMs)
        .sort((a, b) => a.day - b.day);
      for (const p of old) {
        await db.transaction(async (tx) => {
          await lockDdl(db, tx);
          await tx.query(`DROP TABLE IF EXISTS "${p.name}"`);
        });
        known.delete(p.day);
      }
      const dropped = old.map((p) => p.name);
      const deletedRows = await trimTables(db, cutoffMs);
      if (dropped.length > 0 || Object.keys(deletedRows).length > 0) {
        log.info({ cutoff: iso(cutoffMs), dropped, deletedRows }, 'retention dropped old data');
      }
      return dropped;
    },
  };
}

export interface RetentionOptions {
  /** Time between runs; an hour by default. */
  everyMs?: number;
  clock?: () => number;
  /** The manager to use (so its cache of known partitions is shared); a new one by default. */
  partitions?: PartitionManager;
}

export interface Retention {
  /** Stops the timer; resolves when a run in progress has finished. */
  stop(): Promise<void>;
  /** Runs once now (after any run in progress); resolves with the partitions dropped. */
  runNow(): Promise<string[]>;
}

/**
 * Drops data older than retentionHours now and then every hour, and keeps today's and
 * tomorrow's partitions made ahead, so midnight never sends rows to flows_default.
 */
export function startRetention(db: Db, retentionHours: number, opts: RetentionOptions = {}): Retention {
  const clock = opts.clock ?? Date.now;
  const partitions = opts.partitions ?? createPartitionManager(db);
  let last: Promise<string[]> = Promise.resolve([]);

  function runNow(): Promise<string[]> {
    last = last.catch(() => []).then(async () => {
      const now = clock();
      await partitions.ensureFor([now]);
      return partitions.dropOlderThan(now - retentionHours * HOUR_MS);
    });
    return last;
  }

  const tick = () => {
    runNow().catch((err: unknown) => log.error({ err }, 'retention run failed'));
  };
  tick();
  const timer = setInterval(tick, opts.everyMs ?? HOUR_MS);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await last.catch(() => undefined);
    },
    runNow,
  };
}
