/**
 * From accepted responses to committed rows: each flow is turned into its prepared row (COPY tuple
 * and keys) the moment it is accepted, the batcher seals batches of those rows, the bounded write
 * queue writes them one at a time and retries each until it commits, and the stats hear about
 * both. Memory stays bounded, by batches and by bytes, because the collector waits for room
 * before it reads on (`full`).
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { Logger } from '../log/logger';
import type { Db } from '../store/db';
import { createFlowWriter, prepareFlow, type PartitionEnsurer, type PreparedRow } from '../store/flow-writer';
import type { GapRecord, NodeEventRecord } from '../store/ingest-records';
import { Batcher, type IngestBatch } from './batcher';
import { createBatchWriter, type PendingBatch } from './batch-writer';
import { describeDbFailure } from './db-errors';
import type { IngestStats } from './ingest-stats';
import { WriteQueue } from './write-queue';
import { timeBatchWrites } from '../ops/ops-metrics';

export interface IngestPipelineOptions {
  db: Db;
  /** The relay's name in collector_state and gaps. */
  relay: string;
  stats: IngestStats;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  partitions?: PartitionEnsurer;
  batchMaxFlows?: number;
  batchMaxDelayMs?: number;
  /** Sealed batches queued or being written before the collector stops reading from the relay. */
  maxQueuedBatches?: number;
  /** A batch is sealed once its rows hold about this many bytes (default 16 MiB). */
  batchMaxBytes?: number;
  /**
   * Bytes of rows queued or being written before the collector stops reading (default 64 MiB, about
   * four full batches of typical flows: room for one batch being written, one filling and the
   * write-latency spikes of a busy database). Rows are held as bytes outside the JS heap.
   */
  maxQueuedBytes?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** When database writes start failing or succeed again (to publish the status at once). */
  onDbStateChange?: () => void;
  /** After a batch is committed, with its rows (for the live bus: those it claimed hold their response). */
  onCommitted?: (rows: readonly PreparedRow[]) => void;
}

/** What a prepared row holds in memory besides its tuple's bytes and its keys' characters, roughly. */
const ROW_OVERHEAD_BYTES = 120;

const rowBytes = (row: PreparedRow): number => row.tuple.length + row.key.length + row.edge.length + ROW_OVERHEAD_BYTES;

export class IngestPipeline {
  private readonly batcher: Batcher<PreparedRow>;
  private readonly queue: WriteQueue<PendingBatch>;
  private queuedInBatches = 0;
  /** Flows accepted and flows committed since the start; batches are written in arrival order. */
  private accepted = 0;
  private committed = 0;
  private readonly barriers: Array<{ at: number; resolve: () => void }> = [];
  private failing: string | undefined;

  constructor(private readonly opts: IngestPipelineOptions) {
    const { stats, log } = opts;
    const write = createBatchWriter({
      db: opts.db,
      writer: createFlowWriter(opts.db, { partitions: opts.partitions }),
      relay: opts.relay,
      onFlowsStored: (result) => stats.recordStored(result),
    });
    this.queue = new WriteQueue<PendingBatch>({
      write: timeBatchWrites(write),
      maxQueued: opts.maxQueuedBatches ?? 4,
      maxQueuedSize: opts.maxQueuedBytes ?? 64 * 2 ** 20,
      sizeOf: (batch) => batch.bytes,
      retryBaseMs: opts.retryBaseMs,
      retryCapMs: opts.retryCapMs,
      onRetry: (err, attempt, delayMs) => {
        const message = describeDbFailure(err);
        stats.setDbError(`${message}, retrying`);
        const fields = { err, attempt, retryInMs: delayMs, queuedFlows: this.queuedFlows };
        const changed = message !== this.failing;
        this.failing = message;
        if (!changed) return log.debug(fields, message);
        log.warn(fields, `${message}; retrying the batch until it is stored`);
        opts.onDbStateChange?.();
      },
      onWritten: (batch, recovered) => {
        this.queuedInBatches -= batch.flows.length + batch.skipped;
        this.committed += batch.flows.length + batch.skipped;
        this.releaseBarriers();
        // The writer is idle: what waited for it goes now, however small.
        if (this.queue.length === 0) this.batcher.releaseIfDue();
        try {
          opts.onCommitted?.(batch.flows);
        } catch (err) {
          log.error({ err }, 'committed flows not published to the live bus');
        }
        if (!recovered) return;
        this.failing = undefined;
        stats.setDbError(undefined);
        log.info({ queuedFlows: this.queuedFlows }, 'database writes succeed again');
        opts.onDbStateChange?.();
      },
    });
    this.batcher = new Batcher<PreparedRow>({
      // Under load a batch grows to what arrived while the previous one was written, up to its
      // bytes (about 10,000 typical flows): bigger batches cost PostgreSQL less per flow (fewer
      // commits, rollup rows shared by more flows). 5,000 held a loaded 2-core machine to 15,000-18,000 flows/s.
      maxFlows: opts.batchMaxFlows ?? 20_000,
      maxDelayMs: opts.batchMaxDelayMs ?? 250,
      maxBytes: opts.batchMaxBytes ?? 16 * 2 ** 20,
      // Under load the batch fills while the previous one is written, instead of leaving every 250 ms.
      holdWhile: () => this.queue.length > 0,
      onBatch: (batch: IngestBatch<PreparedRow>) => {
        this.queuedInBatches += batch.flows.length + batch.skipped;
        this.queue.push(batch);
      },
    });
    stats.trackStorage(() => this.queuedFlows);
  }

