/**
 * The JSON answers every /api route gives: never cached, and errors as `{ error }` with a status
 * that says whose they are to fix (lib/api contracts: 4xx carry a message meant for the user) and,
 * where it is known, `param`: the request parameter at fault (`q` for the flags).
 */
import { NextResponse } from 'next/server';
import { FilterError } from '../../lib/filter/filter-error';
import type { Logger } from '../../server/log/logger';
import { QueryTooSlowError } from '../../server/store/statement-timeout';

export const NO_STORE = { 'cache-control': 'no-store' } as const;

/** `body` as JSON, never cached. */
export function answer(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return NextResponse.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/** A refusal: `{ error, ...extra }` with `status`. */
export function refuse(error: string, status: number, extra?: Record<string, unknown>): Response {
  return answer({ error, ...extra }, { status });
}

/**
 * What went wrong while answering, as a response. The client's to fix, 400 with the message: a
 * filter the store cannot match exactly (server/store/filter-sql.ts; with `param: 'q'`), and a scan
 * of raw flows that ran past its timeout (a filter matching few flows of a long range), also logged
 * as a warning with `context`. Anything else is logged as an error with `context` and answers 500
 * with `failure` alone.
 */
export function failed(err: unknown, log: Logger, context: Record<string, unknown>, failure: string): Response {
  if (err instanceof FilterError) return refuse(err.message, 400, { param: 'q' });
  if (err instanceof QueryTooSlowError) {
    log.warn(context, err.message);
    return refuse(err.message, 400);
  }
  log.error({ err, ...context }, failure);
  return refuse(failure, 500);
}
