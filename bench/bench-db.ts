/**
 * What the read-side benchmarks share: a Db that times every statement it runs, and the moment
 * a benchmark looks from (`--at newest|now|<RFC 3339>`).
 */
import type { Db, SqlParam } from '../server/store/db';

/** One statement a benchmark ran, and how long it took. */
export interface TimedStatement { sql: string; params: readonly SqlParam[]; ms: number }

/**
 * `db` with every statement timed into `log`, also inside transactions (the store runs some
 * queries in their own, after SET statements, which are left out).
 */
export function recordingDb(db: Db, log: TimedStatement[]): Db {
  const timed = <Q extends Pick<Db, 'query'>>(q: Q): Q => ({
    ...q,
    async query<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const started = performance.now();
      const rows = await q.query<T>(sql, params);
      if (!sql.startsWith('SET ')) log.push({ sql, params, ms: performance.now() - started });
      return rows;
    },
  });
  return { ...timed(db), transaction: (fn) => db.transaction((tx) => fn(timed(tx))) };
}

/** The moment to look from: `now`, an RFC 3339 time, or (`newest`) the minute after the newest rollup bucket. */
export async function benchMoment(db: Db, at: string): Promise<number> {
  if (at === 'now') return Date.now();
  if (at !== 'newest') {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw new Error(`--at: expected newest, now or an RFC 3339 time, got ${JSON.stringify(at)}`);
    return ms;
  }
  const [row] = await db.query<{ newest: Date | null }>('SELECT max(bucket) AS newest FROM edge_minute');
  if (!row?.newest) throw new Error('edge_minute is empty: fill the database first (bench/fill.ts)');
  return row.newest.getTime() + 60_000;
}
