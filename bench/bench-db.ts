/**
 * What the benchmarks share about the database: a schema of their own to write in, a Db that
 * times every statement it runs, and the moment a read benchmark looks from (`--at newest|now|<RFC 3339>`).
 */
import { randomBytes } from 'node:crypto';
import type { Db, SqlParam } from '../server/store/db';
import { openPgDb } from '../server/store/pg-db';
import { searchPathSchema } from '../server/store/prisma-client';

/** A fresh schema on the database of a connection string, and a connection string that writes in it. */
export interface ScratchSchema {
  schema: string;
  /** `databaseUrl` with the schema first on its search path. */
  url: string;
  /** One connection outside the schema, for what the benchmark asks of the server itself. */
  admin: Db;
  /** Drops the schema (unless `keep`) and closes `admin`. */
  drop(keep?: boolean): Promise<void>;
}

/**
 * Creates schema `<prefix>_<random>`. `readFromUrlSchema` keeps the schema the URL names (or
 * public) on the search path after it, for benchmarks that read stored flows and write beside them.
 */
export async function scratchSchema(
  databaseUrl: string, prefix: string, opts: { readFromUrlSchema?: boolean; applicationName?: string } = {},
): Promise<ScratchSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const url = new URL(databaseUrl);
  const searchPath = opts.readFromUrlSchema ? `${schema},${searchPathSchema(databaseUrl) ?? 'public'}` : schema;
  url.searchParams.set('options', `-c search_path=${searchPath}`);
  if (opts.applicationName) url.searchParams.set('application_name', opts.applicationName);
  const admin = openPgDb({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } catch (err) {
    await admin.close();
    throw err;
  }
  return {
    schema, url: url.toString(), admin,
    async drop(keep = false) {
      if (!keep) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    },
  };
}

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
