/**
 * The simulated Hubble Relay: one ring buffer per node, fed by a TrafficSource on a ticker, served
 * with the agent's GetFlows rules (pkg/hubble/observer/local_observer.go) and the relay's merge
 * (pkg/hubble/relay/observer). Everything is a function of the source and the clock.
 */
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { compileFilters } from '../../lib/filter/match';
import { compareTimestamps, formatTimestamp, parseTimestamp, timestampFromMs, timestampToMs, type Timestamp } from '../../lib/time/timestamp';
import { InvalidQueryError, type FlowsQuery, type ObserverBackend, type ObserverNamespace, type ObserverNode, type ServerStatus } from '../../lib/flow/observer';
import { logger } from '../log/logger';
import { RingBuffer, DEFAULT_RING_CAPACITY } from './ring-buffer';
import type { DemoNode, TrafficSource } from './traffic-source';

export interface DemoObserverOptions {
  source: TrafficSource;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  /** Per-node buffer size (Hubble's default 4,095). */
  bufferCapacity?: number;
  tickMs?: number;
  /** Flows from this far before creation are in the buffers from the start (default 0: empty). */
  backfillMs?: number;
  /** A follower further behind than this loses flows and is told so with `lost_events`. */
  maxPendingPerFollower?: number;
  version?: string;
  /** `node_name` of the relay's own responses (node status). */
  relayNodeName?: string;
  /**
   * `global` (default): `number` bounds the merged result, as `hubble observe --last N` promises.
   * `per-node`: each node contributes up to `number`, as a real relay forwarding the request does.
   */
  numberScope?: 'global' | 'per-node';
}

export type DemoObserver = ObserverBackend & {
  start(): void;
  /** Stops the ticker and ends every follow stream. */
  stop(): void;
  /** Pulls flows from the source up to the clock's now (the ticker calls it; tests call it directly). */
  tick(): void;
};

/** A flow as a node's buffer holds it: the response to send, its parsed time and node. */
interface BufferedFlow { response: FlowsResponse; ts: Timestamp; node: string }

type LiveVerdict = 'take' | 'skip' | 'end';

interface NodeState { node: DemoNode; buffer: RingBuffer<BufferedFlow> }

interface Plan {
  number: number;
  first: boolean;
  follow: boolean;
  since?: Timestamp;
  until?: Timestamp;
  match: (flow: Flow) => boolean;
}

const log = logger('demo-observer');
const RATE_WINDOW_MS = 60_000;

/** Creates the simulated relay; call start() to run its ticker. */
export function createDemoObserver(options: DemoObserverOptions): DemoObserver {
  return new DemoRelay(options);
}

