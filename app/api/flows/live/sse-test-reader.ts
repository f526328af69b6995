/**
 * Reads Server-Sent Events from a response body in tests: each message as its event name, id and
 * parsed data, comments (heartbeats) as `comment`. Not a general SSE parser: enough for what
 * live-connection.ts writes (one `data` line per message).
 */
export interface SseMessage {
  event: string;
  id?: string;
  data?: unknown;
  comment?: string;
}

export class SseTestReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next message; undefined when the stream ended. Rejects after `timeoutMs` without one. */
  async next(timeoutMs = 5_000): Promise<SseMessage | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const message = parseBlock(block);
        if (message) return message;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE message within ${timeoutMs} ms; buffered: ${JSON.stringify(this.buffer)}`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE message within ${timeoutMs} ms`)), left);
      });
      try {
        const chunk = await Promise.race([this.reader.read(), timeout]);
        if (chunk.done) return undefined;
        this.buffer += this.decoder.decode(chunk.value, { stream: true });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Messages until one named `event` (returned last), skipping heartbeats. */
  async until(event: string, timeoutMs = 5_000): Promise<SseMessage[]> {
    const seen: SseMessage[] = [];
    for (;;) {
      const message = await this.next(timeoutMs);
      if (!message) throw new Error(`stream ended before a ${event} event; saw ${JSON.stringify(seen.map((m) => m.event))}`);
      if (message.comment === undefined) seen.push(message);
      if (message.event === event) return seen;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = { event: 'message' };
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) return { event: 'comment', comment: line.slice(1).trim() };
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') message.event = value;
    else if (name === 'id') message.id = value;
    else if (name === 'data') message.data = JSON.parse(value);
    else if (name === 'retry') continue;
    fields++;
  }
  return fields > 0 ? message : undefined;
}
