/**
 * A flows export as an HTTP download, shared by GET /api/flows and an investigation's flows: the
 * store's text chunks streamed one per pull, so a slow client holds back the reads instead of
 * filling memory, and a client that goes away stops them.
 */
import { logger } from '../../server/log/logger';
import { NO_STORE } from './responses';

const log = logger('api-download');

export type FlowsDownloadFormat = 'jsonpb' | 'csv';

const CONTENT_TYPES: Record<FlowsDownloadFormat, string> = { jsonpb: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' };

export interface FlowsDownload {
  format: FlowsDownloadFormat;
  filename: string;
  /** Logged with a failure while streaming (what was asked for). */
  context: Record<string, unknown>;
  /** What the client's stream errors with instead of the internal error. */
  failure: string;
}

export function flowsDownloadResponse(chunks: AsyncIterable<string>, d: FlowsDownload): Response {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        log.error({ err, ...d.context, format: d.format }, 'export failed while streaming');
        controller.error(new Error(d.failure));
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
  return new Response(body, {
    headers: {
      ...NO_STORE,
      'content-type': CONTENT_TYPES[d.format],
      'content-disposition': `attachment; filename="${d.filename}"`,
    },
  });
}
