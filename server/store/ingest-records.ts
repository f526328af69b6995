/**
 * What the collector keeps besides flows: where each relay's stream stands (collector_state), the
 * intervals whose flows are missing and why (gaps), ServerStatus samples (relay_status) and node
 * state changes (node_events). Times go in as epoch ms or RFC 3339 text and come out as RFC 3339.
 */
import { logger } from '../log/logger';
import type { Db, Queryable, SqlParam } from './db';
import { formatTimeout, isQueryCanceled, queryWithin } from './statement-timeout';

const log = logger('ingest-records');

/** Why an interval's flows are missing or incomplete (the `gaps.kind` column). */
export type GapKind = 'relay-unreachable' | 'lost-events' | 'collector-dropped' | 'not-recovered';

/** Epoch milliseconds, or an RFC 3339 timestamp (nanoseconds allowed; stored to the microsecond). */
export type TimeInput = number | string;

export interface GapRecord {
  relay: string;
  kind: GapKind;
  fromTime: TimeInput;
  toTime: TimeInput;
  lostFlows?: number;
  detail?: string;
}

export interface StoredGap {
  id: number;
  relay: string;
  kind: GapKind;
  fromTime: string;
  toTime: string;
  lostFlows: number | null;
  detail: string | null;
}

export interface NodeEventRecord {
  time: TimeInput;
  relay: string;
  node: string;
  state: string;
  message?: string;
}

export interface RelayStatusSample {
  time: TimeInput;
  relay: string;
  connected: boolean;
  numFlows?: number;
  maxFlows?: number;
  seenFlows?: number;
  connectedNodes?: number;
  unavailableNodes?: number;
  flowsRate?: number;
}

export interface CollectorStateRow {
  relay: string;
  newestFlowTime: string | null;
  connectedSince: string | null;
  updatedAt: string;
}

function time(value: TimeInput): SqlParam {
  return typeof value === 'number' ? new Date(value) : value;
}

/** RFC 3339 in UTC with microseconds, the column's full precision (a JS Date would keep ms). */
const rfc3339 = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Relays whose cluster was searched in `flows` and had nothing recent, or took too long: not searched again by this process. */
const searchedClusters = new WeakMap<Queryable, Set<string>>();

/** How far back a relay's cluster is looked for in `flows`: relays hold minutes, so older is as good as none. */
const CLUSTER_LOOKBACK = `interval '1 hour'`;
/**
 * How long that search may take (PostgreSQL; PGlite has no timers). Without an index on the
 * cluster, a cluster with no recent flows means reading the whole hour: about 3.7 s for 3.8 M flows
 * here, a minute or more on a busy database while the relay's buffer turns over. Taking every flow
 * the relay holds instead keeps all of them (flows already stored are not stored again); what is
 * lost is only the check that the relay still holds everything after its cluster's newest stored
 * flow, so flows it no longer holds are then missing without a gap saying so.
 */
export const CLUSTER_SEARCH_TIMEOUT_MS = 5_000;

/**
 * The newest flow time stored for this relay: collector_state, or failing that the newest row in
 * `flows` (a database written before collector_state existed, or by another tool); with `cluster`,
 * the newest recent row observed in that cluster (its node's `cluster/` prefix), so that a relay
 * added to others does not skip its own history by resuming after theirs. `flows` has no index on
 * the cluster, so that search looks back an hour only, and once per process for a relay whose
 * cluster had nothing (a relay that stays unreachable reconnects often). A search that runs past
 * `clusterSearchTimeoutMs` counts as finding nothing, and is not made again either.
 */
export async function readResumePoint(
  db: Db, relay: string, cluster?: string, clusterSearchTimeoutMs = CLUSTER_SEARCH_TIMEOUT_MS,
): Promise<string | undefined> {
  const [state] = await db.query<{ t: string | null }>(
    `SELECT ${rfc3339('newest_flow_time')} AS t FROM collector_state WHERE relay = $1`, [relay],
  );
  if (state?.t) return state.t;
  if (cluster === undefined) {
    const [max] = await db.query<{ t: string | null }>(`SELECT ${rfc3339('max(time)')} AS t FROM flows`);
    return max?.t ?? undefined;
  }
  const searched = searchedClusters.get(db) ?? new Set<string>();
  searchedClusters.set(db, searched);
  if (searched.has(relay)) return undefined;
  const sql = `SELECT ${rfc3339('max(time)')} AS t FROM flows WHERE cluster = $1 AND time > now() - ${CLUSTER_LOOKBACK}`;
  const [max] = await queryWithin<{ t: string | null }>(db, clusterSearchTimeoutMs, sql, [cluster]).catch((err: unknown) => {
    if (!isQueryCanceled(err)) throw err;
    log.warn({ relay, cluster }, `looking for cluster ${cluster}'s newest stored flow took over ${formatTimeout(clusterSearchTimeoutMs)}: `
      + 'taking every flow the relay holds instead');
    return [];
  });
  if (!max?.t) searched.add(relay);
  return max?.t ?? undefined;
}

