/**
 * Which relays a cluster selection means, and the live collector status narrowed to them. The
 * database records a relay under its cluster's name when HUBBLE_RELAY_ADDR names clusters (or lists
 * several), else under its address; only the live status knows which cluster an address-named
 * relay serves, so it is asked first and the cluster names cover the rest (a web-only process, a
 * relay no longer configured).
 */
import type { IngestStatus } from '../../../lib/ingest/ingest-status';
// A pure function; the same combination /api/status answers for every relay.
import { combineRelayStatuses } from '../../../lib/ingest/combine-relay-statuses';

/** The names the picked clusters' relays are recorded under (undefined: every relay). */
export function relaysOfClusters(clusters: readonly string[], status: IngestStatus | undefined): string[] | undefined {
  if (clusters.length === 0) return undefined;
  const live = (status?.relays ?? []).filter((r) => clusters.includes(r.cluster)).map((r) => r.relay);
  return [...new Set([...clusters, ...live])].sort();
}

/**
 * The live status of the picked clusters' relays, combined as /api/status combines them; the whole
 * status with no pick, and null when none of them is followed by this process.
 */
export function ingestOfClusters(clusters: readonly string[], status: IngestStatus | undefined): IngestStatus | null {
  if (!status) return null;
  if (clusters.length === 0) return status;
  // A status without `relays` comes from a collector that follows one relay in `cluster`.
  if (!status.relays) return status.cluster !== undefined && clusters.includes(status.cluster) ? status : null;
  const picked = status.relays.filter((r) => clusters.includes(r.cluster));
  if (picked.length === 0) return null;
  if (picked.length === status.relays.length) return status;
  const combined = combineRelayStatuses(picked);
  return picked.length === 1 ? { ...combined, cluster: picked[0].cluster } : combined;
}
