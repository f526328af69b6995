import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, refusalOf, refusedParam, requestJson, retryOnceUnlessRefused } from './api-request';

const json = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function answerWith(res: Response) {
  const fetch = vi.fn(async () => res);
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('requestJson', () => {
  it('answers the JSON body, asked never from a cache and with the caller\'s init', async () => {
    const fetch = answerWith(json({ flows: [] }, 200));
    const signal = new AbortController().signal;
    expect(await requestJson('/api/flows', { signal })).toEqual({ flows: [] });
    expect(fetch).toHaveBeenCalledWith('/api/flows', { cache: 'no-store', signal });
  });

  it('answers undefined for 204', async () => {
    answerWith(new Response(null, { status: 204 }));
    expect(await requestJson('/api/investigations/x', { method: 'DELETE' })).toBeUndefined();
  });

  it('throws the API\'s message with its status and the rest of its answer', async () => {
    answerWith(json({ error: 'raw aggregation ran out of time', progress: { done: 3, total: 24 } }, 503));
    const err = await requestJson('/api/service-map').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ message: 'raw aggregation ran out of time', status: 503, body: { progress: { done: 3, total: 24 } } });
  });

  it('says what it can of a refusal without a JSON message', async () => {
    expect(await refusalOf(new Response('<html>bad gateway</html>', { status: 502 }))).toMatchObject({ message: 'HTTP 502: the answer was not JSON', status: 502 });
    expect(await refusalOf(json({ detail: 'x' }, 500))).toMatchObject({ message: 'HTTP 500', status: 500, body: { detail: 'x' } });
    expect(await refusalOf(json(['error'], 400))).toMatchObject({ message: 'HTTP 400', body: {} });
  });
});

describe('retryOnceUnlessRefused', () => {
  it('retries a network failure or a 5xx once, a 4xx never', () => {
    expect(retryOnceUnlessRefused(0, new TypeError('Failed to fetch'))).toBe(true);
    expect(retryOnceUnlessRefused(1, new TypeError('Failed to fetch'))).toBe(false);
    expect(retryOnceUnlessRefused(0, new ApiRequestError('internal error', 500))).toBe(true);
    expect(retryOnceUnlessRefused(0, new ApiRequestError('since: bad', 400))).toBe(false);
    expect(retryOnceUnlessRefused(0, new ApiRequestError('not signed in', 401))).toBe(false);
  });
});

describe('refusedParam', () => {
  it('names the parameter a refusal says is at fault, and nothing else', async () => {
    expect(refusedParam(await refusalOf(json({ error: 'http_method: not matched exactly', param: 'q' }, 400)))).toBe('q');
    expect(refusedParam(await refusalOf(json({ error: 'took over 15 s' }, 400)))).toBeUndefined();
    expect(refusedParam(await refusalOf(json({ error: 'x', param: 7 }, 400)))).toBeUndefined();
    expect(refusedParam(Object.assign(new Error('x'), { body: { param: 'q' } }))).toBeUndefined();
  });
});
