/**
 * ServerStatus, GetNodes, GetNamespaces and the opening node_status of the history server, from
 * stored data, each a bounded query:
 * - stored flows: the sum of the hourly edge rollup (every stored flow is counted there once), not a
 *   scan of `flows`; retention deletes rollup rows by the hour and flow partitions by the day, so
 *   this can undercount by up to a day of the oldest flows;
 * - flows_rate: rows of the last minute, counted on the primary key's time range;
 * - node counts: the newest relay_status sample of each relay (nodes in recent flows without one);
 * - nodes: one grouped scan of the last hour of flows;
 * - namespaces: both sides of the hourly rollup, with clusters from the newest flows.
 */
import type { ObserverNamespace, ObserverNode, ServerStatus } from '../../lib/flow/observer';
import type { Queryable } from './db';

/** How many of the newest flows tell which nodes and clusters are current. */
const RECENT_SAMPLE = 10_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

export interface RecentNode { name: string; cluster: string }

/** Distinct nodes (and their clusters) among the newest stored flows, by name. */
export async function recentNodes(db: Queryable): Promise<RecentNode[]> {
  const rows = await db.query<{ node_name: string; cluster: string | null }>(
    `SELECT DISTINCT node_name, cluster FROM (SELECT node_name, cluster FROM flows ORDER BY time DESC LIMIT ${RECENT_SAMPLE}) recent
     WHERE node_name IS NOT NULL ORDER BY node_name`,
  );
  return rows.map((r) => ({ name: r.node_name, cluster: r.cluster ?? '' }));
}

interface RelayCounts { connected: number; unavailable: number; samples: number }

async function relayNodeCounts(db: Queryable): Promise<RelayCounts> {
  const rows = await db.query<{ connected: boolean; connected_nodes: number | null; unavailable_nodes: number | null }>(
    `SELECT DISTINCT ON (relay) connected, connected_nodes, unavailable_nodes FROM relay_status ORDER BY relay, time DESC`,
  );
  const live = rows.filter((r) => r.connected);
  return {
    connected: live.reduce((n, r) => n + (r.connected_nodes ?? 0), 0),
    unavailable: live.reduce((n, r) => n + (r.unavailable_nodes ?? 0), 0),
    samples: rows.length,
  };
}

export interface StatusContext {
  nowMs: number;
  uptimeNs: string;
  version: string;
}

/** ServerStatus of the store: everything stored is "in the buffer", which has no fixed size. */
export async function storedServerStatus(db: Queryable, ctx: StatusContext): Promise<ServerStatus> {
  const [counts] = await db.query<{ stored: number | string; last_minute: number }>(
    `SELECT (SELECT coalesce(sum(flows), 0) FROM edge_hour)::bigint AS stored,
       (SELECT count(*) FROM flows WHERE time > $1::timestamptz AND time <= $2::timestamptz)::int AS last_minute`,
    [iso(ctx.nowMs - MINUTE_MS), iso(ctx.nowMs)],
  );
  const relays = await relayNodeCounts(db);
  const stored = String(counts?.stored ?? 0);
  const nodes = relays.samples > 0 ? relays : { connected: (await recentNodes(db)).length, unavailable: 0 };
  return {
    num_flows: stored,
    max_flows: stored,
    seen_flows: stored,
    uptime_ns: ctx.uptimeNs,
    num_connected_nodes: nodes.connected,
    num_unavailable_nodes: nodes.unavailable,
    version: ctx.version,
    flows_rate: (counts?.last_minute ?? 0) / (MINUTE_MS / 1000),
  };
}

/**
 * Nodes with flows in the last hour: connected when one was seen in the last minute. Their flow
 * counts are the last hour's, and uptime_ns spans the node's first flow in it, so that `hubble list
 * nodes` shows a flows-per-second rate over that span.
 */
export async function storedNodes(db: Queryable, nowMs: number): Promise<ObserverNode[]> {
  const rows = await db.query<{ name: string; flows: number | string; first_ms: number; recent: boolean }>(
    `SELECT node_name AS name, count(*)::bigint AS flows,
       (extract(epoch FROM min(time)) * 1000)::float8 AS first_ms, max(time) >= $2::timestamptz AS recent
     FROM flows WHERE time >= $1::timestamptz AND time <= $3::timestamptz AND node_name IS NOT NULL
     GROUP BY node_name ORDER BY node_name`,
    [iso(nowMs - HOUR_MS), iso(nowMs - MINUTE_MS), iso(nowMs)],
  );
  return rows.map((r) => ({
    name: r.name,
    state: r.recent ? 'NODE_CONNECTED' : 'NODE_UNAVAILABLE',
    uptime_ns: String(BigInt(Math.max(0, Math.round(nowMs - Number(r.first_ms)))) * 1_000_000n),
    num_flows: String(r.flows),
    max_flows: String(r.flows),
    seen_flows: String(r.flows),
  }));
}

/**
 * Namespaces on either side of any stored flow, from the hourly rollup. The rollup keeps no
 * cluster: with one cluster among the newest flows (a relay serves one) every namespace is in it;
 * with several, each namespace goes to the cluster(s) of its newest flow on each side.
 */
export async function storedNamespaces(db: Queryable): Promise<ObserverNamespace[]> {
  const rows = await db.query<{ ns: string }>(
    `SELECT ns FROM (SELECT src_namespace AS ns FROM edge_hour UNION SELECT dst_namespace FROM edge_hour) both_sides
     WHERE ns <> '' ORDER BY ns`,
  );
  const namespaces = rows.map((r) => r.ns);
  const clusters = [...new Set((await recentNodes(db)).map((n) => n.cluster))];
  if (clusters.length <= 1) return sorted(namespaces.map((namespace) => ({ cluster: clusters[0] ?? '', namespace })));
  const pairs = await db.query<{ ns: string; src: string | null; dst: string | null }>(
    `SELECT ns,
       (SELECT cluster FROM flows WHERE src_namespace = ns ORDER BY time DESC LIMIT 1) AS src,
       (SELECT cluster FROM flows WHERE dst_namespace = ns ORDER BY time DESC LIMIT 1) AS dst
     FROM unnest($1::text[]) AS ns`,
    [namespaces],
  );
  const seen = new Map<string, ObserverNamespace>();
  for (const p of pairs) {
    for (const cluster of [p.src, p.dst]) {
      if (cluster !== null) seen.set(`${cluster}\u0000${p.ns}`, { cluster, namespace: p.ns });
    }
  }
  return sorted([...seen.values()]);
}

function sorted(list: ObserverNamespace[]): ObserverNamespace[] {
  return list.sort((a, b) => cmp(a.cluster, b.cluster) || cmp(a.namespace, b.namespace));
}

function cmp(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
