/**
 * ServerStatus every few seconds: node counts for the status page, and a relay_status row so the
 * history shows how full the relay's buffers were and when it could not be reached.
 */
import type { ServerStatus } from '../../lib/flow/observer';
import type { RelayClient } from '../hubble/relay-client';
import type { Logger } from '../log/logger';
import type { Db } from '../store/db';
import { recordRelayStatus, type RelayStatusSample } from '../store/ingest-records';
import type { IngestStats } from './ingest-stats';

export interface RelaySamplerOptions {
  client: RelayClient;
  relay: string;
  stats: IngestStats;
  db?: Db;
  everyMs: number;
  clock: () => number;
  log: Pick<Logger, 'debug'>;
}

export interface RelaySampler {
  /** Samples now unless a sample is already being taken. */
  sampleNow(): void;
  /** Stops the timer; waits briefly for a sample in progress (a hung ServerStatus is not awaited). */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 2_000;

function count(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function sampleOf(relay: string, timeMs: number, status: ServerStatus | undefined): RelayStatusSample {
  if (!status) return { time: timeMs, relay, connected: false };
  return {
    time: timeMs, relay, connected: true,
    numFlows: count(status.num_flows), maxFlows: count(status.max_flows), seenFlows: count(status.seen_flows),
    connectedNodes: status.num_connected_nodes ?? 0, unavailableNodes: status.num_unavailable_nodes ?? 0,
    flowsRate: status.flows_rate,
  };
}

export function startRelaySampler(opts: RelaySamplerOptions): RelaySampler {
  let running: Promise<void> | undefined;
  let stopped = false;

  async function sample(): Promise<void> {
    let status: ServerStatus | undefined;
    try {
      status = await opts.client.serverStatus();
      opts.stats.setNodeCounts(status.num_connected_nodes ?? 0, status.num_unavailable_nodes ?? 0);
    } catch {
      // The stream's own error handling reports an unreachable relay; the sample records it.
    }
    if (!opts.db || stopped) return;
    try {
      await recordRelayStatus(opts.db, sampleOf(opts.relay, opts.clock(), status));
    } catch (err) {
      // A sample is a nice-to-have; flows are what is retried until stored.
      opts.log.debug({ err }, 'relay status sample not stored');
    }
  }

  const sampleNow = () => {
    if (running || stopped) return;
    running = sample().finally(() => { running = undefined; });
  };
  const timer = setInterval(sampleNow, opts.everyMs);
  timer.unref?.();

  return {
    sampleNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      let timeout: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([running, new Promise((resolve) => { timeout = setTimeout(resolve, STOP_WAIT_MS); })]);
      clearTimeout(timeout);
    },
  };
}
