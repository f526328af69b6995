/**
 * Everything /metrics exposes, in one text: ingest (from the collector's status and the batch
 * writes), the database, HTTP latency and the process. Reading the database is bounded by a
 * timeout, so a scrape still answers, with hubble_dashboard_database_up 0, while it is down.
 */
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { liveBus } from '../live/live-bus';
import { logger } from '../log/logger';
import type { Queryable } from '../store/db';
import { sharedDb } from '../store/shared-db';
import { databaseFamilies, readDatabaseStats } from './database-families';
import { ingestFamilies } from './ingest-families';
import { exposeFamilies } from './metrics-registry';
import { opsMetrics, type OpsMetrics } from './ops-metrics';
import { processFamilies } from './process-families';

const log = logger('metrics');

/** The content type of the Prometheus text exposition format this produces. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface RenderMetricsOptions {
  db?: () => Promise<Queryable>;
  status?: () => IngestStatus | undefined;
  metrics?: OpsMetrics;
  nowMs?: () => number;
  /** How long the database may take to answer (default 3 s, well under Prometheus' 10 s scrape timeout). */
  dbTimeoutMs?: number;
}

/** The exposition text of every dashboard metric. */
export async function renderMetrics(opts: RenderMetricsOptions = {}): Promise<string> {
  const metrics = opts.metrics ?? opsMetrics();
  const status = opts.status ?? (() => liveBus().status());
  const stats = await readDatabaseStats(opts.db ?? sharedDb, opts.dbTimeoutMs ?? 3_000);
  if (!stats.up) log.warn({ error: stats.error }, 'metrics: the database did not answer');
  return exposeFamilies([
    ...ingestFamilies(status, opts.nowMs),
    metrics.batchWrites,
    metrics.batchWriteSeconds,
    ...databaseFamilies(stats),
    metrics.httpSeconds,
    ...processFamilies(),
  ]);
}
