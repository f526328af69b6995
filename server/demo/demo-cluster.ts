/**
 * The simulated cluster as one running thing: deterministic traffic (or a replayed capture) fed
 * into per-node ring buffers and served as a Hubble Relay over real gRPC.
 */
import { startObserverServer } from '../hubble/observer-server';
import { createDemoObserver } from './demo-observer';
import { DEFAULT_RING_CAPACITY } from './ring-buffer';
import { loadReplaySource } from './replay-source';
import { createDemoTraffic } from './traffic';
import type { IncidentWindow } from './incidents';
import type { TrafficSource } from './traffic-source';

export interface DemoClusterOptions {
  /** `host:port`; port 0 picks a free one. */
  listen: string;
  seed: number;
  rateFlowsPerS: number;
  /** A `hubble observe -o jsonpb` file to play instead of generated traffic. */
  replayFile?: string;
  /** Traffic to serve instead of the seeded default cluster's (a cluster of a mesh: demo-mesh.ts). */
  source?: TrafficSource;
  /** Playback speed of the replay (1 = as recorded). */
  replaySpeed?: number;
  /** Incidents to run at explicit times. */
  incidents?: IncidentWindow[];
  /** Whether the 20-minute incident timeline runs too (default true). */
  defaultTimeline?: boolean;
  /** How much history the ring buffers hold at start, so `--last N` has answers at once. */
  backfillMs?: number;
  /** Per-node ring buffer size (Hubble's default 4,095); tests shrink it to make history expire. */
  bufferCapacity?: number;
  /** How far a follower may fall behind before it gets lost_events instead of flows. */
  maxPendingPerFollower?: number;
  /** How long stop() lets open streams finish. */
  shutdownGraceMs?: number;
}

export interface DemoCluster {
  /** `host:port` actually bound. */
  address: string;
  source: TrafficSource;
  stop(): Promise<void>;
}

const DEFAULT_BACKFILL_MS = 60_000;

export async function startDemoCluster(opts: DemoClusterOptions): Promise<DemoCluster> {
  const source = opts.source ?? (opts.replayFile
    ? loadReplaySource(opts.replayFile, { speed: opts.replaySpeed })
    : createDemoTraffic({ seed: opts.seed, rateFlowsPerS: opts.rateFlowsPerS, incidents: opts.incidents, defaultTimeline: opts.defaultTimeline ?? true }));
  // Never generate more history than the ring buffers can hold: at high rates that is under a second.
  const capacity = opts.bufferCapacity ?? DEFAULT_RING_CAPACITY;
  const bufferFullMs = Math.ceil(((capacity * source.nodes.length) / opts.rateFlowsPerS) * 1000);
  const backfillMs = Math.min(opts.backfillMs ?? DEFAULT_BACKFILL_MS, bufferFullMs);
  const observer = createDemoObserver({
    source, backfillMs, bufferCapacity: capacity, maxPendingPerFollower: opts.maxPendingPerFollower,
  });
  // Fill the buffers with their history before the first client can ask.
  observer.tick();
  observer.start();
  try {
    const server = await startObserverServer({ backend: observer, listen: opts.listen, shutdownGraceMs: opts.shutdownGraceMs });
    const host = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
    return {
      address: `${host}:${server.port}`,
      source,
      async stop() {
        observer.stop();
        await server.stop();
      },
    };
  } catch (err) {
    observer.stop();
    throw err;
  }
}
