/**
 * The embedded driver: PGlite (PostgreSQL compiled to WASM) in this process, in memory or in a
 * data folder. PGlite is one connection: its transaction mutex already queues every top-level query
 * behind an open transaction (ours or the Prisma adapter's), so callers never interleave inside one.
 */
import { resolve } from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { copySql } from './pg-db';
import type { Db, DbTx, SqlParam } from './db';

/** A Db on PGlite; `pglite` is the instance itself, for the Prisma adapter only. */
export interface PgliteDb extends Db {
  readonly kind: 'pglite';
  readonly pglite: PGlite;
}

export interface PgliteDbOptions {
  /** Folder holding the database files; undefined keeps the database in memory. */
  dataDir?: string;
}

// Same as the pg driver: int8 as a number where it fits, else the decimal string (never a BigInt).
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

type Runner = Pick<Transaction, 'query' | 'exec'>;

/** Without parameters the simple protocol runs, which allows several statements (migrations). */
async function run<T>(on: Runner, sql: string, params: readonly SqlParam[]): Promise<T[]> {
  if (params.length > 0) return (await on.query<T>(sql, params as unknown[])).rows;
  const results = await on.exec(sql);
  return (results.at(-1)?.rows ?? []) as T[];
}

function txOn(tx: Transaction): DbTx {
  return {
    query: <T>(sql: string, params: readonly SqlParam[] = []) => run<T>(tx, sql, params),
    async copyFrom(table, columns, data) {
      // PGlite has no COPY sub-protocol; it reads a Blob attached to the query as /dev/blob.
      const sql = copySql(table, columns).replace(/FROM STDIN /, "FROM '/dev/blob' ");
      await tx.query(sql, [], { blob: new Blob([...data]) });
    },
  };
}

let cursorSeq = 0;

/** Opens (creating when missing) a PGlite database. */
export async function openPgliteDb(opts: PgliteDbOptions = {}): Promise<PgliteDb> {
  const dataDir = opts.dataDir === undefined ? undefined : `file://${resolve(/* turbopackIgnore: true */ opts.dataDir)}`;
  const pg = await PGlite.create(dataDir, { parsers: { [types.INT8]: parseInt8 } });

  return {
    kind: 'pglite',
    pglite: pg,
    query: <T>(sql: string, params: readonly SqlParam[] = []) => run<T>(pg, sql, params),
    transaction: <T>(fn: (tx: DbTx) => Promise<T>) => pg.transaction((tx) => fn(txOn(tx))),
    async *stream<T>(sql: string, params: readonly SqlParam[], batchSize: number) {
      // Holding the one connection for a whole export would stall the collector while a slow client
      // downloads. A WITH HOLD cursor is materialized by Postgres itself (spilling to its temp files)
      // when its statement commits; each FETCH then takes the connection only briefly.
      const cursor = `export_cursor_${++cursorSeq}`;
      await pg.query(`DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${sql}`, params as unknown[]);
      try {
        for (;;) {
          const { rows } = await pg.query<T>(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM ${cursor}`);
          if (rows.length === 0) break;
          yield rows;
        }
      } finally {
        if (!pg.closed) await pg.exec(`CLOSE ${cursor}`).catch(() => undefined);
      }
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

/** The PGlite instance under a Db, or undefined when the Db is not a PGlite one. */
export function pgliteOf(db: Db): PGlite | undefined {
  return db.kind === 'pglite' && 'pglite' in db ? (db as PgliteDb).pglite : undefined;
}
