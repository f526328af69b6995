/**
 * The collector: follows one relay's GetFlows stream and reports what it sees on the live bus.
 * Reconnection, backoff and error wording live in the relay client's follower.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { RelayClient } from '../hubble/relay-client';
import { followRelay } from '../hubble/follow-relay';
import { liveBus } from '../live/live-bus';
import { logger } from '../log/logger';
import { IngestStats } from './ingest-stats';

const log = logger('collector');
const STATUS_EVERY_MS = 1_000;
const SERVER_STATUS_EVERY_MS = 5_000;

export interface CollectorOptions {
  client: RelayClient;
  /** Shown to users: the relay address, or a note that it is the built-in demo cluster. */
  relayLabel: string;
  demo: boolean;
  clock?: () => number;
  /** Called for every response, after it is counted. */
  onResponse?: (response: FlowsResponse) => void;
}

export interface Collector {
  stop(): Promise<void>;
}

/** Starts following the relay; returns a handle whose stop() ends the stream. */
export function startCollector(opts: CollectorOptions): Collector {
  const clock = opts.clock ?? Date.now;
  const stats = new IngestStats(opts.relayLabel, opts.demo, clock);
  const abort = new AbortController();
  const bus = liveBus();

  const publish = setInterval(() => bus.publishStatus(stats.snapshot()), STATUS_EVERY_MS);
  const poll = setInterval(() => void pollServerStatus(opts.client, stats), SERVER_STATUS_EVERY_MS);
  bus.publishStatus(stats.snapshot());

  const following = followRelay({
    client: opts.client,
    query: () => ({ follow: true }),
    signal: abort.signal,
    onState: ({ state, lastError }) => {
      stats.setState(state, lastError);
      bus.publishStatus(stats.snapshot());
      if (state === 'connected') void pollServerStatus(opts.client, stats);
    },
    onResponse: (response) => {
      stats.record(response);
      opts.onResponse?.(response);
    },
  });
  log.info({ relay: opts.relayLabel }, 'collector started');

  return {
    async stop() {
      clearInterval(publish);
      clearInterval(poll);
      abort.abort();
      await following.catch(() => undefined);
      stats.setState('stopped');
      bus.publishStatus(stats.snapshot());
      log.info('collector stopped');
    },
  };
}

async function pollServerStatus(client: RelayClient, stats: IngestStats): Promise<void> {
  try {
    const status = await client.serverStatus();
    stats.setNodeCounts(status.num_connected_nodes ?? 0, status.num_unavailable_nodes ?? 0);
  } catch {
    // The stream's own error handling reports an unreachable relay; a failed poll adds nothing.
  }
}
