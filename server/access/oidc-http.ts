/**
 * Talking to the OpenID provider: JSON over fetch with a deadline, and one error type whose
 * message is safe to show (it names the provider's endpoint and what went wrong, never a secret).
 */

/** Something the provider did (or failed to do); the sign-in page answers 502 with its message. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

/** Long enough for a slow identity provider, short enough that a browser is not left hanging. */
export const PROVIDER_TIMEOUT_MS = 10_000;

function errorText(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${PROVIDER_TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`;
}

/** Fetches a JSON object; throws ProviderError naming `what` and the URL on any failure. */
export async function fetchJson(what: string, url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), headers: { accept: 'application/json', ...init.headers } });
  } catch (err) {
    throw new ProviderError(`${what} (${url}) could not be reached: ${errorText(err)}`);
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProviderError(`${what} (${url}) answered ${res.status} without JSON: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ProviderError(`${what} (${url}) answered ${res.status} with JSON that is not an object`);
  return { status: res.status, body: body as Record<string, unknown> };
}
