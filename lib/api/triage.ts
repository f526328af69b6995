/**
 * The contract of `GET /api/triage`, shared by the route handler and the triage page at `/`: what
 * on-call needs in one glance, read from the rollups and the collector's small tables only.
 *
 *   /api/triage[?at=<time>][&cluster=<name>...]
 *
 * - `at`: the moment to look from, as `hubble observe --until` takes it (RFC 3339, or a duration
 *   meaning that long ago); absent means now. The page always asks for now; `at` is for looking
 *   back at an incident and for benchmarks.
 * - `cluster` (repeatable): count only flows with either side in one of these clusters, as
 *   `hubble observe --cluster a --cluster b` selects them; absent means every cluster. Every number
 *   and list is then computed for them, and relay health, gaps and the live status are those of
 *   their relays.
 *
 * Windows, all computed from the edge rollups (server/store/edge-counts.ts), which count a flow per
 * minute bucket:
 * - drop rates: drops per minute over the last TRIAGE_RATE_MINUTES whole minutes (the minute in
 *   progress is left out so the three windows compare like with like), against the same minutes
 *   1 h and 24 h before. A drop counts for the namespace of either side, like `--namespace`, and
 *   once when both sides are in the same namespace; with `cluster`, for the namespace of either
 *   side in a picked cluster, like `--namespace ns --cluster c` (a namespace in another cluster is
 *   another namespace).
 * - new drop groups: groups (lib/api/drop-groups.ts) dropping in the last TRIAGE_NEW_MINUTES
 *   (whole minutes plus the one in progress) that did not drop at all in the 24 h before that.
 * - top dropped pairs: source → destination over the last TRIAGE_NEW_MINUTES.
 */
import type { DropGroupKey } from './drop-groups';
import type { EdgeEndpoint } from '../filter/edge-filter';
import type { IngestStatus } from '../ingest/ingest-status';
import { ObserveTimeError, resolveObserveTime } from '../time/observe-time';

/** Minutes the drop rate is averaged over. */
export const TRIAGE_RATE_MINUTES = 5;
/** How recent a drop group must be to count as new, and the short window of the top pairs. */
export const TRIAGE_NEW_MINUTES = 15;
/** How far back a group must have been absent to count as new, and the span of the timeline. */
export const TRIAGE_HISTORY_HOURS = 24;
/** Most namespaces, groups and pairs answered per list (the busiest first). */
export const TRIAGE_LIST_LIMIT = 25;
/** Most gaps, outages and node events answered (the newest). */
export const TRIAGE_GAPS_LIMIT = 200;

/** A time window [since, until), RFC 3339 UTC. */
export interface TriageWindow {
  since: string;
  until: string;
}

export interface NamespaceDropRate {
  /** '' for drops between endpoints outside any namespace (world, host, remote-node, ...). */
  namespace: string;
  /** Drops per minute in the rate window. */
  nowPerMin: number;
  /** Drops per minute in the same minutes one hour before. */
  hourAgoPerMin: number;
  /** Drops per minute in the same minutes one day before. */
  dayAgoPerMin: number;
}

export interface TriageDropRates {
  now: TriageWindow;
  hourAgo: TriageWindow;
  dayAgo: TriageWindow;
  /** Namespaces with drops in any of the three windows, most drops now first. */
  namespaces: NamespaceDropRate[];
  /** More namespaces than TRIAGE_LIST_LIMIT had drops. */
  truncated: boolean;
}

export interface TriageDropGroup {
  key: DropGroupKey;
  flows: number;
  /** Start of the first and of the last minute bucket the group dropped in, RFC 3339. */
  firstSeen: string;
  lastSeen: string;
}

export interface TriageNewDropGroups {
  window: TriageWindow;
  /** The span in which the groups did not drop. */
  absentIn: TriageWindow;
  /** Newest first, then most flows. */
  groups: TriageDropGroup[];
  truncated: boolean;
}

export interface TriageDropPair {
  source: EdgeEndpoint;
  destination: EdgeEndpoint;
  /** Drops in the window (TRIAGE_NEW_MINUTES). */
  flows: number;
  /** How many drop groups (port, reason, policies) the pair's drops fall into. */
  groups: number;
  /** The pair's group with the most drops. */
  topGroup: DropGroupKey;
}

export interface TriageDropPairs {
  window: TriageWindow;
  /** Most drops first. */
  pairs: TriageDropPair[];
}

/** Why an interval's flows are missing (the collector's gap kinds, server/ingest/gap-tracker.ts). */
export type TriageGapKind = 'relay-unreachable' | 'lost-events' | 'collector-dropped' | 'not-recovered';

export interface TriageGap {
  relay: string;
  kind: TriageGapKind;
  from: string;
  to: string;
  /** Flows known to be lost, when the source said how many. */
  lostFlows: number | null;
  detail: string | null;
}

/** The newest ServerStatus sample of a relay and where its stream stands. */
export interface TriageRelay {
  relay: string;
  sampledAt: string;
  /** Whether the relay answered ServerStatus at that sample. */
  connected: boolean;
  connectedNodes: number | null;
  unavailableNodes: number | null;
  flowsPerS: number | null;
  /** Flows in the relay's buffers, their capacity, and flows seen since the relay started. */
  numFlows: number | null;
  maxFlows: number | null;
  seenFlows: number | null;
  /** Since when the collector's stream is up; null while it is down. */
  connectedSince: string | null;
  newestStoredFlow: string | null;
}

