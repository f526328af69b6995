/**
 * The health side of the triage view over the last day: each relay's newest ServerStatus sample and
 * where its stream stands, relay outages (runs of failed samples), node state changes, the gaps the
 * collector recorded, and where stored history begins. Narrowed to some relays (those of the picked
 * clusters), each part reads only theirs.
 */
import {
  TRIAGE_GAPS_LIMIT, type TriageGap, type TriageGapKind, type TriageHealth, type TriageNodeEvent, type TriageOutage,
  type TriageRelay,
} from '../../lib/api/triage';
import type { Queryable, SqlParam } from './db';
import type { GapKind } from './ingest-records';
import { readClusterDataSince } from './triage-data-since';
import { relayCondition, type TriageScope } from './triage-scope';
import { windowText, type TriageWindows } from './triage-windows';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/** The store's gap kinds are the API's (a compile-time check that the two lists agree). */
const gapKind = (kind: GapKind): TriageGapKind => kind;

type RelayRow = {
  relay: string; time: Date; connected: boolean; connected_nodes: number | null; unavailable_nodes: number | null;
  flows_rate: number | null; num_flows: number | null; max_flows: number | null; seen_flows: number | null;
  connected_since: Date | null; newest_flow_time: Date | null;
};

/** The history window as $1, $2, then the relay test. */
function historyParams(w: TriageWindows, relays: readonly string[] | undefined): { params: SqlParam[]; relay: string } {
  const params: SqlParam[] = [new Date(w.history.sinceMs), new Date(w.history.untilMs)];
  return { params, relay: relayCondition(params, relays) };
}

async function readRelays(db: Queryable, w: TriageWindows, relays?: readonly string[]): Promise<TriageRelay[]> {
  const { params, relay } = historyParams(w, relays);
  const rows = await db.query<RelayRow>(
    `SELECT s.relay, s.time, s.connected, s.connected_nodes, s.unavailable_nodes, s.flows_rate, s.num_flows, s.max_flows,
       s.seen_flows, c.connected_since, c.newest_flow_time
     FROM (SELECT DISTINCT ON (relay) * FROM relay_status WHERE time >= $1 AND time <= $2 AND ${relay} ORDER BY relay, time DESC) s
     LEFT JOIN collector_state c ON c.relay = s.relay
     ORDER BY s.relay`,
    params,
  );
  return rows.map((r) => ({
    relay: r.relay, sampledAt: iso(r.time), connected: r.connected, connectedNodes: r.connected_nodes,
    unavailableNodes: r.unavailable_nodes, flowsPerS: r.flows_rate, numFlows: numOrNull(r.num_flows),
    maxFlows: numOrNull(r.max_flows), seenFlows: numOrNull(r.seen_flows), connectedSince: isoOrNull(r.connected_since),
    newestStoredFlow: isoOrNull(r.newest_flow_time),
  }));
}

/** Runs of consecutive failed samples per relay (islands: a sample's rank among all minus among its kind). */
async function readOutages(db: Queryable, w: TriageWindows, relays?: readonly string[]): Promise<TriageOutage[]> {
  const { params, relay } = historyParams(w, relays);
  const rows = await db.query<{ relay: string; from_time: Date; to_time: Date; ongoing: boolean }>(
    `SELECT relay, min(time) AS from_time, max(time) AS to_time, bool_or(is_last) AS ongoing FROM (
       SELECT relay, time, connected, time = max(time) OVER (PARTITION BY relay) AS is_last,
         row_number() OVER (PARTITION BY relay ORDER BY time) - row_number() OVER (PARTITION BY relay, connected ORDER BY time) AS island
       FROM relay_status WHERE time >= $1 AND time <= $2 AND ${relay}
     ) s WHERE NOT connected
     GROUP BY relay, island ORDER BY max(time) DESC LIMIT $${params.push(TRIAGE_GAPS_LIMIT)}`,
    params,
  );
  return rows.reverse().map((r) => ({ relay: r.relay, from: iso(r.from_time), to: iso(r.to_time), ongoing: r.ongoing }));
}

async function readNodeEvents(db: Queryable, w: TriageWindows, relays?: readonly string[]): Promise<TriageNodeEvent[]> {
  const { params, relay } = historyParams(w, relays);
  const rows = await db.query<{ time: Date; relay: string; node: string; state: string; message: string | null }>(
    `SELECT time, relay, node, state, message FROM node_events WHERE time >= $1 AND time <= $2 AND ${relay}
     ORDER BY time DESC, id DESC LIMIT $${params.push(TRIAGE_GAPS_LIMIT)}`,
    params,
  );
  return rows.map((r) => ({ ...r, time: iso(r.time) }));
}

type GapRow = {
  relay: string; kind: GapKind; from_time: Date; to_time: Date; lost_flows: number | null; detail: string | null;
  total: number; lost_total: number | null;
};

async function readGaps(db: Queryable, w: TriageWindows, relays?: readonly string[]): Promise<Pick<TriageHealth, 'gaps' | 'gapCount' | 'lostFlows'>> {
  const { params, relay } = historyParams(w, relays);
  const rows = await db.query<GapRow>(
    `SELECT relay, kind, from_time, to_time, lost_flows, detail,
       count(*) OVER () AS total, (sum(lost_flows) OVER ())::float8 AS lost_total
     FROM gaps WHERE to_time >= $1 AND from_time <= $2 AND ${relay}
     ORDER BY from_time DESC, id DESC LIMIT $${params.push(TRIAGE_GAPS_LIMIT)}`,
    params,
  );
  const gaps: TriageGap[] = rows.reverse().map((r) => ({
    relay: r.relay, kind: gapKind(r.kind), from: iso(r.from_time), to: iso(r.to_time), lostFlows: numOrNull(r.lost_flows),
    detail: r.detail,
  }));
  return { gaps, gapCount: Number(rows[0]?.total ?? 0), lostFlows: Number(rows[0]?.lost_total ?? 0) };
}

/** The oldest minute bucket (the primary key's first column makes this one index probe). */
async function readDataSince(db: Queryable, w: TriageWindows): Promise<string | null> {
  const [row] = await db.query<{ since: Date | null }>(
    'SELECT min(bucket) AS since FROM edge_minute WHERE bucket <= $1', [new Date(w.history.untilMs)],
  );
  return isoOrNull(row?.since ?? null);
}

/** Relays, outages, node events, gaps and where history begins, over the last day, for the scope's relays and clusters. */
export async function readHealth(db: Queryable, w: TriageWindows, scope: Pick<TriageScope, 'clusters' | 'relays'> = {}): Promise<TriageHealth> {
  const picked = scope.relays;
  const [relays, outages, nodeEvents, gaps, dataSince] = await Promise.all([
    readRelays(db, w, picked), readOutages(db, w, picked), readNodeEvents(db, w, picked), readGaps(db, w, picked),
    readDataSince(db, w).then((all) => (scope.clusters?.length ? readClusterDataSince(db, w, scope.clusters, all) : all)),
  ]);
  return { window: windowText(w.history), relays, nodeEvents, outages, ...gaps, dataSince };
}
