/**
 * What the collector reports about itself: relay connection and flow counts. One shape for the
 * server that produces it, the API that serves it and the page that shows it.
 */

/** Connection state of one relay subscription. */
export type RelayState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface IngestStatus {
  /** The relay address followed (for the built-in demo cluster, its loopback address). */
  relayAddr: string;
  demo: boolean;
  state: RelayState;
  /** Why the last attempt failed, in one line; absent when connected. */
  lastError?: string;
  /** Epoch ms of the last state change. */
  sinceMs: number;
  flowsReceived: number;
  /** Flows per second over the last few seconds. */
  flowsPerS: number;
  lostEvents: number;
  nodesConnected: number;
  nodesUnavailable: number;
  /** Time of the newest flow received (RFC 3339), if any. */
  lastFlowTime?: string;
  /** Flows written to the database since start (absent when the collector stores nothing). */
  flowsStored?: number;
  /** Flows received again that were already stored (the overlap of a resumed stream). */
  duplicateFlows?: number;
  /** Flows the collector could not store (refused by the database, or without a time). */
  droppedFlows?: number;
  /** Flows received and waiting to be written. */
  queuedFlows?: number;
  /** Time of the newest flow written to the database (RFC 3339). */
  newestStoredFlowTime?: string;
  /** Counts by verdict name since start. */
  verdicts: Record<string, number>;
  /** Epoch ms when this snapshot was taken. */
  atMs: number;
  /**
   * The cluster the relay's flows are from (HUBBLE_RELAY_ADDR's `cluster=`, HUBBLE_CLUSTER_NAME, or the
   * demo cluster's name). With several relays, absent at the top level: each of `relays` has one.
   */
  cluster?: string;
  /**
   * One status per relay followed, in configuration order; present whenever a collector runs, also
   * with a single relay (then the top level is that relay's status). With several, the top level
   * sums their counts, `state` is the worst of theirs, `lastError` names each failing cluster, and
   * `newestStoredFlowTime` is the least advanced relay's (so lag shows the relay that is behind).
   */
  relays?: RelayIngestStatus[];
}

/** One relay's status in `IngestStatus.relays`. */
export interface RelayIngestStatus extends Omit<IngestStatus, 'relays' | 'cluster'> {
  cluster: string;
  /** The relay's name in gaps, relay status samples and node events (the cluster name, or for a single unnamed relay its address). */
  relay: string;
}

/** An incident the built-in demo cluster was told to play (HUBBLE_DEMO_INCIDENTS), RFC 3339 bounds. */
export interface DemoIncident {
  name: string;
  from: string;
  to: string;
}

/** What `GET /api/status` answers: the collector's status, plus the demo's planned incidents. */
export interface StatusResponse extends IngestStatus {
  demoIncidents?: DemoIncident[];
}
