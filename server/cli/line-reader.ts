/**
 * Lines of a stream with a bound on their length, without ever holding more than one line plus
 * one chunk. `onTooLong` decides: skip the line (import) or stop (observe, like bufio.Scanner).
 */
import type { Readable } from 'node:stream';

export interface Line {
  /** 1-based. */
  number: number;
  text: string;
}

export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(readonly lineNumber: number, readonly maxBytes: number) {
    super(`line ${lineNumber} is longer than ${maxBytes} bytes`);
  }
}

/**
 * Yields each line (without `\n` or a trailing `\r`). A line over maxBytes is passed to onTooLong
 * instead, which may throw to stop; its bytes are discarded as they arrive.
 */
export async function* readLines(input: Readable, maxBytes: number, onTooLong: (lineNumber: number) => void): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let number = 0;
  let discarding = false;
  const finish = (): Line | undefined => {
    number++;
    const buf = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (discarding) {
      discarding = false;
      return undefined;
    }
    const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
    return { number, text: buf.toString('utf8', 0, end) };
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (!discarding) append(chunk.subarray(start, nl));
      const line = finish();
      if (line) yield line;
      start = nl + 1;
    }
    if (!discarding) append(chunk.subarray(start));
  }
  if (size > 0 || discarding) {
    const line = finish();
    if (line) yield line;
  }

  function append(part: Buffer): void {
    if (size + part.length > maxBytes) {
      discarding = true;
      parts = [];
      size = 0;
      onTooLong(number + 1);
      return;
    }
    parts.push(part);
    size += part.length;
  }
}
