/**
 * The dashboard's own Observer gRPC endpoint: Hubble's API over the stored flows, with follow fed
 * by the in-process live bus, on HUBBLE_DASHBOARD_OBSERVER_ADDR. A listen address that cannot be
 * used is one sentence naming the variable: fatal when the variable was set, a warning for the
 * default (whose port a `kubectl port-forward` to the relay often holds).
 */
import { createServer } from 'node:net';
import { ConfigError, type ObserverListenConfig } from './config';
import { startObserverServer, type ObserverServer } from './hubble/observer-server';
import { liveBus } from './live/live-bus';
import { logger } from './log/logger';
import type { Db } from './store/db';
import { createHistoryObserver } from './store/history-observer';

const log = logger('main');
const VARIABLE = 'HUBBLE_DASHBOARD_OBSERVER_ADDR';

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(i + 1)) };
}

/**
 * Whether the address can be bound, tried with a plain socket first: grpc-js reports a failed bind
 * on stderr itself, in its own words, besides rejecting.
 */
function probe(listen: string): Promise<string | undefined> {
  const { host, port } = splitListen(listen);
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(describeListenError(err)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function describeListenError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'the port is already in use';
    case 'EADDRNOTAVAIL':
      return 'no network interface has that address';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return err.message;
  }
}

/** Starts the endpoint; undefined when it is off, or its default address is taken. */
export async function startObserverEndpoint(observer: ObserverListenConfig | undefined, db: Db): Promise<ObserverServer | undefined> {
  if (!observer) {
    log.info(`${VARIABLE}=off: the Observer API over stored flows is not served`);
    return undefined;
  }
  let problem = await probe(observer.listen);
  if (!problem) {
    try {
      const server = await startObserverServer({ backend: createHistoryObserver({ db, live: liveBus() }), listen: observer.listen });
      log.info({ address: server.address }, `Observer API over stored flows: hubble observe --server ${server.address} --since 1h`);
      return server;
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
  }
  if (observer.explicit) {
    throw new ConfigError(`${VARIABLE}=${observer.listen}: cannot listen there: ${problem}; choose another host:port, or off`);
  }
  log.warn({ listen: observer.listen, reason: problem },
    `the Observer API over stored flows is not served: cannot listen on ${observer.listen} (${problem}); set ${VARIABLE} to another host:port, or off`);
  return undefined;
}