/** Moves the relay's newest stored flow time forward (never back: GREATEST ignores an older one). */
export async function saveNewestFlowTime(db: Queryable, relay: string, newest: TimeInput): Promise<void> {
  await db.query(
    `INSERT INTO collector_state (relay, newest_flow_time, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (relay) DO UPDATE SET
       newest_flow_time = GREATEST(collector_state.newest_flow_time, excluded.newest_flow_time),
       updated_at = excluded.updated_at`,
    [relay, time(newest)],
  );
}

/** When the current connection to the relay came up; null while it is down. */
export async function saveConnectedSince(db: Queryable, relay: string, since: TimeInput | null): Promise<void> {
  await db.query(
    `INSERT INTO collector_state (relay, connected_since, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (relay) DO UPDATE SET connected_since = excluded.connected_since, updated_at = excluded.updated_at`,
    [relay, since === null ? null : time(since)],
  );
}

export async function readCollectorState(db: Queryable, relay: string): Promise<CollectorStateRow | undefined> {
  const [row] = await db.query<CollectorStateRow>(
    `SELECT relay, ${rfc3339('newest_flow_time')} AS "newestFlowTime", ${rfc3339('connected_since')} AS "connectedSince",
       ${rfc3339('updated_at')} AS "updatedAt"
     FROM collector_state WHERE relay = $1`,
    [relay],
  );
  return row;
}

/** Inserts gaps in one statement (arrays unnested side by side). */
export async function recordGaps(db: Queryable, gaps: readonly GapRecord[]): Promise<void> {
  if (gaps.length === 0) return;
  await db.query(
    `INSERT INTO gaps (relay, kind, from_time, to_time, lost_flows, detail)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::text[])`,
    [
      gaps.map((g) => g.relay), gaps.map((g) => g.kind),
      gaps.map((g) => timeText(g.fromTime)), gaps.map((g) => timeText(g.toTime)),
      gaps.map((g) => (g.lostFlows === undefined ? null : String(g.lostFlows))) as string[],
      gaps.map((g) => g.detail ?? null) as string[],
    ],
  );
}

export async function recordNodeEvents(db: Queryable, events: readonly NodeEventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO node_events (time, relay, node, state, message)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      events.map((e) => timeText(e.time)), events.map((e) => e.relay), events.map((e) => e.node),
      events.map((e) => e.state), events.map((e) => e.message ?? null) as string[],
    ],
  );
}

/** One ServerStatus sample; a second sample at the same instant is ignored. */
export async function recordRelayStatus(db: Queryable, s: RelayStatusSample): Promise<void> {
  await db.query(
    `INSERT INTO relay_status (time, relay, connected, num_flows, max_flows, seen_flows, connected_nodes, unavailable_nodes, flows_rate)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (relay, time) DO NOTHING`,
    [time(s.time), s.relay, s.connected, s.numFlows ?? null, s.maxFlows ?? null, s.seenFlows ?? null,
      s.connectedNodes ?? null, s.unavailableNodes ?? null, s.flowsRate ?? null],
  );
}

export interface GapQuery {
  relay?: string;
  kinds?: readonly GapKind[];
  /** Gaps that end at or after this time. */
  fromTime?: TimeInput;
  limit?: number;
}

/** Gaps, oldest first. */
export async function listGaps(db: Db, q: GapQuery = {}): Promise<StoredGap[]> {
  const params: SqlParam[] = [];
  const where: string[] = [];
  if (q.relay !== undefined) where.push(`relay = $${params.push(q.relay)}`);
  if (q.kinds?.length) where.push(`kind = ANY($${params.push([...q.kinds])}::text[])`);
  if (q.fromTime !== undefined) where.push(`to_time >= $${params.push(time(q.fromTime))}`);
  const rows = await db.query<StoredGap>(
    `SELECT id, relay, kind, ${rfc3339('from_time')} AS "fromTime", ${rfc3339('to_time')} AS "toTime",
       lost_flows AS "lostFlows", detail
     FROM gaps ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY from_time, id LIMIT $${params.push(q.limit ?? 1000)}`,
    params,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), lostFlows: r.lostFlows === null ? null : Number(r.lostFlows) }));
}

/** Array parameters carry text; a timestamptz[] cast parses it. */
function timeText(value: TimeInput): string {
  return typeof value === 'number' ? new Date(value).toISOString() : value;
}
