/**
 * The in-process live bus. Next bundles route handlers separately from the server that runs the
 * collector, so the two would each get their own module instance; keeping the one bus on
 * globalThis under a registered symbol makes them meet.
 *
 * Committed flows go to subscriptions, each with its filters and rate cap, and the bus does the
 * matching. The collector asks as each flow arrives (claim) and keeps the decoded flow only when a
 * subscription takes it, so a busy cluster's firehose is not held in memory until its batch
 * commits; the flows are delivered once committed (publishFlows). When the collectors run in their own thread (server/ingest/collector-thread.ts), that
 * thread's bus holds a copy of every subscription made here (watchSubscriptions), matches there,
 * and sends this bus only the flows someone takes (deliverRouted), not the whole firehose.
 */
import { EventEmitter } from 'node:events';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters, type FlowPredicate } from '../../lib/filter/match';
import type { DemoIncident, IngestStatus } from '../../lib/ingest/ingest-status';
import { RateWindow } from './rate-window';

interface LiveBusEvents {
  status: [IngestStatus];
}

/** What a subscription takes: flows its filters match (all without), at most `rateMax` a second. */
export interface FlowSubscriptionSpec {
  filters?: FlowFilterSet;
  rateMax?: number;
}

/**
 * Receives the committed flows a subscription takes (a resumed stream may repeat stored ones), and
 * how many more matched beyond its rate cap since the last call.
 */
export type FlowListener = (responses: readonly FlowsResponse[], limited: number) => void;

/** One subscription's share of a batch: its id, the indexes of its flows in the batch, and what its cap skipped. */
export type FlowRoute = [id: number, indexes: number[], limited: number];

/** Told of every subscription as it comes and goes (collector-thread.ts mirrors them in its thread). */
export interface SubscriptionWatcher {
  /** Resolves once the subscription is in effect where flows are matched: true, or false when that could not be made sure of. */
  subscribed(id: number, spec: FlowSubscriptionSpec): Promise<boolean> | void;
  unsubscribed(id: number): void;
}

/** How long subscriptionsInEffect waits at most (a database that does not commit would hold it forever). */
export const IN_EFFECT_TIMEOUT_MS = 5_000;

interface Subscription {
  spec: FlowSubscriptionSpec;
  listener: FlowListener;
  match: FlowPredicate;
  bucket: RateWindow | undefined;
  /** Flows that matched beyond the cap, not told yet. */
  limited: number;
}

/** Publishes what the collector sees to whoever in this process listens (API routes, SSE). */
export class LiveBus extends EventEmitter<LiveBusEvents> {
  private latestStatus: IngestStatus | undefined;
  private incidents: DemoIncident[] = [];
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly watchers = new Set<SubscriptionWatcher>();
  private pending = new Set<Promise<boolean>>();
  private readonly commitBarriers = new Set<() => Promise<void>>();
  /** The subscriptions that took each claimed flow. */
  private readonly takers = new WeakMap<FlowsResponse, Subscription[]>();
  private nextId = 1;

  constructor(private readonly nowMs: () => number = Date.now) {
    super();
  }

  publishStatus(status: IngestStatus): void {
    this.latestStatus = status;
    this.emit('status', status);
  }

  /**
   * Decides, as a flow arrives, which subscriptions take it (its filters match and its rate cap
   * has room); false when none does, and the flow need not be kept for publishFlows.
   */
  claim(response: FlowsResponse): boolean {
    const flow = response.flow;
    if (!flow || this.subscriptions.size === 0) return false;
    let takers: Subscription[] | undefined;
    let now: number | undefined;
    for (const sub of this.subscriptions.values()) {
      if (!sub.match(flow)) continue;
      if (sub.bucket && !sub.bucket.take((now ??= this.nowMs()))) sub.limited++;
      else (takers ??= []).push(sub);
    }
    if (takers) this.takers.set(response, takers);
    return takers !== undefined;
  }

