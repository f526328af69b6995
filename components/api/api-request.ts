/**
 * The browser's side of the dashboard's /api: every query asks through here, so every refusal
 * reaches the page the same way, as the API's own message with its HTTP status (app/api/responses.ts).
 */

/** A refused or failed request: the API's message, its HTTP status and the rest of what it answered. */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';

  constructor(message: string, readonly status: number, readonly body: Readonly<Record<string, unknown>> = {}) {
    super(message);
  }
}

/** The API's `{ error }` of a refused response, or what can be said without one. */
export async function refusalOf(res: Response): Promise<ApiRequestError> {
  const body: unknown = await res.json().catch(() => undefined);
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const message = typeof fields.error === 'string' ? fields.error : `HTTP ${res.status}${body === undefined ? ': the answer was not JSON' : ''}`;
  return new ApiRequestError(message, res.status, fields);
}

/** The request parameter a refusal names as at fault (`q` for the flags), where the API knows it. */
export function refusedParam(err: unknown): string | undefined {
  return err instanceof ApiRequestError && typeof err.body.param === 'string' ? err.body.param : undefined;
}

/** Asks `url`, never from a cache: its JSON body (undefined for 204), or throws its ApiRequestError. */
export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', ...init });
  if (!res.ok) throw await refusalOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query's retry: once after a network failure or a 5xx; never after a 4xx, whose message says what to change. */
export function retryOnceUnlessRefused(failures: number, err: Error): boolean {
  return !(err instanceof ApiRequestError && err.status < 500) && failures < 1;
}
