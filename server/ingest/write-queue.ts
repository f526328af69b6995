/**
 * The bounded, ordered queue between the stream and the database. One item is written at a time,
 * in order, so the stored "newest flow time" never runs ahead of an unwritten batch (a crash then
 * resumes from a point before everything lost). A failed write is retried, the same item, with
 * backoff, until it succeeds: nothing is dropped for being slow or for the database being down.
 * The producer asks `full` and waits for room, which is what stops reading from the relay.
 */
import { Backoff } from '../hubble/backoff';
import { sleep } from '../../lib/time/sleep';

export interface WriteQueueOptions<T> {
  /** Writes one item; throwing has the same item retried after a delay. */
  write: (item: T, attempt: number) => Promise<void>;
  /** Items queued or being written at which `full` turns true. */
  maxQueued: number;
  /** With sizeOf: the total size (e.g. bytes) of queued items at which `full` turns true too. */
  maxQueuedSize?: number;
  sizeOf?: (item: T) => number;
  retryBaseMs?: number;
  retryCapMs?: number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** After an item was written; `recovered` when it had failed before. */
  onWritten?: (item: T, recovered: boolean) => void;
  random?: () => number;
}

export class WriteQueue<T> {
  private readonly items: T[] = [];
  private readonly roomWaiters = new Set<() => void>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly backoff: Backoff;
  private running = false;
  private queuedSize = 0;
  /** Aborts the retry sleep when close() gives up. */
  private readonly giveUp = new AbortController();

  constructor(private readonly opts: WriteQueueOptions<T>) {
    if (!(opts.maxQueued >= 1)) throw new RangeError('write queue needs maxQueued >= 1');
    this.backoff = new Backoff({ baseMs: opts.retryBaseMs ?? 250, capMs: opts.retryCapMs ?? 2_000, healthyAfterMs: 0 }, opts.random);
  }

  /** Items queued, including the one being written. */
  get length(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.opts.maxQueued || this.queuedSize >= (this.opts.maxQueuedSize ?? Infinity);
  }

  /** Always accepted: the bound is enforced by the producer waiting on waitForRoom(). */
  push(item: T): void {
    if (this.giveUp.signal.aborted) throw new Error('write queue is closed');
    this.items.push(item);
    this.queuedSize += this.opts.sizeOf?.(item) ?? 0;
    if (!this.running) void this.run();
  }

  /** Resolves once the queue is below its bound, or when `signal` aborts. */
  waitForRoom(signal?: AbortSignal): Promise<void> {
    if (!this.full || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.roomWaiters.delete(check);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        if (!this.full) done();
      };
      this.roomWaiters.add(check);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Waits until every item pushed so far is written. After `timeoutMs` it stops retrying and
   * returns the items that were never written (empty when all were).
   */
  async close(timeoutMs: number): Promise<T[]> {
    const idle = new Promise<void>((resolve) => {
      if (this.items.length === 0) resolve();
      else this.idleWaiters.add(resolve);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const outcome = await Promise.race([idle, timedOut]);
    clearTimeout(timer);
    this.giveUp.abort();
    return outcome === 'timeout' ? this.items.splice(0) : [];
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.items.length > 0 && !this.giveUp.signal.aborted) {
        const item = this.items[0];
        const recovered = await this.writeUntilDone(item);
        if (this.giveUp.signal.aborted) return;
        this.items.shift();
        this.queuedSize -= this.opts.sizeOf?.(item) ?? 0;
        this.opts.onWritten?.(item, recovered);
        for (const check of [...this.roomWaiters]) check();
      }
    } finally {
      this.running = false;
      if (this.items.length === 0) for (const resolve of [...this.idleWaiters]) resolve();
      this.idleWaiters.clear();
    }
  }

  /** Returns whether it had to retry. */
  private async writeUntilDone(item: T): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.write(item, attempt);
        this.backoff.reset();
        return attempt > 0;
      } catch (err) {
        if (this.giveUp.signal.aborted) return attempt > 0;
        const delayMs = this.backoff.nextDelayMs();
        this.opts.onRetry?.(err, attempt + 1, delayMs);
        await sleep(delayMs, this.giveUp.signal);
      }
    }
  }
}
