/**
 * The live part of a follow answer: flows the collector committed after the request came in. The
 * hub subscribes to them once for all followers, with the followers' whitelists together as its
 * filter (so the collector passes on only flows some follower may take; unfiltered while one
 * follower takes everything), and drops flows it has already passed on (a collector that
 * reconnects asks its relay again from a little before the newest flow, and the store's
 * deduplication does not tell the live bus which rows were repeats). Each follower filters with
 * the in-memory matcher and queues what passes, up to a bound.
 *
 * No gap and no repeat at the seam: a follower subscribes before the stored part is read, and live
 * flows at or before the newest stored flow sent (the watermark) are dropped — they were sent
 * already, or they arrived late and out of order (the one place a flow can be missed, as the brief
 * of this server accepts). While the stored part is still being read, a full queue is emptied and
 * the scan reads on past where it was, which covers what was dropped; once live, a full queue
 * loses flows and the follower is told with `lost_events` (OBSERVER_EVENTS_QUEUE), as Hubble does.
 */
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import type { FlowsResponse } from '../../lib/flow/flow';
import { RecentKeys } from '../../lib/flow/recent-keys';
import { compareTimestamps, parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import { logger } from '../log/logger';
import { flowKey as keyOfFlow } from './flow-row';
import { inRange, type HistoryPlan } from './history-plan';

/** Where committed flows are announced (server/live's LiveBus implements it). */
export interface LiveFlows {
  /**
   * Calls `listener` with each batch of flows `filters` match (all without), right after it is
   * committed; returns the unsubscribe function.
   */
  subscribeFlows(listener: (responses: readonly FlowsResponse[]) => void, spec?: { filters?: FlowFilterSet }): () => void;
  /** Resolves once subscriptions reach where flows are committed (the collector thread's bus); immediate in one thread. */
  subscriptionsInEffect?(): Promise<boolean>;
}

export interface LiveFlow {
  response: FlowsResponse;
  ts: Timestamp;
  flowKey: string;
}

const log = logger('history-observer');

/** The newest stored flows a follower was sent: the time, and the keys of the flows at that time. */
export class Watermark {
  private newest: Timestamp | undefined;
  private keys = new Set<string>();

  note(ts: Timestamp, flowKey: string): void {
    const c = this.newest ? compareTimestamps(ts, this.newest) : 1;
    if (c > 0) {
      this.newest = ts;
      this.keys = new Set([flowKey]);
    } else if (c === 0) this.keys.add(flowKey);
  }

  /** Whether the stored part sent this flow, or it is older than what it sent. */
  covers(flow: LiveFlow): boolean {
    if (!this.newest) return false;
    const c = compareTimestamps(flow.ts, this.newest);
    return c < 0 || (c === 0 && this.keys.has(flow.flowKey));
  }
}

/**
 * A filter set that takes every flow at least one of `sets` takes: their whitelists together, each
 * filter once, no blacklist (each follower still applies its own); undefined (everything) when one
 * has no whitelist.
 */
export function filterUnion(sets: Iterable<FlowFilterSet>): FlowFilterSet | undefined {
  const whitelist = new Map<string, FlowFilter>();
  for (const set of sets) {
    if (set.whitelist.length === 0) return undefined;
    // Followers with the same filter (a runbook's command run twice) share it.
    for (const filter of set.whitelist) whitelist.set(JSON.stringify(filter), filter);
  }
  // In one order whatever the followers' order, so the same union is seen as unchanged.
  return { whitelist: [...whitelist.keys()].sort().map((key) => whitelist.get(key)!), blacklist: [] };
}

/** How long a replaced subscription waits before asking again whether its replacement is in effect. */
const RETIRE_RETRY_MS = 1_000;

interface HubSubscription {
  /** The union's filters as JSON (compared to tell whether they changed). */
  filters: string;
  unsubscribe: () => void;
}

/** Fans committed flows out to the followers, each flow once. */
export class LiveHub {
  private readonly followers = new Set<LiveFollower>();
  private readonly recent: RecentKeys;
  private subscription: HubSubscription | undefined;
  /** Replaced subscriptions kept until their replacement is in effect. */
  private readonly retiring = new Set<HubSubscription>();

  constructor(private readonly live: LiveFlows, recentKeys: number) {
    this.recent = new RecentKeys(Math.max(1, recentKeys));
  }

  add(follower: LiveFollower): void {
    this.followers.add(follower);
    this.resubscribe();
  }

  remove(follower: LiveFollower): void {
    this.followers.delete(follower);
    this.resubscribe();
  }

  /**
   * Subscribes with the followers' filters together when they changed. The old subscription ends
   * only once the new one is in effect (retire), so no flow falls between them; a flow both pass on
   * is passed on once. A replaced subscription with the filters wanted again is taken back.
   */
  private resubscribe(): void {
    const previous = this.subscription;
    if (this.followers.size === 0) {
      // Nobody left to miss a flow: everything ends now.
      this.subscription = undefined;
      previous?.unsubscribe();
      for (const sub of this.retiring) sub.unsubscribe();
      this.retiring.clear();
      return;
    }
    const union = filterUnion([...this.followers].map((f) => f.filters));
    const filters = JSON.stringify(union ?? null);
    if (previous?.filters === filters) return;
    const again = [...this.retiring].find((sub) => sub.filters === filters);
    if (again) this.retiring.delete(again);
    this.subscription = again ?? {
      filters, unsubscribe: this.live.subscribeFlows((batch) => this.publish(batch), union ? { filters: union } : {}),
    };
    if (previous) {
      this.retiring.add(previous);
      this.retire(previous);
    }
  }

  /**
   * Ends a replaced subscription once every subscription is in effect and what arrived before is
   * committed: until then flows taken for it alone (claimed as they arrived, passed on at commit,
   * or already on their way from the collector thread) still reach the followers. When that could
   * not be made sure of (a database not committing), it is kept and asked about again.
   */
  private retire(sub: HubSubscription): void {
    if (!this.retiring.has(sub)) return;
    const end = () => {
      if (this.retiring.delete(sub)) sub.unsubscribe();
    };
    const inEffect = this.live.subscriptionsInEffect?.();
    if (!inEffect) return end();
    void inEffect.catch(() => false).then((ok) => {
      if (ok) end();
      else setTimeout(() => this.retire(sub), RETIRE_RETRY_MS).unref();
    });
  }

  /** Ends every follow stream (shutdown). */
  endAll(): void {
    for (const follower of this.followers) follower.end();
  }

  private publish(batch: readonly FlowsResponse[]): void {
    // Runs inside the collector's write callback: a failure here must not reach it.
    try {
      for (const response of batch) {
        const flow = response.flow;
        const ts = flow?.time === undefined ? undefined : parseTimestamp(flow.time);
        if (!flow || !ts) continue;
        const flowKey = keyOfFlow(flow);
        if (!this.recent.add(flowKey)) continue;
        const entry: LiveFlow = { response, ts, flowKey };
        for (const follower of this.followers) follower.offer(entry);
      }
    } catch (err) {
      log.error({ err }, 'live flows not passed on to followers');
    }
  }
}

export interface LiveFollowerOptions {
  plan: Pick<HistoryPlan, 'match' | 'filters' | 'since' | 'until'>;
  /** Flows queued at most before the follower loses flows. */
  limit: number;
  /** The `lost_events` response for `count` lost flows. */
  lostEvent: (count: number) => FlowsResponse;
}

/** One follow stream's queue of live flows. */
export class LiveFollower {
  private queue: LiveFlow[] = [];
  private head = 0;
  private lost = 0;
  private dropped = false;
  private pastUntil = false;
  private watermark: Watermark | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: LiveFollowerOptions) {}

  /** The filters of the follow request (what the hub subscribes with). */
  get filters(): FlowFilterSet {
    return this.opts.plan.filters;
  }

  offer(flow: LiveFlow): void {
    if (this.ended) return;
    const { plan } = this.opts;
    if (plan.until && compareTimestamps(flow.ts, plan.until) > 0) {
      this.pastUntil = true;
      if (this.watermark) this.end();
      return;
    }
    if (!inRange(plan, flow.ts) || !plan.match(flow.response.flow ?? {})) return;
    if (this.watermark?.covers(flow)) return;
    if (this.queue.length - this.head >= this.opts.limit) {
      if (this.watermark) this.lost++;
      else this.dropAll();
      return;
    }
    this.flushLost();
    this.queue.push(flow);
    this.wake?.();
  }

  /** True once after queued flows were dropped before the live part began: the scan must read on. */
  takeDropped(): boolean {
    const dropped = this.dropped;
    this.dropped = false;
    return dropped;
  }

  /** The stored part is sent: from now on, flows it covered are dropped. */
  startLive(watermark: Watermark): void {
    this.watermark = watermark;
    this.queue = this.queue.slice(this.head).filter((flow) => !watermark.covers(flow));
    this.head = 0;
    if (this.pastUntil) this.ended = true;
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<FlowsResponse> {
    while (!signal.aborted) {
      if (this.head === this.queue.length && this.lost > 0) {
        yield this.opts.lostEvent(this.lost);
        this.lost = 0;
      } else if (this.head < this.queue.length) {
        const next = this.queue[this.head++];
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        yield next.response;
      } else if (this.ended) return;
      else await this.sleep(signal);
    }
  }

  private dropAll(): void {
    this.queue = [];
    this.head = 0;
    this.dropped = true;
  }

  /** Lost flows are reported where they were lost: before the next flow queued. */
  private flushLost(): void {
    if (this.lost === 0) return;
    this.queue.push({ response: this.opts.lostEvent(this.lost), ts: { seconds: 0, nanos: 0 }, flowKey: '' });
    this.lost = 0;
  }

  private sleep(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