  /** Flows received and not yet committed. */
  get queuedFlows(): number {
    return this.queuedInBatches + this.batcher.pendingFlows;
  }

  get full(): boolean {
    return this.queue.full;
  }

  waitForRoom(signal?: AbortSignal): Promise<void> {
    return this.queue.waitForRoom(signal);
  }

  /**
   * Prepares a response's flow and adds it; returns the row, or undefined when the flow cannot be
   * stored (no valid time: counted, and recorded as dropped when its batch is written).
   * `keepResponse` keeps the decoded object for the live bus.
   */
  addFlow(response: FlowsResponse, keepResponse = false): PreparedRow | undefined {
    let row: PreparedRow | undefined;
    try {
      row = prepareFlow(response, keepResponse);
    } catch (err) {
      // Not expected (rows are built defensively); a flow that cannot be made a row is dropped, not fatal.
      this.opts.log.error({ err }, 'a flow could not be prepared for storing');
    }
    if (row) this.batcher.addFlow(row, rowBytes(row));
    else this.batcher.addSkipped(response.flow?.time == null ? response.time : undefined);
    this.accepted++;
    return row;
  }

  /**
   * Resolves once every flow accepted so far is committed. A live subscription claims flows as
   * they arrive, so one made now gets none of those already accepted; waiting for them to be
   * stored before reading the stored part leaves no gap between the two (server/live's bus).
   */
  committedSoFar(): Promise<void> {
    if (this.committed >= this.accepted) return Promise.resolve();
    return new Promise((resolve) => this.barriers.push({ at: this.accepted, resolve }));
  }

  private releaseBarriers(all = false): void {
    while (this.barriers.length > 0 && (all || this.barriers[0].at <= this.committed)) this.barriers.shift()!.resolve();
  }

  addGap(gap: GapRecord, merge?: (previous: GapRecord, next: GapRecord) => GapRecord | undefined): void {
    this.batcher.addGap(gap, merge);
  }

  addNodeEvents(events: readonly NodeEventRecord[]): void {
    this.batcher.addNodeEvents(events);
  }

  /**
   * Seals the open batch and waits until everything is written. After `timeoutMs` of failures it
   * gives up: what was not written is logged as lost (the database being down, nothing records it;
   * the next start resumes from the newest stored flow and takes back what the relay still holds).
   */
  async close(timeoutMs: number): Promise<void> {
    this.batcher.flush();
    this.batcher.stop();
    const unwritten = await this.queue.close(timeoutMs);
    this.releaseBarriers(true);
    const flows = unwritten.reduce((n, b) => n + b.flows.length + b.skipped, 0);
    if (unwritten.length > 0) {
      this.opts.log.error({ unwrittenBatches: unwritten.length, unwrittenFlows: flows, error: this.failing },
        `stopping with ${flows} flows not written: the database did not accept them within ${timeoutMs} ms`);
    }
  }
}
