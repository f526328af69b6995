/**
 * One collector per relay, each with its cluster: its own stream, resume point, reconnection and
 * backoff, gaps, relay status samples, node events and ingest stats (all under its relay key),
 * its own write pipeline into the shared database (the writers give concurrent batches the same
 * lock order), and one combined status on the live bus (relay-status-board.ts).
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import type { RelayClient } from '../hubble/relay-client';
import { liveBus } from '../live/live-bus';
import { logger } from '../log/logger';
import { clusterOfNodeName } from './cluster-fill';
import { startCollector, type Collector, type CollectorOptions } from './collector';
import { RelayStatusBoard } from './relay-status-board';

export interface FollowedRelay {
  /** The cluster its flows are from; flows that name none are filled with it. */
  cluster: string;
  /** Its name in collector_state, gaps, relay status and node events (relay-targets.ts relayKey). */
  key: string;
  client: RelayClient;
  /** A cluster of the built-in demo. */
  demo: boolean;
}

type SharedOptions = Omit<CollectorOptions, 'client' | 'relayLabel' | 'demo' | 'relayKey' | 'cluster' | 'publishStatus'>;

export interface RelayCollectorsOptions extends SharedOptions {
  relays: readonly FollowedRelay[];
  /** Where the combined status goes (default: the live bus). */
  publishStatus?: (status: IngestStatus) => void;
}

export interface RelayCollectors {
  /** Stops every collector (each writes what it received), then closes the relay clients. */
  stop(): Promise<void>;
}

const log = logger('collector');

/**
 * Warns once when a relay's flows say they come from another cluster than the one configured
 * for it (their node names' `cluster/` prefix): they are stored under the cluster they name, while
 * resume, gaps and status use the configured one, which is confusing at the worst moment.
 */
function warnOnClusterMismatch(relay: FollowedRelay): (response: FlowsResponse) => void {
  let warned = false;
  return (response) => {
    if (warned) return;
    const named = clusterOfNodeName(response.flow?.node_name);
    if (!named || named === relay.cluster) return;
    warned = true;
    log.warn({ relay: relay.client.name, cluster: relay.cluster, flowCluster: named, node: response.flow?.node_name },
      `relay ${relay.client.name} sends flows of cluster ${named}, but it is configured as cluster ${relay.cluster}: its flows are stored under ${named}; name it ${named}=${relay.client.name} in HUBBLE_RELAY_ADDR (or set HUBBLE_CLUSTER_NAME=${named}) so that both agree`);
  };
}

export function startRelayCollectors(opts: RelayCollectorsOptions): RelayCollectors {
  const { relays, publishStatus, ...shared } = opts;
  const board = new RelayStatusBoard(relays.map((r) => ({ cluster: r.cluster, relay: r.key })), publishStatus ?? ((s) => liveBus().publishStatus(s)));
  const collectors: Collector[] = relays.map((r) => {
    const check = warnOnClusterMismatch(r);
    return startCollector({
      ...shared, client: r.client, relayLabel: r.client.name, demo: r.demo, relayKey: r.key, cluster: r.cluster,
      publishStatus: board.reporter({ cluster: r.cluster, relay: r.key }),
      onResponse: (response) => {
        check(response);
        shared.onResponse?.(response);
      },
    });
  });
  return {
    async stop() {
      await Promise.all(collectors.map((c) => c.stop()));
      for (const r of relays) r.client.close();
    },
  };
}
