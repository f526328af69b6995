/**
 * Reading a JSON request body with a size cap, for the investigations routes: the create body may
 * carry a service-map snapshot, so a body is refused (413) once it passes the cap instead of being
 * buffered whole; a body that is not JSON, or not sent as JSON, is refused with a message.
 */

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: string };

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The request's JSON body. Only `application/json` is taken: a cross-site HTML form cannot send
 * it, so a page elsewhere cannot make a browser create investigations here.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBodyResult> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return { ok: false, status: 415, error: 'expected a JSON body (content-type: application/json)' };
  const tooLarge = { ok: false, status: 413, error: `request body larger than ${Math.round(maxBytes / 1024 / 1024)} MiB` } as const;
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge;
  if (!request.body) return { ok: false, status: 400, error: 'expected a JSON body' };
  const bytes = await readCapped(request.body, maxBytes);
  if (!bytes) return tooLarge;
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (err) {
    return { ok: false, status: 400, error: `body is not JSON: ${(err as Error).message}` };
  }
}
