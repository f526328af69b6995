/**
 * The PostgreSQL driver: a pg Pool, COPY through pg-copy-streams, server-side cursors for exports.
 */
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db, DbTx, SqlParam } from './db';

// int8 and numeric come back as strings by default; counts are read as numbers where they fit.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `COPY "table" ("a","b") FROM STDIN WITH (FORMAT binary)`, identifiers quoted. */
export function copySql(table: string, columns: readonly string[]): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(',')}) FROM STDIN WITH (FORMAT binary)`;
}

/** Without parameters pg uses the simple protocol, which allows several statements (migrations). */
function paramsOrUndefined(params: readonly SqlParam[]): unknown[] | undefined {
  return params.length ? (params as unknown[]) : undefined;
}

/** Several statements give one result each; like PGlite, answer with the last one's rows. */
function rowsOf<T>(result: pg.QueryResult | pg.QueryResult[]): T[] {
  return (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as T[];
}

function txOn(client: pg.PoolClient): DbTx {
  return {
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      return rowsOf<T>(await client.query(sql, paramsOrUndefined(params)));
    },
    async copyFrom(table, columns, data) {
      const stream = client.query(copyFromStream(copySql(table, columns)));
      await pipeline(Readable.from(data), stream);
    },
  };
}

/**
 * A checked-out client has no pool listener: a connection the server drops between two statements
 * (a restart) would be an uncaught 'error' event and end the process. Keep the error instead (the
 * next statement fails on its own) and destroy the client on release rather than pool it.
 */
function watchCheckedOut(client: pg.PoolClient): { release(): void } {
  let error: Error | undefined;
  const onError = (err: Error) => { error = err; };
  client.on('error', onError);
  return {
    release() {
      client.off('error', onError);
      client.release(error);
    },
  };
}

export interface PgDbOptions {
  connectionString: string;
  maxConnections?: number;
  /** Statement timeout for ordinary queries; 0 disables. */
  statementTimeoutMs?: number;
}

/** Opens a pool; connections are made lazily, so a down server is reported on first use. */
export function openPgDb(opts: PgDbOptions): Db {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 0,
    application_name: 'hubble-dashboard',
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);

  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly SqlParam[] = []) {
      return rowsOf<T>(await pool.query(sql, paramsOrUndefined(params)));
    },
    async transaction<T>(fn: (tx: DbTx) => Promise<T>) {
      const client = await pool.connect();
      const broken = watchCheckedOut(client);
      try {
        await client.query('BEGIN');
        const result = await fn(txOn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        broken.release();
      }
    },
    async *stream<T>(sql: string, params: readonly SqlParam[], batchSize: number) {
      const client = await pool.connect();
      const broken = watchCheckedOut(client);
      try {
        await client.query('BEGIN READ ONLY');
        await client.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${sql}`, params as unknown[]);
        for (;;) {
          const { rows } = await client.query(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM export_cursor`);
          if (rows.length === 0) break;
          yield rows as T[];
        }
        await client.query('COMMIT');
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        broken.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
