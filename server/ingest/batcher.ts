/**
 * Gathers what the stream delivers into batches: a batch is sealed when it holds `maxFlows` flows or
 * `maxDelayMs` after its first entry, whichever comes first, so a busy relay is written in large
 * COPYs and a quiet one still shows up within a fraction of a second.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { GapRecord, NodeEventRecord } from '../store/ingest-records';

/**
 * One unit of writing: flows plus the records that arrived among them, kept in stream order. The
 * collector's flows are prepared rows (server/store/flow-writer.ts), not the decoded responses.
 */
export interface IngestBatch<F = FlowsResponse> {
  flows: F[];
  gaps: GapRecord[];
  nodeEvents: NodeEventRecord[];
  /** Responses that carried no storable flow: counted, and recorded as dropped once written. */
  skipped: number;
  /** The response times of skipped flows that had one (they bound the dropped-flows gap). */
  skippedTimes: string[];
  /** Approximate memory the flows hold, as told to addFlow. */
  bytes: number;
}

export interface BatcherOptions<F = FlowsResponse> {
  maxFlows: number;
  maxDelayMs: number;
  /** Seals a batch once its flows hold about this many bytes (default: no limit). */
  maxBytes?: number;
  onBatch: (batch: IngestBatch<F>) => void;
  /**
   * While this says true (the writer is busy), maxDelayMs does not seal the batch: sealing would
   * not store its flows any sooner, only in smaller, costlier transactions. The batch is then
   * sealed by releaseIfDue(), by maxFlows or maxBytes, or by flush().
   */
  holdWhile?: () => boolean;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function emptyBatch<F = FlowsResponse>(): IngestBatch<F> {
  return { flows: [], gaps: [], nodeEvents: [], skipped: 0, skippedTimes: [], bytes: 0 };
}

export class Batcher<F = FlowsResponse> {
  private batch = emptyBatch<F>();
  private timer: unknown;
  /** The open batch's delay has passed while holdWhile() held it. */
  private due = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: BatcherOptions<F>) {
    if (!(opts.maxFlows >= 1) || !(opts.maxDelayMs >= 0)) throw new RangeError('batcher needs maxFlows >= 1 and maxDelayMs >= 0');
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Flows waiting in the open batch (skipped ones included). */
  get pendingFlows(): number {
    return this.batch.flows.length + this.batch.skipped;
  }

  /** Adds a flow that holds about `bytes` of memory. */
  addFlow(flow: F, bytes = 0): void {
    const batch = this.batch;
    batch.flows.push(flow);
    batch.bytes += bytes;
    this.touched();
    if (batch.flows.length >= this.opts.maxFlows || batch.bytes >= (this.opts.maxBytes ?? Infinity)) this.flush();
  }

  /** Counts a response without a storable flow; `time` is the response's own time, if any. */
  addSkipped(time?: string): void {
    this.batch.skipped++;
    if (time) this.batch.skippedTimes.push(time);
    this.touched();
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

  /** Seals the open batch if its delay has passed while it was held (call when the writer has room). */
  releaseIfDue(): void {
    if (this.due) this.flush();
  }

  /** Seals the open batch now, if it holds anything. */
  flush(): void {
    this.cancelTimer();
    this.due = false;
    const { flows, gaps, nodeEvents, skipped } = this.batch;
    if (flows.length === 0 && gaps.length === 0 && nodeEvents.length === 0 && skipped === 0) return;
    const sealed = this.batch;
    this.batch = emptyBatch<F>();
    this.opts.onBatch(sealed);
  }

  /** Cancels the timer; what is open stays until flush(). */
  stop(): void {
    this.cancelTimer();
  }

  private touched(): void {
    if (this.timer === undefined && !this.due) this.timer = this.setTimer(() => {
      this.timer = undefined;
      if (this.opts.holdWhile?.()) this.due = true;
      else this.flush();
    }, this.opts.maxDelayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }
}
