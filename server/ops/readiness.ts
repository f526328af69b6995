/**
 * Readiness for /readyz: the database answers, every migration in prisma/migrations is applied,
 * and the collector runs in this process. A relay that cannot be reached does not make the
 * dashboard unready: the stored history is still worth serving, and /metrics says the relay is down.
 */
import type { IngestStatus, RelayState } from '../../lib/ingest/ingest-status';
import { liveBus } from '../live/live-bus';
import type { Queryable } from '../store/db';
import { listMigrations } from '../store/migrate';
import { sharedDb } from '../store/shared-db';
import { withTimeout } from './with-timeout';

export type CheckName = 'database' | 'migrations' | 'collector';

export interface Readiness {
  ready: boolean;
  /** The first failed check, in one sentence; absent when ready. */
  reason?: string;
  /** Each check's result: `ok`, or why not. */
  checks: Record<CheckName, string>;
  /** Each relay the collector follows and its connection (informational: a relay that is down does not make the process unready). */
  relays?: RelayReadiness[];
}

export interface RelayReadiness {
  cluster: string;
  relay: string;
  state: RelayState;
  lastError?: string;
}

export interface ReadinessOptions {
  db?: () => Promise<Queryable>;
  status?: () => IngestStatus | undefined;
  /** Names of the migrations the code expects (default: the folders in prisma/migrations). */
  expectedMigrations?: () => string[];
  timeoutMs?: number;
}

const NOT_CHECKED = 'not checked: the database did not answer';

function message(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return e?.message || e?.code || String(err);
}

async function appliedMigrations(db: () => Promise<Queryable>): Promise<Set<string> | undefined> {
  const q = await db();
  const [table] = await q.query<{ name: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS name`);
  if (!table?.name) return undefined;
  const rows = await q.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  return new Set(rows.map((r) => r.migration_name));
}

function collectorCheck(status: IngestStatus | undefined): string {
  if (!status) return 'no collector runs in this process';
  const stopped = status.relays?.filter((r) => r.state === 'stopped').map((r) => r.cluster) ?? [];
  if (stopped.length > 0 && stopped.length < (status.relays?.length ?? 0)) return `the collector has stopped following ${stopped.join(', ')} (shutting down)`;
  if (status.state === 'stopped') return 'the collector has stopped (shutting down)';
  return 'ok';
}

/** Runs the checks; never throws. */
export async function checkReadiness(opts: ReadinessOptions = {}): Promise<Readiness> {
  const checks: Record<CheckName, string> = { database: NOT_CHECKED, migrations: NOT_CHECKED, collector: 'not checked' };
  try {
    const applied = await withTimeout(appliedMigrations(opts.db ?? sharedDb), opts.timeoutMs ?? 2_000);
    checks.database = 'ok';
    const expected = (opts.expectedMigrations ?? (() => listMigrations().map((m) => m.name)))();
    const missing = expected.filter((name) => !applied?.has(name));
    checks.migrations = missing.length === 0 ? 'ok' : `not applied: ${missing.join(', ')}`;
  } catch (err) {
    checks.database = `cannot query the database: ${message(err)}`;
  }
  const status = (opts.status ?? (() => liveBus().status()))();
  checks.collector = collectorCheck(status);
  const relays = status?.relays?.map(({ cluster, relay, state, lastError }) => ({ cluster, relay, state, ...(lastError && { lastError }) }));
  const failed = (Object.keys(checks) as CheckName[]).find((name) => checks[name] !== 'ok');
  const base = failed ? { ready: false, reason: `${failed}: ${checks[failed]}`, checks } : { ready: true, checks };
  return relays ? { ...base, relays } : base;
}
