/**
 * The demo cluster assembled for ingest tests, with the knobs startDemoCluster keeps at Hubble's
 * defaults: ring buffer size (to make a relay forget history quickly) and how far a follower may
 * fall behind before the relay drops flows for it. Same traffic, same observer, same gRPC server.
 */
import { startDemoCluster, type DemoCluster } from '../../demo/demo-cluster';

export interface TestRelayOptions {
  /** `host:port`; port 0 picks a free one. Restart a relay by starting another on its address. */
  listen: string;
  seed: number;
  rateFlowsPerS: number;
  /** Per node (Hubble's default 4,095). */
  bufferCapacity?: number;
  /** Flows a follower may lag behind before it gets lost_events instead (demo default 10,000). */
  maxPendingPerFollower?: number;
  /** History in the buffers at start (none unless asked). */
  backfillMs?: number;
}

export type TestRelay = DemoCluster;

export function startTestRelay(opts: TestRelayOptions): Promise<TestRelay> {
  return startDemoCluster({ ...opts, backfillMs: opts.backfillMs ?? 0, shutdownGraceMs: 200 });
}
