/**
 * One status for the process out of one collector per relay. Each collector publishes its own
 * snapshot every second; the board keeps the newest per relay and publishes the combination, so
 * /api/status, /readyz and /metrics read one object that lists every relay (`relays`) and, at the
 * top level, keeps the shape a single relay always had.
 */
import { combineRelayStatuses } from '../../lib/ingest/combine-relay-statuses';
import type { IngestStatus, RelayIngestStatus } from '../../lib/ingest/ingest-status';

export interface RelayIdentity {
  cluster: string;
  /** Its name in gaps, relay status and node events. */
  relay: string;
}

/** Keeps each relay's newest status and publishes the combination whenever one changes. */
export class RelayStatusBoard {
  private readonly latest = new Map<string, RelayIngestStatus>();

  /** `relays` in configuration order: the order `relays` lists them in. */
  constructor(private readonly relays: readonly RelayIdentity[], private readonly publish: (status: IngestStatus) => void) {}

  /** The function one relay's collector publishes its snapshots with. */
  reporter(relay: RelayIdentity): (status: IngestStatus) => void {
    return (status) => {
      const { relays: _relays, cluster: _cluster, ...own } = status;
      this.latest.set(relay.relay, { ...own, cluster: relay.cluster, relay: relay.relay });
      const list = this.relays.flatMap((r) => this.latest.get(r.relay) ?? []);
      if (list.length > 0) this.publish(combineRelayStatuses(list));
    };
  }
}