class DemoRelay implements DemoObserver {
  private readonly source: TrafficSource;
  private readonly clock: () => number;
  private readonly capacity: number;
  private readonly version: string;
  private readonly relayNodeName: string;
  private readonly nodes = new Map<string, NodeState>();
  private readonly followers = new Set<Follower>();
  private readonly startedAtMs: number;
  private lastMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: DemoObserverOptions) {
    this.source = options.source;
    this.clock = options.clock ?? Date.now;
    this.capacity = options.bufferCapacity ?? DEFAULT_RING_CAPACITY;
    this.version = options.version ?? '1.17.0-demo';
    this.relayNodeName = options.relayNodeName ?? `${this.source.clusterName}/hubble-relay`;
    for (const node of this.source.nodes) this.nodes.set(node.name, { node, buffer: new RingBuffer(this.capacity) });
    this.startedAtMs = this.clock();
    this.lastMs = this.startedAtMs - (options.backfillMs ?? 0);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 100);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const follower of this.followers) follower.end();
  }

  tick(): void {
    const nowMs = this.clock();
    if (nowMs <= this.lastMs) return;
    const fromMs = this.lastMs;
    this.lastMs = nowMs;
    let flows: Flow[];
    try {
      flows = this.source.flowsBetween(fromMs, nowMs);
    } catch (err) {
      log.error({ err, fromMs, toMs: nowMs }, 'traffic source failed; skipping this window');
      return;
    }
    for (const flow of flows) this.ingest(flow, nowMs);
  }

  async *getFlows(query: FlowsQuery, signal: AbortSignal): AsyncGenerator<FlowsResponse> {
    const p = plan(query);
    // Backlog and subscription are taken in the same synchronous step, so no flow falls between them.
    const past = this.backlog(p);
    const follower = p.follow ? new Follower(this.options.maxPendingPerFollower ?? 10_000, liveVerdict(p), () => this.nowString()) : undefined;
    if (follower) this.followers.add(follower);
    try {
      if (this.nodes.size > 0) yield this.nodeStatus();
      for (const e of past) {
        if (signal.aborted) return;
        yield e.response;
      }
      if (follower) yield* follower.drain(signal);
    } finally {
      if (follower) this.followers.delete(follower);
    }
  }

  async serverStatus(): Promise<ServerStatus> {
    const states = [...this.nodes.values()];
    const sum = (f: (s: NodeState) => number) => states.reduce((acc, s) => acc + f(s), 0);
    const nowMs = this.clock();
    return {
      num_flows: String(sum((s) => s.buffer.size)),
      max_flows: String(sum((s) => s.buffer.capacity)),
      seen_flows: String(sum((s) => s.buffer.totalWritten)),
      uptime_ns: this.uptimeNs(),
      num_connected_nodes: states.length,
      num_unavailable_nodes: 0,
      version: this.version,
      flows_rate: sum((s) => flowsRate(s.buffer, nowMs)),
    };
  }

  async getNodes(): Promise<ObserverNode[]> {
    return [...this.nodes.values()].map(({ node, buffer }) => ({
      name: node.name,
      version: this.version,
      address: withHubblePort(node.address),
      state: 'NODE_CONNECTED',
      tls: { enabled: false },
      uptime_ns: this.uptimeNs(),
      num_flows: String(buffer.size),
      max_flows: String(buffer.capacity),
      seen_flows: String(buffer.totalWritten),
    }));
  }

  async getNamespaces(): Promise<ObserverNamespace[]> {
    const seen = new Map<string, ObserverNamespace>();
    for (const { node, buffer } of this.nodes.values()) {
      // An agent reports namespaces under its own cluster name, whatever cluster the endpoint is in.
      const slash = node.name.indexOf('/');
      const cluster = slash > 0 ? node.name.slice(0, slash) : this.source.clusterName;
      for (const { response } of buffer) {
        for (const ep of [response.flow?.source, response.flow?.destination]) {
          if (ep?.namespace) seen.set(`${cluster}\u0000${ep.namespace}`, { cluster, namespace: ep.namespace });
        }
      }
    }
    return [...seen.values()].sort((a, b) => cmp(a.cluster, b.cluster) || cmp(a.namespace, b.namespace));
  }

  private ingest(flow: Flow, nowMs: number): void {
    const nodeName = flow.node_name ?? this.source.nodes[0]?.name ?? `${this.source.clusterName}/unknown`;
    const ts = (flow.time !== undefined ? parseTimestamp(flow.time) : undefined) ?? timestampFromMs(nowMs);
    const response: FlowsResponse = { flow, node_name: nodeName, time: flow.time ?? formatTimestamp(ts) };
    const entry: BufferedFlow = { response, ts, node: nodeName };
    this.nodeFor(nodeName).buffer.push(entry);
    for (const follower of this.followers) follower.offer(entry);
  }

  private nodeFor(name: string): NodeState {
    let state = this.nodes.get(name);
    if (!state) {
      log.warn({ node: name }, 'flow from a node the source did not list; adding it');
      state = { node: { name, address: '' }, buffer: new RingBuffer(this.capacity) };
      this.nodes.set(name, state);
    }
    return state;
  }

  private backlog(p: Plan): BufferedFlow[] {
    // A follow without number or since starts at the write head: live flows only.
    if (p.follow && p.number === 0 && !p.since) return [];
    const perNode = [...this.nodes.values()].map(({ buffer }) => {
      const selected: BufferedFlow[] = [];
      for (const e of buffer) if (inRange(p, e.ts) && e.response.flow && p.match(e.response.flow)) selected.push(e);
      return limit(p, selected);
    });
    // Stable sort: ties keep node order, so the merge is deterministic.
    const merged = perNode.flat().sort((a, b) => compareTimestamps(a.ts, b.ts));
    return this.options.numberScope === 'per-node' ? merged : limit(p, merged);
  }

  private nodeStatus(): FlowsResponse {
    return {
      node_status: { state_change: 'NODE_CONNECTED', node_names: [...this.nodes.keys()] },
      node_name: this.relayNodeName,
      time: this.nowString(),
    };
  }

  private nowString(): string {
    return formatTimestamp(timestampFromMs(this.clock()));
  }

  private uptimeNs(): string {
    return String(BigInt(Math.max(0, Math.round(this.clock() - this.startedAtMs))) * 1_000_000n);
  }
}

