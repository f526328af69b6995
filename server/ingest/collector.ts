/**
 * The collector: follows one relay's GetFlows stream and stores every flow. Each (re)connection
 * asks from the newest flow already accepted or stored, so whatever the relay still holds after an
 * outage or a restart is taken back, and the store's deduplication makes the overlap harmless.
 * Writes go through a bounded queue; while it is full the collector stops reading from the relay
 * (the relay's own buffer takes the strain, and reports lost_events if it overflows). Outages,
 * lost events and history the relay no longer held are recorded as gaps.
 * Reconnection, backoff and error wording live in the relay client's follower.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery } from '../../lib/flow/observer';
import type { IngestStatus, RelayState } from '../../lib/ingest/ingest-status';
import type { BackoffOptions } from '../hubble/backoff';
import type { RelayClient } from '../hubble/relay-client';
import { followRelay } from '../hubble/follow-relay';
import { liveBus } from '../live/live-bus';
import { logger } from '../log/logger';
import type { Db } from '../store/db';
import { isLater, type PartitionEnsurer, type PreparedRow } from '../store/flow-writer';
import { saveConnectedSince, type NodeEventRecord } from '../store/ingest-records';
import { describeDbFailure } from './db-errors';
import { GapTracker, mergeLostEvents, type ResumeSuspect } from './gap-tracker';
import { IngestPipeline } from './ingest-pipeline';
import { IngestStats } from './ingest-stats';
import { startRelaySampler, type RelaySampler } from './relay-sampler';
import { oldestHeldFlowTime, readStoredResumePoint, resumeQuery } from './resume';
import { fillResponseCluster } from './cluster-fill';

const log = logger('collector');
const STATUS_EVERY_MS = 1_000;

export interface CollectorOptions {
  client: RelayClient;
  /** Shown to users: the relay address, or a note that it is the built-in demo cluster. */
  relayLabel: string;
  demo: boolean;
  /** Where flows are stored; without it the collector only reports what it sees. */
  db?: Db;
  /** The relay's name in collector_state and gaps; `demo` for the demo cluster, else relayLabel. */
  relayKey?: string;
  partitions?: PartitionEnsurer;
  clock?: () => number;
  /** Called for every response, after it is counted. */
  onResponse?: (response: FlowsResponse) => void;
  batchMaxFlows?: number;
  batchMaxDelayMs?: number;
  maxQueuedBatches?: number;
  /** How far before the newest stored flow a resumed stream starts (default 1 s). */
  resumeOverlapMs?: number;
  /** ServerStatus samples (default every 10 s). */
  statusSampleEveryMs?: number;
  /** How long stop() keeps retrying unwritten batches while the database is down (default 25 s). */
  stopTimeoutMs?: number;
  dbRetryBaseMs?: number;
  dbRetryCapMs?: number;
  relayBackoff?: BackoffOptions;
  /**
   * The cluster this relay's flows are from: endpoints and node names that name none get it before
   * they are stored (cluster-fill.ts), and without collector_state a stream resumes from this
   * cluster's newest stored flow. Unset: flows are stored as received.
   */
  cluster?: string;
  /** Where status snapshots go (default: the live bus); main.ts combines several relays' (relay-status-board.ts). */
  publishStatus?: (status: IngestStatus) => void;
}

export interface Collector {
  /** Ends the stream, writes what was received and waits for the writes, then resolves. */
  stop(): Promise<void>;
}

function nodeEvents(relay: string, response: FlowsResponse, nowMs: number): NodeEventRecord[] {
  const status = response.node_status;
  if (!status) return [];
  const time = response.time ?? nowMs;
  return (status.node_names ?? []).map((node) => ({
    time, relay, node, state: String(status.state_change ?? 'UNKNOWN_NODE_STATE'), message: status.message || undefined,
  }));
}

/** Starts following the relay; returns a handle whose stop() ends the stream. */
export function startCollector(opts: CollectorOptions): Collector {
  const collector = new RelayCollector(opts);
  return { stop: () => collector.stop() };
}

class RelayCollector {
  private readonly clock: () => number;
  /** The relay's name in the database. */
  private readonly relay: string;
  private readonly stats: IngestStats;
  private readonly abort = new AbortController();
  private readonly bus = liveBus();
  private readonly gaps: GapTracker;
  private readonly pipeline: IngestPipeline | undefined;
  private readonly sampler: RelaySampler;
  private readonly publishTimer: ReturnType<typeof setInterval>;
  /** Side tasks (resume probes, collector_state updates) that stop() waits for. */
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly following: Promise<void>;
  private readonly removeCommitBarrier: () => void;
  /** The newest flow accepted into the pipeline: where a reconnection resumes. */
  private newestAccepted: Pick<PreparedRow, 'time' | 'seconds' | 'nanos'> | undefined;

