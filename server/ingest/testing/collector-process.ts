/**
 * A collector in a process of its own, for tests that kill it:
 *
 *   node --import tsx server/ingest/testing/collector-process.ts '{"databaseUrl":"postgres://…","relayAddr":"127.0.0.1:4245"}'
 *
 * Logs JSON lines on stdout (the line with msg "ready" says it runs). SIGTERM stops it
 * the way the dashboard does: the buffered batch is written and in-flight writes finish, then it
 * exits 0. Options come as one JSON argument, not from the environment.
 */
import { RelayClient } from '../../hubble/relay-client';
import { logger, setLogLevel } from '../../log/logger';
import { openPgDb } from '../../store/pg-db';
import { startCollector, type CollectorOptions } from '../collector';

export interface CollectorProcessOptions {
  databaseUrl: string;
  relayAddr: string;
  relayKey?: string;
  logLevel?: string;
  batchMaxFlows?: number;
  batchMaxDelayMs?: number;
  relayBackoff?: CollectorOptions['relayBackoff'];
}

const opts = JSON.parse(process.argv[2] ?? '{}') as CollectorProcessOptions;
setLogLevel(opts.logLevel ?? 'info');
const log = logger('collector-process');

const db = openPgDb({ connectionString: opts.databaseUrl, maxConnections: 2 });
const client = new RelayClient({ address: opts.relayAddr, dialTimeoutMs: 1_000 });
const collector = startCollector({
  client, relayLabel: opts.relayAddr, relayKey: opts.relayKey, demo: false, db,
  batchMaxFlows: opts.batchMaxFlows, batchMaxDelayMs: opts.batchMaxDelayMs, relayBackoff: opts.relayBackoff,
});

process.once('SIGTERM', () => {
  log.info('SIGTERM: stopping');
  collector.stop()
    .then(() => {
      client.close();
      return db.close();
    })
    .then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'stop failed');
      process.exit(1);
    });
});
log.info({ pid: process.pid }, 'ready');
