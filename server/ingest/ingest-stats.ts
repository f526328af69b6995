/**
 * Running counts of what the collector received and stored, and the rate over a sliding window.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowWriteResult } from '../store/flow-writer';
import type { IngestStatus, RelayState } from '../../lib/ingest/ingest-status';

const RATE_WINDOW_MS = 5_000;

export class IngestStats {
  private flowsReceived = 0;
  private lostEvents = 0;
  private verdicts: Record<string, number> = {};
  private lastFlowTime: string | undefined;
  private readonly connectedNodes = new Set<string>();
  private readonly unavailableNodes = new Set<string>();
  /** Counts from the relay's ServerStatus, which knows nodes that sent no status event yet. */
  private reportedNodes: { connected: number; unavailable: number } | undefined;
  /** Per-second buckets of received flows: [epoch second, count]. */
  private buckets: Array<[number, number]> = [];
  private state: RelayState = 'connecting';
  private lastError: string | undefined;
  /** A database failure being retried; shown instead of the relay's error while it lasts. */
  private dbError: string | undefined;
  private sinceMs: number;
  private store: { flowsStored: number; duplicateFlows: number; droppedFlows: number; newest?: string } | undefined;
  private queuedFlows: () => number = () => 0;

  constructor(private readonly relayAddr: string, private readonly demo: boolean, private readonly clock: () => number) {
    this.sinceMs = clock();
  }

  setState(state: RelayState, lastError?: string): void {
    if (state !== this.state) this.sinceMs = this.clock();
    this.state = state;
    this.lastError = state === 'connected' ? undefined : lastError;
  }

  /** Turns on the storage counters; `queued` tells how many received flows wait to be written. */
  trackStorage(queued: () => number): void {
    this.store ??= { flowsStored: 0, duplicateFlows: 0, droppedFlows: 0 };
    this.queuedFlows = queued;
  }

  recordStored(result: FlowWriteResult & { dropped: number }): void {
    this.store ??= { flowsStored: 0, duplicateFlows: 0, droppedFlows: 0 };
    this.store.flowsStored += result.inserted;
    this.store.duplicateFlows += result.duplicates;
    this.store.droppedFlows += result.dropped;
    if (result.newestTime) this.store.newest = result.newestTime;
  }

  setDbError(message: string | undefined): void {
    this.dbError = message;
  }

  setNodeCounts(connected: number, unavailable: number): void {
    this.reportedNodes = { connected, unavailable };
  }

  record(response: FlowsResponse): void {
    if (response.flow) {
      this.flowsReceived++;
      const verdict = String(response.flow.verdict ?? 'VERDICT_UNKNOWN');
      this.verdicts[verdict] = (this.verdicts[verdict] ?? 0) + 1;
      if (response.flow.time) this.lastFlowTime = response.flow.time;
      this.countForRate(1);
    } else if (response.lost_events) {
      this.lostEvents += Number(response.lost_events.num_events_lost ?? 0);
    } else if (response.node_status) {
      this.recordNodeStatus(response.node_status.state_change, response.node_status.node_names ?? []);
    }
  }

  private recordNodeStatus(state: unknown, nodes: string[]): void {
    for (const node of nodes) {
      this.connectedNodes.delete(node);
      this.unavailableNodes.delete(node);
      if (state === 'NODE_CONNECTED') this.connectedNodes.add(node);
      else if (state === 'NODE_UNAVAILABLE' || state === 'NODE_ERROR') this.unavailableNodes.add(node);
    }
  }

  private countForRate(n: number): void {
    const second = Math.floor(this.clock() / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last[0] === second) last[1] += n;
    else this.buckets.push([second, n]);
    if (this.buckets.length > 16) this.buckets.shift();
  }

  private flowsPerS(nowMs: number): number {
    // Whole seconds only: the current second is still filling up.
    const current = Math.floor(nowMs / 1000);
    const from = current - RATE_WINDOW_MS / 1000;
    let total = 0;
    for (const [second, count] of this.buckets) if (second >= from && second < current) total += count;
    return total / (RATE_WINDOW_MS / 1000);
  }

  snapshot(): IngestStatus {
    const atMs = this.clock();
    return {
      relayAddr: this.relayAddr,
      demo: this.demo,
      state: this.state,
      lastError: this.dbError ?? this.lastError,
      sinceMs: this.sinceMs,
      flowsReceived: this.flowsReceived,
      flowsPerS: this.flowsPerS(atMs),
      lostEvents: this.lostEvents,
      nodesConnected: this.reportedNodes?.connected ?? this.connectedNodes.size,
      nodesUnavailable: this.reportedNodes?.unavailable ?? this.unavailableNodes.size,
      lastFlowTime: this.lastFlowTime,
      ...(this.store && {
        flowsStored: this.store.flowsStored,
        duplicateFlows: this.store.duplicateFlows,
        droppedFlows: this.store.droppedFlows,
        queuedFlows: this.queuedFlows(),
        newestStoredFlowTime: this.store.newest,
      }),
      verdicts: { ...this.verdicts },
      atMs,
    };
  }
}