  constructor(private readonly opts: CollectorOptions) {
    this.clock = opts.clock ?? Date.now;
    this.relay = opts.relayKey ?? (opts.demo ? 'demo' : opts.relayLabel);
    this.stats = new IngestStats(opts.relayLabel, opts.demo, this.clock);
    this.gaps = new GapTracker(this.relay, this.clock);
    this.pipeline = opts.db && new IngestPipeline({
      db: opts.db, relay: this.relay, stats: this.stats, log, partitions: opts.partitions,
      batchMaxFlows: opts.batchMaxFlows, batchMaxDelayMs: opts.batchMaxDelayMs, maxQueuedBatches: opts.maxQueuedBatches,
      retryBaseMs: opts.dbRetryBaseMs, retryCapMs: opts.dbRetryCapMs, onDbStateChange: () => this.publish(),
      // Rows keep their decoded flow only when a live subscription claimed it on arrival.
      onCommitted: (rows) => {
        if (!this.bus.hasFlowListeners()) return;
        const claimed: FlowsResponse[] = [];
        for (const row of rows) if (row.response) claimed.push(row.response);
        this.bus.publishFlows(claimed);
      },
    });
    const pipeline = this.pipeline;
    this.removeCommitBarrier = pipeline ? this.bus.addCommitBarrier(() => pipeline.committedSoFar()) : () => undefined;
    this.publishTimer = setInterval(() => this.publish(), STATUS_EVERY_MS);
    this.sampler = startRelaySampler({
      client: opts.client, relay: this.relay, stats: this.stats, db: opts.db,
      everyMs: opts.statusSampleEveryMs ?? 10_000, clock: this.clock, log,
    });
    this.publish();
    this.following = followRelay({
      client: opts.client,
      query: () => this.query(),
      signal: this.abort.signal,
      backoff: opts.relayBackoff,
      onState: ({ state, lastError }) => this.onState(state, lastError),
      onResponse: (response) => {
        this.stats.record(response);
        opts.onResponse?.(response);
        return this.accept(response);
      },
    });
    this.following.catch((err: unknown) => log.error({ err }, 'the collector stopped following the relay'));
    log.info({ relay: opts.relayLabel, cluster: opts.cluster, storing: Boolean(opts.db) }, 'collector started');
  }

  async stop(): Promise<void> {
    clearInterval(this.publishTimer);
    this.abort.abort();
    await this.following.catch(() => undefined);
    await this.sampler.stop();
    await Promise.allSettled([...this.tasks]);
    await this.pipeline?.close(this.opts.stopTimeoutMs ?? 25_000);
    this.removeCommitBarrier();
    this.stats.setState('stopped');
    this.publish();
    const { flowsReceived, flowsStored, duplicateFlows, droppedFlows, queuedFlows } = this.stats.snapshot();
    log.info({ flowsReceived, flowsStored, duplicateFlows, droppedFlows, queuedFlows }, 'collector stopped');
  }

  private publish(): void {
    const status = this.stats.snapshot();
    if (this.opts.publishStatus) this.opts.publishStatus(status);
    else this.bus.publishStatus(status);
  }

  /** The response with the relay's cluster filled in where it names none (the stored row, rollups and jsonpb agree). */
  private fill(response: FlowsResponse): FlowsResponse {
    return this.opts.cluster ? fillResponseCluster(response, this.opts.cluster) : response;
  }

  private track(task: Promise<unknown>): void {
    const tracked = task
      .catch((err: unknown) => log.debug({ err }, 'collector side task failed'))
      .finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
  }

  /** The request for each (re)connection: from the newest flow accepted, or else stored. */
  private async query(): Promise<FlowsQuery> {
    const db = this.opts.db;
    if (!db) return {};
    const resumePoint = this.newestAccepted?.time ?? await readStoredResumePoint(db, this.relay, {
      cluster: this.opts.cluster,
      signal: this.abort.signal,
      onError: (err) => {
        this.stats.setDbError(`${describeDbFailure(err)}, retrying`);
        this.publish();
      },
      onRecovered: () => this.stats.setDbError(undefined),
    });
    this.gaps.onStreamOpening(resumePoint);
    return resumeQuery(resumePoint, this.opts.resumeOverlapMs ?? 1_000);
  }

  private onState(state: RelayState, lastError: string | undefined): void {
    this.stats.setState(state, lastError);
    this.publish();
    const gap = this.gaps.onState(state, lastError);
    if (gap) this.pipeline?.addGap(gap);
    if (state === 'connected') this.sampler.sampleNow();
    if (this.opts.db && state !== 'connecting') {
      this.track(saveConnectedSince(this.opts.db, this.relay, state === 'connected' ? this.clock() : null));
    }
  }

  /** Routes one response into the pipeline; returns a promise while the pipeline has no room. */
  private accept(response: FlowsResponse): void | Promise<void> {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    if (response.flow) {
      const suspect = this.gaps.onFlow(response.flow.time, response.node_name ?? response.flow.node_name);
      if (suspect) this.track(this.checkResume(suspect));
      // The decoded response is kept past this point only when a live subscription takes it.
      const filled = this.fill(response);
      const row = pipeline.addFlow(filled, this.bus.claim(filled));
      if (row && (!this.newestAccepted || isLater(row, this.newestAccepted))) {
        this.newestAccepted = { time: row.time, seconds: row.seconds, nanos: row.nanos };
      }
    } else if (response.lost_events) {
      const gap = this.gaps.lostEvents(response, this.newestAccepted?.time);
      if (gap) pipeline.addGap(gap, mergeLostEvents);
    } else if (response.node_status) {
      pipeline.addNodeEvents(nodeEvents(this.relay, this.fill(response), this.clock()));
    }
    // Backpressure: not returning until there is room keeps the follower from reading on.
    if (pipeline.full) return pipeline.waitForRoom(this.abort.signal);
  }

  /** Asks the relay whether the node still holds flows from before the resume point. */
  private async checkResume(suspect: ResumeSuspect): Promise<void> {
    const oldest = await oldestHeldFlowTime(this.opts.client, suspect.node, this.opts.client.requestTimeoutMs);
    const gap = this.gaps.notRecovered(suspect, oldest);
    if (!gap || !this.pipeline) return;
    log.warn({ from: gap.fromTime, to: gap.toTime, node: suspect.node }, 'flows the relay no longer holds recorded as a gap');
    this.pipeline.addGap(gap);
  }
}
