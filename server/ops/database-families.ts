/**
 * Metric families read from the database when scraped: whether it answers, the size of the
 * dashboard's tables, and the gaps recorded (outages, lost events, history the relay no longer
 * held, flows the collector had to drop). Both queries are cheap: catalog sizes and a small table.
 */
import type { Queryable } from '../store/db';
import { sampledFamily, type MetricFamily, type Sample } from './metrics-registry';
import { withTimeout } from './with-timeout';

export interface GapCount {
  kind: string;
  gaps: number;
  lostFlows: number;
}

export interface DatabaseStats {
  up: boolean;
  /** Why the database could not be read (for the log); absent when up. */
  error?: string;
  sizeBytes?: number;
  gaps: GapCount[];
}

// Tables (day partitions included) with their indexes and TOAST, in the schema the dashboard uses:
// a database shared with other applications, or the test schemas, are not counted.
const SIZE_SQL = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')`;

const GAPS_SQL = `SELECT kind, count(*)::bigint AS gaps, coalesce(sum(lost_flows), 0)::bigint AS lost
  FROM gaps GROUP BY kind ORDER BY kind`;

/** Reads the stats; never throws: a database that fails or is slow is reported as down. */
export async function readDatabaseStats(db: () => Promise<Queryable>, timeoutMs: number): Promise<DatabaseStats> {
  try {
    return await withTimeout((async () => {
      const q = await db();
      const [size] = await q.query<{ bytes: number | string }>(SIZE_SQL);
      const gaps = await q.query<{ kind: string; gaps: number | string; lost: number | string }>(GAPS_SQL);
      return {
        up: true,
        sizeBytes: Number(size?.bytes ?? 0),
        gaps: gaps.map((g) => ({ kind: g.kind, gaps: Number(g.gaps), lostFlows: Number(g.lost) })),
      };
    })(), timeoutMs);
  } catch (err) {
    return { up: false, error: err instanceof Error ? err.message : String(err), gaps: [] };
  }
}

/** The families for one scrape's stats. */
export function databaseFamilies(stats: DatabaseStats): MetricFamily[] {
  const perKind = (pick: (g: GapCount) => number): Sample[] => stats.gaps.map((g) => ({ labels: { kind: g.kind }, value: pick(g) }));
  return [
    sampledFamily('hubble_dashboard_database_up', 'Whether the database answered this scrape (1) or not (0).', 'gauge',
      () => [{ value: stats.up ? 1 : 0 }]),
    sampledFamily('hubble_dashboard_database_size_bytes', "Bytes used by the dashboard's tables, indexes and TOAST in its schema.", 'gauge',
      () => (stats.sizeBytes === undefined ? [] : [{ value: stats.sizeBytes }])),
    sampledFamily('hubble_dashboard_gaps', 'Gaps recorded in the database (intervals whose flows are missing), by kind.', 'gauge',
      () => perKind((g) => g.gaps)),
    sampledFamily('hubble_dashboard_gap_lost_flows', 'Flows known to be missing in the recorded gaps, by kind (where the source said how many).', 'gauge',
      () => perKind((g) => g.lostFlows)),
  ];
}
