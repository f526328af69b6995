/**
 * The triage view's server work in one call: drop rates per namespace against 1 h and 24 h before,
 * drop groups new in the last minutes, the top dropped pairs, relay health and data completeness
 * over the last day. Everything is read from the edge rollups and the collector's small tables
 * (relay_status, node_events, gaps, collector_state); raw flows are never scanned, so the cost
 * follows the number of distinct edges, not the flow rate.
 */
import type { TriageResponse } from '../../lib/api/triage';
import type { Queryable } from './db';
import { readDropPairs, readDropRates, readNewDropGroups } from './triage-drops';
import { readHealth } from './triage-health';
import type { TriageScope } from './triage-scope';
import { readTimeline } from './triage-timeline';
import { triageWindows } from './triage-windows';

export interface ReadTriageOptions extends TriageScope {
  /** The clock reading to look from (epoch ms). */
  nowMs: number;
}

/**
 * Reads the triage for `nowMs`, narrowed to `opts.clusters` (either side, as `--cluster`) and, for
 * health, to `opts.relays`, which default to the relays named like the clusters (how a relay of a
 * named cluster is recorded); with `opts.namespaces` (a restricted viewer) every list and count
 * holds only flows with a side in them. The parts are independent queries; on PostgreSQL they run
 * side by side on the pool, on PGlite one after the other on its one connection.
 */
export async function readTriage(db: Queryable, opts: ReadTriageOptions): Promise<Omit<TriageResponse, 'ingest'>> {
  const w = triageWindows(opts.nowMs);
  const clusters = [...new Set(opts.clusters ?? [])].sort();
  const relays = opts.relays ?? (clusters.length ? clusters : undefined);
  const scope: TriageScope = { clusters, relays, ...(opts.namespaces ? { namespaces: opts.namespaces } : {}) };
  const [dropRates, newDropGroups, dropPairs, health, timeline] = await Promise.all([
    readDropRates(db, w, scope), readNewDropGroups(db, w, scope), readDropPairs(db, w, scope), readHealth(db, w, scope),
    readTimeline(db, w, Date.now, scope),
  ]);
  return { at: new Date(w.nowMs).toISOString(), clusters, dropRates, newDropGroups, dropPairs, health, timeline };
}
