/**
 * What the ingest tests compare: the flows stored against the flows the demo source generated,
 * which it can rebuild for any window because its traffic is deterministic per second.
 */
import type { Flow } from '../../../lib/flow/flow';
import { parseTimestamp, timestampToMs } from '../../../lib/time/timestamp';
import type { TrafficSource } from '../../demo/traffic-source';
import type { Db } from '../../store/db';

/** Polls until fn returns a value other than undefined/false; throws naming `what` after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface StoredFlows {
  /** flow_key → time in epoch ms (microsecond precision). */
  times: Map<string, number>;
  rows: number;
  oldestMs: number;
  newestMs: number;
}

/** The stored flows (of one observing cluster, when given). */
export async function storedFlows(db: Db, cluster?: string): Promise<StoredFlows> {
  const rows = await db.query<{ k: string; ms: number }>(
    `SELECT flow_key AS k, (extract(epoch FROM time) * 1000)::float8 AS ms FROM flows${cluster === undefined ? '' : ' WHERE cluster = $1'}`,
    cluster === undefined ? [] : [cluster]);
  const times = new Map(rows.map((r) => [r.k, Number(r.ms)]));
  let oldestMs = Infinity;
  let newestMs = -Infinity;
  for (const ms of times.values()) {
    oldestMs = Math.min(oldestMs, ms);
    newestMs = Math.max(newestMs, ms);
  }
  return { times, rows: rows.length, oldestMs, newestMs };
}

export async function countStored(db: Db): Promise<number> {
  return Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows'))[0].n);
}

/** Epoch ms of the newest stored flow, or undefined when there is none. */
export async function newestStoredMs(db: Db): Promise<number | undefined> {
  const [row] = await db.query<{ ms: number | null }>('SELECT (extract(epoch FROM max(time)) * 1000)::float8 AS ms FROM flows');
  return row?.ms === null || row?.ms === undefined ? undefined : Number(row.ms);
}

export async function rollupTotals(db: Db): Promise<{ minute: number; hour: number }> {
  const [row] = await db.query<{ minute: number | null; hour: number | null }>(
    'SELECT (SELECT sum(flows) FROM edge_minute)::float8 AS minute, (SELECT sum(flows) FROM edge_hour)::float8 AS hour',
  );
  return { minute: Number(row?.minute ?? 0), hour: Number(row?.hour ?? 0) };
}

export interface Comparison {
  fromMs: number;
  toMs: number;
  expected: number;
  /** Generated in the window, not stored. */
  missing: Flow[];
  /** Stored, but not a flow the source generated anywhere near the stored range. */
  unexpected: string[];
}

/**
 * Compares the stored flows with everything the source generated strictly inside the stored range
 * (whole milliseconds, so microsecond rounding at the ends cannot matter).
 */
export function compareWithSource(source: TrafficSource, stored: StoredFlows): Comparison {
  const fromMs = Math.floor(stored.oldestMs) + 1;
  const toMs = Math.floor(stored.newestMs);
  const around = source.flowsBetween(fromMs - 2, toMs + 2);
  const expected = around.filter((f) => {
    const ms = timestampToMs(parseTimestamp(f.time ?? '') ?? { seconds: 0, nanos: 0 });
    return ms >= fromMs && ms < toMs;
  });
  const missing = expected.filter((f) => !stored.times.has(f.uuid ?? ''));
  const aroundKeys = new Set(around.map((f) => f.uuid));
  const unexpected = [...stored.times.keys()].filter((k) => !aroundKeys.has(k));
  return { fromMs, toMs, expected: expected.length, missing, unexpected };
}

export function describeFlows(flows: readonly Flow[], max = 5): string {
  return flows.slice(0, max).map((f) => `${f.time} ${f.node_name} ${f.uuid}`).join('; ') + (flows.length > max ? `; … (${flows.length})` : '');
}
