/**
 * One `GET /api/flows/live` connection: committed flows from the live bus, filtered in memory, as
 * Server-Sent Events (contract: lib/api/flows-live.ts).
 *
 * It subscribes before the backfill (stored flows since `after`) is read, and holds what arrives
 * meanwhile, so nothing falls between the two; a flow in both is sent once. The bus may repeat
 * flows (a collector that resumes asks its relay again from a little before its newest flow), so
 * recently sent keys are remembered. Reads are pulled by the client: a slow reader gets at most
 * LIVE_BUFFER_MAX flows held for it, the oldest are dropped beyond that and it is told how many.
 * Live flows beyond LIVE_RATE_MAX a second are skipped and counted the same way: a busy cluster
 * would otherwise have every open tail serialize its whole firehose, starving ingest and the API.
 * The bus applies the filters and that cap (where the collector runs, see server/live/live-bus.ts);
 * the stored flows of the backfill are matched here.
 */
import {
  LIVE_BATCH_MAX, LIVE_BUFFER_MAX, LIVE_HEARTBEAT_MS, LIVE_RATE_MAX, SSE_HEARTBEAT, sseMessage, type LiveReadyEvent,
} from '../../../../lib/api/flows-live';
import type { FlowsResponse } from '../../../../lib/flow/flow';
import { RecentKeys } from '../../../../lib/flow/recent-keys';
import type { FlowFilterSet } from '../../../../lib/filter/flow-filter';
import { compileFilters, type FlowPredicate } from '../../../../lib/filter/match';
import { compareTimestamps, parseTimestamp, type Timestamp } from '../../../../lib/time/timestamp';
import type { FlowListener, FlowSubscriptionSpec } from '../../../../server/live/live-bus';
import { flowKey } from '../../../../server/store/flow-row';

// Per-flow work shared by every open stream (the bus hands the same objects to all of them).
const jsonCache = new WeakMap<FlowsResponse, string>();
const timeCache = new WeakMap<FlowsResponse, Timestamp | null>();

function jsonOf(response: FlowsResponse): string {
  let text = jsonCache.get(response);
  if (text === undefined) jsonCache.set(response, (text = JSON.stringify(response)));
  return text;
}

function timeOf(response: FlowsResponse): Timestamp | undefined {
  let ts = timeCache.get(response);
  if (ts === undefined) timeCache.set(response, (ts = parseTimestamp(response.flow?.time ?? '') ?? null));
  return ts ?? undefined;
}

/** Where committed flows are announced (server/live's LiveBus). */
export interface LiveFlowSource {
  subscribeFlows(listener: FlowListener, spec: FlowSubscriptionSpec): () => void;
  /** Resolves once the subscription gets every flow committed from now on; false when that is not sure (LiveBus). */
  subscriptionsInEffect(): Promise<boolean>;
}

/** The stored flows later than `after`, oldest first, and whether they are all of them. */
export interface LiveBackfill {
  flows: FlowsResponse[];
  complete: boolean;
}

export interface LiveConnectionOptions {
  live: LiveFlowSource;
  /** The stream's filters (throws a FilterError when one is invalid). */
  filters: FlowFilterSet;
  /** RFC 3339: only flows later than this are sent. */
  after?: string;
  /** The client went away. */
  signal: AbortSignal;
  heartbeatMs?: number;
  bufferMax?: number;
  batchMax?: number;
  /** Live flows sent per second at most (LIVE_RATE_MAX). */
  rateMax?: number;
  /** The clock that spaces out the rate cap's `lost` messages (tests). */
  nowMs?: () => number;
}

