/**
 * Opens the configured database and brings its schema up to date: PostgreSQL when DATABASE_URL is
 * set, else embedded PGlite kept in the data folder.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type Config } from '../config';
import { logger } from '../log/logger';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPgDb } from './pg-db';
import { openPgliteDb } from './pglite-db';

const log = logger('store');

/** PostgreSQL could not be reached at start-up; the CLI prints it as one line, like any ConfigError. */
export class DatabaseUnavailableError extends ConfigError {
  override name = 'DatabaseUnavailableError';
}

export interface OpenDbOptions {
  /** Pool size for PostgreSQL (ignored for PGlite, which is one connection). */
  maxConnections?: number;
}

/** The PGlite files live in this folder under the data folder. */
export const PGLITE_SUBDIR = 'pglite';

// Postgres Dbs opened here remember their connection string, so createPrismaClient(db) can follow.
const connectionStrings = new WeakMap<Db, string>();

/** The connection string a PostgreSQL Db was opened with by openDb, if it was. */
export function connectionStringOf(db: Db): string | undefined {
  return connectionStrings.get(db);
}

interface PgAddress { host: string; port: string; database: string }

/** host, port and database of a postgres:// URL, for messages (never the password). */
export function describePgUrl(url: string): PgAddress {
  try {
    const u = new URL(url);
    return {
      host: decodeURIComponent(u.hostname) || 'localhost',
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.slice(1)) || '(default)',
    };
  } catch {
    throw new ConfigError('DATABASE_URL: expected a URL such as postgres://user@host:5432/dbname');
  }
}

function causeText(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const text = e?.message || e?.code || String(err);
  // "connect ECONNREFUSED 127.0.0.1:5432" repeats the address the message already names.
  return text.replace(/^(connect \w+) \S+:\d+$/, '$1');
}

async function openPostgres(url: string, opts: OpenDbOptions): Promise<Db> {
  const where = describePgUrl(url);
  const db = openPgDb({ connectionString: url, maxConnections: opts.maxConnections });
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `cannot connect to PostgreSQL at ${where.host}:${where.port} (DATABASE_URL): ${causeText(err)}`,
    );
  }
  connectionStrings.set(db, url);
  log.info({ kind: 'postgres', ...where }, `database: PostgreSQL at ${where.host}:${where.port}/${where.database}`);
  return db;
}

async function openEmbedded(dataDir: string): Promise<Db> {
  const dir = resolve(join(dataDir, PGLITE_SUBDIR));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ConfigError(`HUBBLE_DASHBOARD_DATA_DIR=${dataDir}: cannot create ${dir} (${causeText(err)})`);
  }
  const db = await openPgliteDb({ dataDir: dir });
  log.info({ kind: 'pglite', dataDir: dir }, `database: embedded PGlite in ${dir}`);
  return db;
}

/** Opens the database the configuration names and applies pending migrations. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>, opts: OpenDbOptions = {}): Promise<Db> {
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, opts) : await openEmbedded(config.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