  /**
   * A committed batch: each subscription gets the flows it took (flows never claimed are claimed
   * now), with the count its cap skipped since it was last told.
   */
  publishFlows(responses: readonly FlowsResponse[]): void {
    const taken = new Map<Subscription, FlowsResponse[]>();
    for (const response of responses) {
      if (!this.takers.has(response)) this.claim(response);
      for (const sub of this.takers.get(response) ?? []) {
        const flows = taken.get(sub);
        if (flows) flows.push(response);
        else taken.set(sub, [response]);
      }
    }
    for (const sub of [...this.subscriptions.values()]) {
      const flows = taken.get(sub) ?? [];
      const limited = sub.limited;
      sub.limited = 0;
      if (flows.length > 0 || limited > 0) sub.listener(flows, limited);
    }
  }

  /** A batch another thread's bus already matched for this bus's subscriptions (see FlowRoute). */
  deliverRouted(responses: readonly FlowsResponse[], routes: readonly FlowRoute[]): void {
    for (const [id, indexes, limited] of routes) {
      this.subscriptions.get(id)?.listener(indexes.map((i) => responses[i]), limited);
    }
  }

  /** Whether anyone listens to committed flows (the collector keeps decoded flows only then). */
  hasFlowListeners(): boolean {
    return this.subscriptions.size > 0;
  }

  /**
   * Listens to committed flows; returns the function that stops listening. Throws a FilterError
   * when the filters are invalid.
   */
  subscribeFlows(listener: FlowListener, spec: FlowSubscriptionSpec = {}): () => void {
    const match = spec.filters ? compileFilters(spec.filters) : () => true;
    const bucket = spec.rateMax === undefined ? undefined : new RateWindow(Math.max(1, spec.rateMax));
    const id = this.nextId++;
    this.subscriptions.set(id, { spec, listener, match, bucket, limited: 0 });
    for (const watcher of this.watchers) this.track(watcher.subscribed(id, spec));
    return () => {
      if (!this.subscriptions.delete(id)) return;
      for (const watcher of this.watchers) watcher.unsubscribed(id);
    };
  }

  /**
   * A collector's promise that what it accepted so far is committed (IngestPipeline.committedSoFar):
   * subscriptionsInEffect waits for it. Returns the function that removes it.
   */
  addCommitBarrier(barrier: () => Promise<void>): () => void {
    this.commitBarriers.add(barrier);
    return () => this.commitBarriers.delete(barrier);
  }

  /**
   * Resolves once every subscription made so far is in effect where flows are matched and every
   * flow that arrived before it is committed: the subscriptions get every flow committed later, so
   * what a subscriber reads from the store afterwards leaves no gap before its live flows. False
   * when that took longer than `timeoutMs` (the database not committing) or could not be made sure of.
   */
  async subscriptionsInEffect(timeoutMs = IN_EFFECT_TIMEOUT_MS): Promise<boolean> {
    const barriers = [...this.commitBarriers].map((barrier) => barrier().then(() => true));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const done = Promise.all([...this.pending, ...barriers]).then((all) => all.every(Boolean));
    try {
      return await Promise.race([done, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells `watcher` of every subscription, those that exist now first; returns the function that stops it. */
  watchSubscriptions(watcher: SubscriptionWatcher): () => void {
    this.watchers.add(watcher);
    for (const [id, sub] of this.subscriptions) this.track(watcher.subscribed(id, sub.spec));
    return () => this.watchers.delete(watcher);
  }

  private track(done: Promise<boolean> | void): void {
    if (!done) return;
    const tracked: Promise<boolean> = done.catch(() => false).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
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

/** The process-wide bus (one per thread). */
export function liveBus(): LiveBus {
  const g = globalThis as { [KEY]?: LiveBus };
  g[KEY] ??= new LiveBus();
  g[KEY].setMaxListeners(1000);
  return g[KEY];
}
