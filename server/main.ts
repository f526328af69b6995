/**
 * The dashboard process: the database, the collector (one per relay, HUBBLE_RELAY_ADDR may list
 * several clusters), the live bus, the Observer API over stored flows and Next's request handler in
 * one process. With no relay configured it first starts the built-in demo cluster(s) on loopback
 * and follows each over real gRPC, so the demo takes the same path as production.
 */
import { createServer, type Server } from 'node:http';
import next from 'next';
import { loadConfig, type Config } from './config';
import { startRelayCollectors, type FollowedRelay } from './ingest/relay-collectors';
import { startCollectorThread, type ThreadRelay } from './ingest/collector-thread';
import { relayKey } from './ingest/relay-targets';
import { RelayClient } from './hubble/relay-client';
import { startDemoRelays } from './demo/demo-mesh';
import { scheduleDemoIncidents } from './demo/incidents';
import { liveBus } from './live/live-bus';
import { openDb } from './store/open-db';
import { registerSharedDb } from './store/shared-db';
import { createPartitionManager, startRetention } from './store/partitions';
import { logger, setLogLevel } from './log/logger';
import { startObserverEndpoint } from './observer-endpoint';
import { projectRoot } from './project-root';
import { ensureWebBuild } from './web-build';
import { timeHttpRequests } from './ops/http-metrics';
import { guardRequests } from './access/access-guard';

const log = logger('main');

export interface DashboardOptions {
  dev?: boolean;
  config?: Config;
}

export interface Dashboard {
  url: string;
  stop(): Promise<void>;
  /** Settles only if part of the dashboard fails for good (the collector thread): the process should stop and be restarted. */
  failure: Promise<Error>;
}

/** Starts everything; resolves once the web server listens. */
export async function startDashboard(opts: DashboardOptions = {}): Promise<Dashboard> {
  const config = opts.config ?? loadConfig();
  setLogLevel(config.logLevel);
  const stops: Array<() => Promise<void>> = [];
  // A wrong relay address or unreadable TLS file is a one-line error before anything starts.
  const relays: Array<FollowedRelay & { address: string }> = config.relays.map((target) => {
    const client = new RelayClient({ address: target.address, tls: config.relayTls });
    return { cluster: target.cluster, key: relayKey(target, config.relays.length, client.name), client, demo: false, address: target.address };
  });
  if (!opts.dev) await ensureWebBuild();

  // Then the database, so that one that cannot be reached stops start-up before anything else runs.
  const db = await openDb(config);
  // Next's route handlers (app/api) reuse this Db: PGlite must not be opened twice on one folder.
  const unregisterDb = registerSharedDb(db);
  const partitions = createPartitionManager(db);
  const retention = startRetention(db, config.retentionHours, { partitions });
  const observer = await startObserverEndpoint(config.observer, db).catch(async (err: unknown) => {
    await retention.stop();
    unregisterDb();
    await db.close();
    throw err;
  });

  if (relays.length === 0) {
    const incidents = scheduleDemoIncidents(config.demoIncidents, Date.now());
    const demo = await startDemoRelays({
      clusters: config.demoClusters, seed: config.demoSeed, rateFlowsPerS: config.demoRateFlowsPerS, incidents, defaultTimeline: incidents.length === 0,
    });
    stops.push(async () => {
      await Promise.all(demo.map((d) => d.stop()));
    });
    liveBus().publishDemoIncidents(incidents);
    // Each demo cluster is its own relay, keyed by its cluster name (`demo` for the default one, as before).
    for (const d of demo) relays.push({ cluster: d.cluster, key: d.cluster, client: new RelayClient({ address: d.address }), demo: true, address: d.address });
    log.info({ relays: demo.map((d) => `${d.cluster}=${d.address}`), seed: config.demoSeed, rate: config.demoRateFlowsPerS, incidents },
      `no HUBBLE_RELAY_ADDR set: started the built-in demo (${demo.length === 1 ? 'one cluster' : `${demo.length} clusters`})`);
  }
  // With PostgreSQL the collectors get a thread of their own (collector-thread.ts); PGlite is one
  // connection in this thread, so they stay here.
  const collectors = config.databaseUrl
    ? startCollectorThread({ relays: relays.map(threadRelay), relayTls: config.relayTls, databaseUrl: config.databaseUrl, logLevel: config.logLevel })
    : { ...startRelayCollectors({ relays, db, partitions }), failure: new Promise<Error>(() => undefined) };
  stops.unshift(collectors.stop);
  // Its follow streams end first; the database is still open while calls finish.
  if (observer) stops.unshift(observer.stop);
  // Last: the collector has written what it received before the database closes.
  stops.push(async () => {
    await retention.stop();
    unregisterDb();
    await db.close();
  });

  const app = next({ dev: opts.dev ?? false, dir: projectRoot, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(timeHttpRequests(guardRequests(config.auth, (req, res) => void handle(req, res))));
  await listen(server, config.host, config.port);
  stops.unshift(() => closeServer(server));
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  log.info({ url }, 'dashboard listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    failure: collectors.failure,
    // A signal and a failed collector thread may both ask; every caller waits for the one stop.
    stop() {
      stopped ??= (async () => {
        for (const stop of stops) await stop();
        await app.close?.();
      })();
      return stopped;
    },
  };
}

/** A relay as the collector thread takes it: its address, not this thread's client (closed; it only checked the address and TLS files). */
function threadRelay({ client, ...relay }: FollowedRelay & { address: string }): ThreadRelay {
  client.close();
  return relay;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
