/**
 * Bounded reads: a query a request runs over raw flows can scan a long range when its filter
 * matches little, and must not hold a connection for minutes. PostgreSQL cancels it after the
 * timeout (SQLSTATE 57014); PGlite has no timers and runs it to the end.
 */
import type { Db, Queryable, SqlParam } from './db';

/** SQLSTATE of a statement cancelled by statement_timeout. */
export const QUERY_CANCELED = '57014';

/** Whether `err` is a statement cancelled by its timeout. */
export function isQueryCanceled(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === QUERY_CANCELED;
}

/** Cancels each further statement of the transaction `tx` that runs longer than `timeoutMs`. */
export async function limitStatements(tx: Queryable, timeoutMs: number): Promise<void> {
  await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
}

/** `sql` in a transaction of its own whose statements are cancelled after `timeoutMs` (on PGlite, just `sql`). */
export function queryWithin<T>(db: Db, timeoutMs: number, sql: string, params: readonly SqlParam[]): Promise<T[]> {
  if (db.kind === 'pglite') return db.query<T>(sql, params);
  return db.transaction(async (tx) => {
    await limitStatements(tx, timeoutMs);
    return tx.query<T>(sql, params);
  });
}

/** A read cancelled by its timeout, with what to do about it; a request's answer is 400 with the message. */
export class QueryTooSlowError extends Error {
  override name = 'QueryTooSlowError';
}

/**
 * The error for a read of flows cancelled by its timeout: `what` ("Finding 100 matching flows") took
 * too long because the filter matches little of the range, and what narrows it.
 */
export function flowScanTooSlow(what: string, timeoutMs: number): QueryTooSlowError {
  return new QueryTooSlowError(`${what} took over ${formatTimeout(timeoutMs)}: few flows in this time range match the filter, `
    + 'so most of the range was read. Narrow the time range, or add --namespace or --verdict (found by index).');
}

/** "20 s", "500 ms": a timeout as a message states it. */
export function formatTimeout(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}
