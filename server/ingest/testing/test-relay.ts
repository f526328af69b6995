/**
 * The demo cluster assembled for ingest tests, with the knobs startDemoCluster keeps at Hubble's
 * defaults: ring buffer size (to make a relay forget history quickly) and how far a follower may
 * fall behind before the relay drops flows for it. Same traffic, same observer, same gRPC server.
 */
import { startObserverServer } from '../../hubble/observer-server';
import { createDemoObserver } from '../../demo/demo-observer';
import { createDemoTraffic, type DemoTraffic } from '../../demo/traffic';

export interface TestRelayOptions {
  /** `host:port`; port 0 picks a free one. Restart a relay by starting another on its address. */
  listen: string;
  seed: number;
  rateFlowsPerS: number;
  /** Per node (Hubble's default 4,095). */
  bufferCapacity?: number;
  /** Flows a follower may lag behind before it gets lost_events instead (demo default 10,000). */
  maxPendingPerFollower?: number;
  /** History in the buffers at start. */
  backfillMs?: number;
}

export interface TestRelay {
  address: string;
  /** The deterministic traffic this relay (and any restart with the same seed and rate) serves. */
  source: DemoTraffic;
  stop(): Promise<void>;
}

export async function startTestRelay(opts: TestRelayOptions): Promise<TestRelay> {
  const source = createDemoTraffic({ seed: opts.seed, rateFlowsPerS: opts.rateFlowsPerS, defaultTimeline: true });
  const observer = createDemoObserver({
    source,
    bufferCapacity: opts.bufferCapacity,
    maxPendingPerFollower: opts.maxPendingPerFollower,
    backfillMs: opts.backfillMs ?? 0,
  });
  observer.tick();
  observer.start();
  try {
    const server = await startObserverServer({ backend: observer, listen: opts.listen, shutdownGraceMs: 200 });
    return {
      address: server.address,
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
