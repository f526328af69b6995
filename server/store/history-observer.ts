/**
 * Hubble's Observer API answered from the store, so the real `hubble observe --server <dashboard>
 * --since 48h --verdict DROPPED` reads last week's flows. GetFlows selects like an agent
 * (history-plan.ts), streams the stored jsonpb lines in keyset pages (history-rows.ts) and, with
 * follow, goes on with flows as the collector commits them (history-live.ts). The other calls are
 * answered from cheap queries over stored data (history-status.ts).
 *
 * Like a relay, an answer begins with a node_status NODE_CONNECTED naming the nodes of the newest
 * stored flows; the other responses are the stored ones, exactly as the relay sent them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery, ObserverBackend, ObserverNamespace, ObserverNode, ServerStatus } from '../../lib/flow/observer';
import { formatTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import { projectRoot } from '../project-root';
import type { Queryable } from './db';
import { planHistory, type HistoryPlan } from './history-plan';
import { LiveFollower, LiveHub, Watermark, type LiveFlows } from './history-live';
import { storedFlows } from './history-rows';
import { recentNodes, storedNamespaces, storedNodes, storedServerStatus } from './history-status';

export type { LiveFlows } from './history-live';

export interface HistoryObserverOptions {
  db: Queryable;
  /** Committed flows, for follow; without it a follow answer ends after the stored part. */
  live?: LiveFlows;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  /** ServerStatus `version`; `hubble-dashboard/<package version>` by default. */
  version?: string;
  /** `node_name` of this server's own responses (node status, lost events). */
  nodeName?: string;
  /** Rows per keyset page (default 2,000). */
  pageSize?: number;
  /** Live flows a follower may have queued before it loses flows (default 10,000). */
  maxPendingPerFollower?: number;
  /** Keys of recently passed-on live flows remembered to drop repeats (default 100,000). */
  recentLiveKeys?: number;
}

const DEFAULT_NODE_NAME = 'hubble-dashboard';

/** `hubble-dashboard/<version in package.json>`. */
export function dashboardVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string };
    return `hubble-dashboard/${pkg.version ?? 'unknown'}`;
  } catch {
    return 'hubble-dashboard/unknown';
  }
}

/** An ObserverBackend over the store, for server/hubble's startObserverServer. */
export function createHistoryObserver(options: HistoryObserverOptions): ObserverBackend {
  return new HistoryObserver(options);
}

class HistoryObserver implements ObserverBackend {
  private readonly db: Queryable;
  private readonly clock: () => number;
  private readonly version: string;
  private readonly nodeName: string;
  private readonly pageSize: number;
  private readonly hub: LiveHub | undefined;

  constructor(private readonly options: HistoryObserverOptions) {
    this.db = options.db;
    this.clock = options.clock ?? Date.now;
    this.version = options.version ?? dashboardVersion();
    this.nodeName = options.nodeName ?? DEFAULT_NODE_NAME;
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 2_000));
    this.hub = options.live && new LiveHub(options.live, options.recentLiveKeys ?? 100_000);
  }

  async *getFlows(query: FlowsQuery, signal: AbortSignal): AsyncGenerator<FlowsResponse> {
    const plan = planHistory(query);
    // Subscribed before the stored part is read, so no flow committed meanwhile falls between them.
    const follower = plan.follow ? this.follow(plan) : undefined;
    try {
      if (follower) await this.options.live?.subscriptionsInEffect?.();
      const nodes = await recentNodes(this.db);
      if (nodes.length > 0) yield this.nodeStatus(nodes.map((n) => n.name));
      const watermark = new Watermark();
      const rows = storedFlows(this.db, plan, { pageSize: this.pageSize, signal, readAgain: () => follower?.takeDropped() ?? false });
      for await (const row of rows) {
        watermark.note(row.ts, row.flowKey);
        yield row.response;
      }
      if (!follower || signal.aborted) return;
      // A range that ended before now is complete once stored; later flows cannot fall in it.
      if (plan.until && plan.until.seconds * 1000 < this.clock()) return;
      if (plan.mode !== 'live') follower.startLive(watermark);
      yield* follower.drain(signal);
    } finally {
      if (follower) this.hub?.remove(follower);
    }
  }

  serverStatus(): Promise<ServerStatus> {
    return storedServerStatus(this.db, { nowMs: this.clock(), uptimeNs: processUptimeNs(), version: this.version });
  }

  getNodes(): Promise<ObserverNode[]> {
    return storedNodes(this.db, this.clock());
  }

  getNamespaces(): Promise<ObserverNamespace[]> {
    return storedNamespaces(this.db);
  }

  private follow(plan: HistoryPlan): LiveFollower | undefined {
    if (!this.hub) return undefined;
    const follower = new LiveFollower({
      plan,
      limit: Math.max(1, this.options.maxPendingPerFollower ?? 10_000),
      lostEvent: (count) => ({
        lost_events: { source: 'OBSERVER_EVENTS_QUEUE', num_events_lost: String(count) },
        node_name: this.nodeName,
        time: this.now(),
      }),
    });
    this.hub.add(follower);
    // Nothing stored to wait for: flows are live from the start, and a full queue loses them.
    if (plan.mode === 'live') follower.startLive(new Watermark());
    return follower;
  }

  private nodeStatus(names: string[]): FlowsResponse {
    return { node_status: { state_change: 'NODE_CONNECTED', node_names: names }, node_name: this.nodeName, time: this.now() };
  }

  private now(): string {
    return formatTimestamp(timestampFromMs(this.clock()));
  }
}

function processUptimeNs(): string {
  return String(BigInt(Math.round(process.uptime() * 1000)) * 1_000_000n);
}
