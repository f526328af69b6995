/**
 * The memory of service-map-raw.ts: counts of raw-flow pieces that can no longer change, each kept
 * for a while, the least recently used dropped beyond a size. Two requests that need the same piece
 * at the same time share one computation, and at most a few pieces are computed at once over the
 * whole process, so raw aggregations cannot take the connections the collector writes through.
 */

/** A cached value's size, in whatever unit the cache's `maxSize` counts. */
export interface Sized {
  size: number;
}

export interface RawPieceCacheOptions {
  ttlMs: number;
  maxSize: number;
  /** Computations running at once, over every caller. */
  concurrency: number;
}

export class RawPieceCache<T extends Sized> {
  private readonly entries = new Map<string, { value: T; expiresMs: number }>();
  private readonly running = new Map<string, Promise<T>>();
  private readonly waiting: Array<() => void> = [];
  private size = 0;
  private active = 0;

  constructor(private readonly opts: RawPieceCacheOptions) {}

  /** A live cached value, marked as recently used. */
  get(key: string, nowMs: number): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.delete(key);
    if (hit.expiresMs <= nowMs) return undefined;
    this.store(key, hit.value, hit.expiresMs);
    return hit.value;
  }

  /**
   * The value of `key` (undefined: not cacheable, always computed), computed by `compute` when no
   * one has it or is computing it; waits its turn under the process-wide concurrency.
   */
  async getOrCompute(key: string | undefined, nowMs: number, compute: () => Promise<T>): Promise<T> {
    if (key === undefined) return this.limited(compute);
    const hit = this.get(key, nowMs);
    if (hit) return hit;
    const pending = this.running.get(key);
    if (pending) return pending;
    const promise = this.limited(compute).then((value) => {
      this.delete(key);
      this.store(key, value, nowMs + this.opts.ttlMs);
      this.evict();
      return value;
    }).finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  /** Total size held (tests). */
  get heldSize(): number {
    return this.size;
  }

  private store(key: string, value: T, expiresMs: number): void {
    this.entries.set(key, { value, expiresMs });
    this.size += value.size;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.size -= old.value.size;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.size <= this.opts.maxSize) return;
      this.delete(key);
    }
  }

  private async limited(compute: () => Promise<T>): Promise<T> {
    while (this.active >= this.opts.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await compute();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