/** One client's stream: subscribe, backfill, then `stream()` as the response body; `close()` ends it. */
export class LiveConnection {
  private readonly after: Timestamp | undefined;
  private readonly recent: RecentKeys;
  private readonly bufferMax: number;
  /** Flows that arrived while the backfill was read; undefined once it is done. */
  private early: FlowsResponse[] | undefined = [];
  private queue: FlowsResponse[] = [];
  private head = 0;
  private lost = 0;
  /** Live flows skipped by the rate cap, not told yet. */
  private limited = 0;
  private limitedToldMs = 0;
  private readonly match: FlowPredicate;
  private ready: LiveReadyEvent | undefined;
  private newest: { text: string; ts: Timestamp } | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: LiveConnectionOptions) {
    this.after = opts.after === undefined ? undefined : parseTimestamp(opts.after);
    this.bufferMax = Math.max(1, opts.bufferMax ?? LIVE_BUFFER_MAX);
    this.recent = new RecentKeys(this.bufferMax * 2);
    this.match = compileFilters(opts.filters);
    this.unsubscribe = opts.live.subscribeFlows((batch, limited) => this.offer(batch, limited), { filters: opts.filters, rateMax: opts.rateMax ?? LIVE_RATE_MAX });
    opts.signal.addEventListener('abort', () => this.close(), { once: true });
    if (opts.signal.aborted) this.close();
  }

  /**
   * Reads the stored flows since `after` with `read` (skipped without `after`) and queues them
   * ahead of what the bus sent meanwhile. Rejects with what `read` throws; the caller decides
   * whether the stream can go on (it is not closed here).
   */
  async backfill(read: (after: string) => Promise<LiveBackfill>): Promise<void> {
    const inEffect = await this.opts.live.subscriptionsInEffect();
    const result = this.opts.after === undefined ? { flows: [], complete: true } : await read(this.opts.after);
    const early = this.early ?? [];
    this.early = undefined;
    let backfilled = 0;
    for (const response of result.flows) if (this.isLater(response) && this.match(response.flow!) && this.enqueue(response)) backfilled++;
    for (const response of early) this.enqueue(response);
    // Without the subscription surely in effect, flows committed just before it may be missing.
    this.ready = { backfilled, complete: result.complete && inEffect };
    this.wake?.();
  }

  /** Goes live without stored flows, telling the client the ones since `after` may be missing. */
  skipBackfill(): void {
    const early = this.early ?? [];
    this.early = undefined;
    for (const response of early) this.enqueue(response);
    this.ready = { backfilled: 0, complete: this.opts.after === undefined };
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.queue = [];
    this.head = 0;
    this.wake?.();
  }

  /** The SSE body; one message per pull, so a client that stops reading stops the writes. */
  stream(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(encoder.encode(`retry: 3000\n\n`)),
      pull: async (controller) => {
        // A reader as fast as loopback pulls the next message at once, in the same chain of
        // microtasks: draining a full queue that way held the event loop (every other request)
        // for hundreds of ms. One turn of the loop between messages lets the rest in.
        await new Promise((resolve) => setImmediate(resolve));
        const message = await this.nextMessage();
        if (message === undefined) controller.close();
        else controller.enqueue(encoder.encode(message));
      },
      cancel: () => this.close(),
    });
  }

  /** Whether a flow is later than `after` (the bus matched live flows already). */
  private isLater(response: FlowsResponse): boolean {
    if (!response.flow?.time) return false;
    if (!this.after) return true;
    const ts = timeOf(response);
    return ts !== undefined && compareTimestamps(ts, this.after) > 0;
  }

  private offer(batch: readonly FlowsResponse[], limited: number): void {
    if (this.closed) return;
    this.limited += limited;
    for (const response of batch) {
      if (!this.isLater(response)) continue;
      if (this.early) {
        this.early.push(response);
        if (this.early.length > this.bufferMax) this.lost += this.early.splice(0, this.early.length - this.bufferMax).length;
      } else this.enqueue(response);
    }
    this.wake?.();
  }

  /** Queues a flow not sent yet; false for a repeat. */
  private enqueue(response: FlowsResponse): boolean {
    if (!this.recent.add(flowKey(response.flow!))) return false;
    if (this.queue.length - this.head >= this.bufferMax) {
      this.head++;
      this.lost++;
    }
    this.queue.push(response);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  /** The next message to write: ready first, then lost counts and flows; a heartbeat when idle. Undefined once closed. */
  private async nextMessage(): Promise<string | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      if (this.ready) {
        const ready = this.ready;
        this.ready = undefined;
        return sseMessage('ready', ready);
      }
      if (this.early === undefined && this.lost > 0) {
        const count = this.lost;
        this.lost = 0;
        return sseMessage('lost', { count, reason: 'behind' });
      }
      // At most once a second while flows wait, so a capped stream is not half `lost` messages.
      const clock = this.opts.nowMs ?? Date.now;
      if (this.early === undefined && this.limited > 0 && (this.head >= this.queue.length || clock() - this.limitedToldMs >= 1000)) {
        const count = this.limited;
        this.limited = 0;
        this.limitedToldMs = clock();
        return sseMessage('lost', { count, reason: 'rate' });
      }
      if (this.early === undefined && this.head < this.queue.length) return this.flowsMessage();
      if (!(await this.sleep())) return SSE_HEARTBEAT;
    }
  }

  private flowsMessage(): string {
    const end = Math.min(this.queue.length, this.head + (this.opts.batchMax ?? LIVE_BATCH_MAX));
    const flows = this.queue.slice(this.head, end);
    this.head = end;
    for (const response of flows) {
      const text = response.flow!.time!;
      const ts = timeOf(response);
      if (ts && (!this.newest || compareTimestamps(ts, this.newest.ts) > 0)) this.newest = { text, ts };
    }
    // Every connection sends the same bus objects: each one is turned into JSON once, not once per connection.
    const id = this.newest?.text;
    return `event: flows\n${id ? `id: ${id}\n` : ''}data: {"flows":[${flows.map(jsonOf).join(',')}]}\n\n`;
  }

  /** Waits for work; false when the heartbeat interval passed first. */
  private sleep(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), this.opts.heartbeatMs ?? LIVE_HEARTBEAT_MS);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(woken);
      };
      this.wake = () => done(true);
    });
  }
}
