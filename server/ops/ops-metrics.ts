/**
 * The metrics the process updates as things happen: batch writes and HTTP requests. Next bundles
 * route handlers separately from the server that runs the collector and the HTTP server, so each
 * would get its own module instance; the one set is kept on globalThis under a registered symbol
 * (as the live bus is), and /metrics reads what the collector and the server recorded.
 */
import { Counter, Histogram } from './metrics-registry';

/** Seconds; from a fast COPY of a small batch to a database that is struggling. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface OpsMetrics {
  /** Attempts to write an ingest batch, by outcome (`ok`, `error`: the batch is retried). */
  batchWrites: Counter;
  /** Duration of successful batch writes (flows with rollups, gaps, node events, resume point). */
  batchWriteSeconds: Histogram;
  /** Requests answered by the web server, by method, handler and status code. */
  httpSeconds: Histogram;
}

/** A new, empty set (tests; the process uses opsMetrics()). */
export function createOpsMetrics(): OpsMetrics {
  return {
    batchWrites: new Counter('hubble_dashboard_ingest_batch_writes_total',
      'Attempts to write an ingest batch to the database, by outcome (a failed batch is retried until it is stored).'),
    batchWriteSeconds: new Histogram('hubble_dashboard_ingest_batch_write_seconds',
      'Time to write one ingest batch (flows, rollups, gaps, resume point) when the write succeeded.', LATENCY_BUCKETS_S),
    httpSeconds: new Histogram('hubble_dashboard_http_request_duration_seconds',
      'Time from receiving an HTTP request to finishing its response (event streams excluded).', LATENCY_BUCKETS_S),
  };
}

const KEY = Symbol.for('hubble-dashboard.ops-metrics');

/** The process-wide set. */
export function opsMetrics(): OpsMetrics {
  const g = globalThis as { [KEY]?: OpsMetrics };
  g[KEY] ??= createOpsMetrics();
  return g[KEY];
}

/**
 * Wraps the ingest write function so every attempt is counted and every successful one timed.
 * The wrapped function behaves exactly as the original (same result, same error).
 */
export function timeBatchWrites<A extends unknown[]>(
  write: (...args: A) => Promise<void>,
  metrics: OpsMetrics = opsMetrics(),
): (...args: A) => Promise<void> {
  return async (...args) => {
    const started = process.hrtime.bigint();
    try {
      await write(...args);
    } catch (err) {
      metrics.batchWrites.inc({ outcome: 'error' });
      throw err;
    }
    metrics.batchWrites.inc({ outcome: 'ok' });
    metrics.batchWriteSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
}