function plan(query: FlowsQuery): Plan {
  if (query.first && query.follow) throw new InvalidQueryError('first cannot be specified with follow');
  const number = Math.min(Math.max(0, Math.floor(query.number ?? 0)), Number.MAX_SAFE_INTEGER);
  if (!Number.isFinite(number)) throw new InvalidQueryError(`invalid number ${query.number}`);
  const match = compileFilters({ whitelist: query.whitelist ?? [], blacklist: query.blacklist ?? [] });
  return {
    number, first: !!query.first, follow: !!query.follow, match,
    since: parseBound('since', query.since), until: parseBound('until', query.until),
  };
}

function inRange(p: Plan, ts: Timestamp): boolean {
  return (!p.since || compareTimestamps(ts, p.since) >= 0) && (!p.until || compareTimestamps(ts, p.until) <= 0);
}

/** The agent's rules: since wins over number (earliest N after it); first = earliest N; else latest N. */
function limit(p: Plan, list: BufferedFlow[]): BufferedFlow[] {
  if (p.number === 0 || list.length <= p.number || (p.follow && p.since)) return list;
  return p.first || p.since ? list.slice(0, p.number) : list.slice(list.length - p.number);
}

function liveVerdict(p: Plan): (e: BufferedFlow) => LiveVerdict {
  return (e) => {
    if (p.until && compareTimestamps(e.ts, p.until) > 0) return 'end';
    if (!inRange(p, e.ts) || !e.response.flow || !p.match(e.response.flow)) return 'skip';
    return 'take';
  };
}

/** Like the agent's getFlowRate: flows in the last minute, or over the buffer's span once it wrapped. */
function flowsRate(buffer: RingBuffer<BufferedFlow>, nowMs: number): number {
  let count = 0;
  let windowStartMs = nowMs - RATE_WINDOW_MS;
  let oldestSeenMs: number | undefined;
  for (const e of buffer.reversed()) {
    const ms = timestampToMs(e.ts);
    if (ms < windowStartMs) return count / (RATE_WINDOW_MS / 1000);
    oldestSeenMs = ms;
    count++;
  }
  if (buffer.totalWritten > buffer.capacity && oldestSeenMs !== undefined) windowStartMs = oldestSeenMs;
  const spanS = (nowMs - windowStartMs) / 1000;
  return spanS > 0 ? count / spanS : 0;
}

function parseBound(name: string, value: string | undefined): Timestamp | undefined {
  if (value === undefined) return undefined;
  const ts = parseTimestamp(value);
  if (!ts) throw new InvalidQueryError(`${name}: not an RFC 3339 timestamp: ${JSON.stringify(value)}`);
  return ts;
}

/** Relay reports peers as `ip:4244`, the agent's Hubble port. */
function withHubblePort(address: string): string {
  if (!address || /^\[.*\]:\d+$/.test(address) || /^[^:]+:\d+$/.test(address)) return address;
  return address.includes(':') ? `[${address}]:4244` : `${address}:4244`;
}

function cmp(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One follow stream's queue of live flows. A consumer that falls `limit` flows behind loses the
 * newest ones, counted per node, and gets one `lost_events` per node in their place — the way a
 * Hubble ring reader overtaken by the writer reports HUBBLE_RING_BUFFER losses.
 */
class Follower {
  private queue: FlowsResponse[] = [];
  private head = 0;
  private lost = new Map<string, number>();
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly limit: number,
    private readonly verdict: (e: BufferedFlow) => LiveVerdict,
    private readonly now: () => string,
  ) {}

  offer(e: BufferedFlow): void {
    if (this.ended) return;
    const verdict = this.verdict(e);
    if (verdict === 'skip') return;
    if (verdict === 'end') this.ended = true;
    else if (this.queue.length - this.head >= this.limit) this.lost.set(e.node, (this.lost.get(e.node) ?? 0) + 1);
    else {
      this.flushLost();
      this.queue.push(e.response);
    }
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<FlowsResponse> {
    while (!signal.aborted) {
      if (this.head === this.queue.length) this.flushLost();
      if (this.head < this.queue.length) {
        const next = this.queue[this.head++];
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        yield next;
      } else if (this.ended) return;
      else await this.sleep(signal);
    }
  }

  private flushLost(): void {
    for (const [node, count] of this.lost) {
      this.queue.push({
        lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: String(count) },
        node_name: node,
        time: this.now(),
      });
    }
    this.lost.clear();
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