export interface TriageNodeEvent {
  time: string;
  relay: string;
  node: string;
  /** NodeState name (NODE_CONNECTED, NODE_UNAVAILABLE, NODE_GONE, NODE_ERROR) as reported. */
  state: string;
  message: string | null;
}

/** An interval in which the relay's ServerStatus samples said it could not be reached. */
export interface TriageOutage {
  relay: string;
  from: string;
  /** The last failed sample; the outage is still on when it is the relay's newest sample. */
  to: string;
  ongoing: boolean;
}

export interface TriageTimelinePoint {
  /** Bucket start, RFC 3339. */
  time: string;
  flows: number;
  drops: number;
}

export interface TriageTimeline {
  window: TriageWindow;
  bucketMinutes: number;
  /** Every bucket of the window, oldest first; empty buckets hold zeros. */
  points: TriageTimelinePoint[];
}

export interface TriageHealth {
  window: TriageWindow;
  relays: TriageRelay[];
  /** Node state changes in the window, newest first. */
  nodeEvents: TriageNodeEvent[];
  /** Gaps overlapping the window, oldest first (the newest TRIAGE_GAPS_LIMIT when there are more). */
  gaps: TriageGap[];
  /** All gaps overlapping the window, and the flows they are known to have lost. */
  gapCount: number;
  lostFlows: number;
  /** Relay outages seen by the status samples in the window, oldest first. */
  outages: TriageOutage[];
  /**
   * Start of the oldest stored minute bucket: where stored history begins (null: none). Later than a
   * comparison window's start means that comparison has no data to go by.
   */
  dataSince: string | null;
}

export interface TriageResponse {
  /** The moment the triage was computed for, RFC 3339. */
  at: string;
  /** The clusters it was computed for, sorted; empty for every cluster. */
  clusters: string[];
  dropRates: TriageDropRates;
  newDropGroups: TriageNewDropGroups;
  dropPairs: TriageDropPairs;
  health: TriageHealth;
  timeline: TriageTimeline;
  /**
   * The collector's live status in this process; null when none runs here (--role=web). With
   * `clusters`, that of their relays only (null when none of them is followed here).
   */
  ingest: IngestStatus | null;
}

/** Most clusters one request may pick (a Cluster Mesh has at most 511). */
export const TRIAGE_MAX_CLUSTERS = 64;
/** Longer names cannot be a cluster's (Cilium allows 32 characters). */
const MAX_CLUSTER_NAME = 253;

/** A validated request. */
export interface TriageQuery {
  nowMs: number;
  /** The picked clusters, sorted and distinct; empty for every cluster. */
  clusters: string[];
}

export type TriageQueryResult = { ok: true; query: TriageQuery } | { ok: false; status: 400; error: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; status: 400; error: string };
const refuse = (error: string): { ok: false; status: 400; error: string } => ({ ok: false, status: 400, error });

function parseAt(at: string | null, nowMs: number): Parsed<number> {
  if (at === null || at === '') return { ok: true, value: nowMs };
  try {
    const atMs = Date.parse(resolveObserveTime(at, nowMs));
    if (!Number.isFinite(atMs)) return refuse(`at: ${JSON.stringify(at)} is out of range`);
    return { ok: true, value: atMs };
  } catch (e) {
    if (e instanceof ObserveTimeError) return refuse(`at: ${e.message}`);
    throw e;
  }
}

/** The picked clusters, sorted and distinct; an empty or oversized value is refused rather than ignored. */
function parseClusters(values: readonly string[]): Parsed<string[]> {
  for (const c of values) {
    if (c.trim() === '') return refuse('cluster: empty; leave the parameter out to count every cluster');
    if (c.length > MAX_CLUSTER_NAME) return refuse(`cluster: at most ${MAX_CLUSTER_NAME} characters`);
    // PostgreSQL text cannot hold U+0000, and no cluster name does.
    if (c.includes('\0')) return refuse('cluster: must not contain NUL');
  }
  const clusters = [...new Set(values)].sort();
  if (clusters.length > TRIAGE_MAX_CLUSTERS) return refuse(`cluster: at most ${TRIAGE_MAX_CLUSTERS} clusters, got ${clusters.length}`);
  return { ok: true, value: clusters };
}

/**
 * Parses the query string of `GET /api/triage` against the clock `nowMs`. Never throws for bad
 * input: it answers `{ ok: false, status: 400, error }` naming the parameter.
 */
export function parseTriageQuery(params: URLSearchParams, nowMs: number): TriageQueryResult {
  const at = parseAt(params.get('at'), nowMs);
  if (!at.ok) return at;
  const clusters = parseClusters(params.getAll('cluster'));
  if (!clusters.ok) return clusters;
  return { ok: true, query: { nowMs: at.value, clusters: clusters.value } };
}

/** The API URL for a triage at `at` (absent: now) of the picked clusters (none: every cluster). */
export function triageUrl(opts: { at?: string; clusters?: readonly string[] } = {}): string {
  const p = new URLSearchParams();
  if (opts.at) p.set('at', opts.at);
  for (const c of [...new Set(opts.clusters ?? [])].sort()) p.append('cluster', c);
  const search = p.toString();
  return search ? `/api/triage?${search}` : '/api/triage';
}
