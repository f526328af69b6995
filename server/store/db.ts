/**
 * The one database interface both drivers implement: PostgreSQL through a pg Pool, or embedded
 * PGlite. Everything in server/store speaks this; nothing outside it sees a driver.
 */
import type { CopyData } from './copy-binary';

/** Parameters are always sent separately from the SQL text: no value is ever spliced into SQL. */
export type SqlParam = string | number | bigint | boolean | null | Date | string[] | number[];

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

export interface DbTx extends Queryable {
  /** `COPY table (columns) FROM STDIN` of a binary COPY stream (copy-binary.ts's copyData or copyRows). */
  copyFrom(table: string, columns: readonly string[], data: CopyData): Promise<void>;
}

export type DbKind = 'postgres' | 'pglite';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs fn in a transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T>;
  /** Streams a query's rows in batches without holding the whole result (exports). */
  stream<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[], batchSize: number): AsyncIterable<T[]>;
  close(): Promise<void>;
}
