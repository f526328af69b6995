/**
 * Gathers what the stream delivers into batches: a batch is sealed when it holds `maxFlows` flows or
 * `maxDelayMs` after its first entry, whichever comes first, so a busy relay is written in large
 * COPYs and a quiet one still shows up within a fraction of a second.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { GapRecord, NodeEventRecord } from '../store/ingest-records';

/** One unit of writing: flows plus the records that arrived among them, kept in stream order. */
export interface IngestBatch {
  flows: FlowsResponse[];
  gaps: GapRecord[];
  nodeEvents: NodeEventRecord[];
}

export interface BatcherOptions {
  maxFlows: number;
  maxDelayMs: number;
  onBatch: (batch: IngestBatch) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function emptyBatch(): IngestBatch {
  return { flows: [], gaps: [], nodeEvents: [] };
}

export class Batcher {
  private batch = emptyBatch();
  private timer: unknown;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: BatcherOptions) {
    if (!(opts.maxFlows >= 1) || !(opts.maxDelayMs >= 0)) throw new RangeError('batcher needs maxFlows >= 1 and maxDelayMs >= 0');
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Flows waiting in the open batch. */
  get pendingFlows(): number {
    return this.batch.flows.length;
  }

  addFlow(response: FlowsResponse): void {
    this.batch.flows.push(response);
    this.touched();
    if (this.batch.flows.length >= this.opts.maxFlows) this.flush();
  }

  /** Adds a gap; `merge` may fold it into the previous one (e.g. a burst of lost_events). */
  addGap(gap: GapRecord, merge?: (previous: GapRecord, next: GapRecord) => GapRecord | undefined): void {
    const last = this.batch.gaps[this.batch.gaps.length - 1];
    const merged = last && merge?.(last, gap);
    if (merged) this.batch.gaps[this.batch.gaps.length - 1] = merged;
    else this.batch.gaps.push(gap);
    this.touched();
  }

  addNodeEvents(events: readonly NodeEventRecord[]): void {
    if (events.length === 0) return;
    this.batch.nodeEvents.push(...events);
    this.touched();
  }

  /** Seals the open batch now, if it holds anything. */
  flush(): void {
    this.cancelTimer();
    const { flows, gaps, nodeEvents } = this.batch;
    if (flows.length === 0 && gaps.length === 0 && nodeEvents.length === 0) return;
    const sealed = this.batch;
    this.batch = emptyBatch();
    this.opts.onBatch(sealed);
  }

  /** Cancels the timer; what is open stays until flush(). */
  stop(): void {
    this.cancelTimer();
  }

  private touched(): void {
    if (this.timer === undefined) this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.flush();
    }, this.opts.maxDelayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }
}
