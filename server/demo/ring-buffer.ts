/**
 * A fixed-capacity ring buffer, the demo cluster's stand-in for a Hubble agent's flow buffer:
 * writing to a full buffer overwrites the oldest entry, and the writer keeps counting so status
 * calls can report `seen_flows` alongside `num_flows` / `max_flows`.
 */
import type { FlowsResponse } from '../../lib/flow/flow';

/** Hubble's default per-node buffer (`--hubble-event-buffer-capacity`, a power of two minus one). */
export const DEFAULT_RING_CAPACITY = 4095;

export class RingBuffer<T = FlowsResponse> {
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  /** Index of the slot the next write goes to. */
  private head = 0;
  private length = 0;
  private written = 0;

  constructor(capacity: number = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a whole number ≥ 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Entries currently held (≤ capacity). */
  get size(): number {
    return this.length;
  }

  /** Entries ever written, including those since overwritten. */
  get totalWritten(): number {
    return this.written;
  }

  /** Appends an entry; returns the entry it overwrote when the buffer was full. */
  push(item: T): T | undefined {
    const evicted = this.length === this.capacity ? this.slots[this.head] : undefined;
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    if (this.length < this.capacity) this.length++;
    this.written++;
    return evicted;
  }

  /** The entry at position `index` counted from the oldest (0) to the newest (size − 1). */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    return this.slots[(this.head - this.length + index + this.capacity) % this.capacity];
  }

  /** The oldest entry, or undefined when empty. */
  oldest(): T | undefined {
    return this.at(0);
  }

  /** The newest entry, or undefined when empty. */
  newest(): T | undefined {
    return this.at(this.length - 1);
  }

  /** A copy of the entries, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i) as T;
    return out;
  }

  /** Iterates oldest to newest. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as T;
  }

  /** Iterates newest to oldest. */
  *reversed(): IterableIterator<T> {
    for (let i = this.length - 1; i >= 0; i--) yield this.at(i) as T;
  }

  /** Drops every entry; the write count is kept. */
  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.length = 0;
  }
}
