/**
 * The in-process live bus. Next bundles route handlers separately from the server that runs the
 * collector, so the two would each get their own module instance; keeping the one bus on
 * globalThis under a registered symbol makes them meet.
 */
import { EventEmitter } from 'node:events';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { DemoIncident, IngestStatus } from '../../lib/ingest/ingest-status';

interface LiveBusEvents {
  status: [IngestStatus];
  /** Flows of a batch the collector has just committed (a resumed stream may repeat stored ones). */
  flows: [readonly FlowsResponse[]];
}

/** Publishes what the collector sees to whoever in this process listens (API routes, SSE). */
export class LiveBus extends EventEmitter<LiveBusEvents> {
  private latestStatus: IngestStatus | undefined;
  private incidents: DemoIncident[] = [];

  publishStatus(status: IngestStatus): void {
    this.latestStatus = status;
    this.emit('status', status);
  }

  publishFlows(responses: readonly FlowsResponse[]): void {
    if (responses.length > 0) this.emit('flows', responses);
  }

  /** Whether anyone listens to committed flows (the collector builds them only then). */
  hasFlowListeners(): boolean {
    return this.listenerCount('flows') > 0;
  }

  /** Listens to committed flows; returns the function that stops listening. */
  subscribeFlows(listener: (responses: readonly FlowsResponse[]) => void): () => void {
    this.on('flows', listener);
    return () => this.off('flows', listener);
  }

  /** Records the incidents the demo cluster was told to play, for the status API. */
  publishDemoIncidents(windows: ReadonlyArray<{ name: string; fromMs: number; toMs: number }>): void {
    this.incidents = windows.map((w) => ({ name: w.name, from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString() }));
  }

  demoIncidents(): DemoIncident[] {
    return this.incidents;
  }

  /** The newest status, or undefined when no collector runs in this process. */
  status(): IngestStatus | undefined {
    return this.latestStatus;
  }
}

const KEY = Symbol.for('hubble-dashboard.live-bus');

/** The process-wide bus. */
export function liveBus(): LiveBus {
  const g = globalThis as { [KEY]?: LiveBus };
  g[KEY] ??= new LiveBus();
  g[KEY].setMaxListeners(1000);
  return g[KEY];
}
