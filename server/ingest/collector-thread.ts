/**
 * The collectors in a worker thread, so that ingest and the web server each have a core: with
 * PostgreSQL, storing 20,000 flows/s and serving the pages, the API and the live streams were too
 * much for one JavaScript thread (the relay dropped what the collector could not read in time).
 * The thread opens its own connection pool; it and the main thread meet in the database and in
 * messages that carry what the main thread's live bus and /metrics would otherwise get from an
 * in-process collector: the combined relay status, committed flows, and the batch-write metrics.
 * Committed flows are matched in the thread against a copy of every live subscription made here
 * (its filters and rate cap), and only the flows someone takes cross over: with a dozen live tails
 * open on a busy cluster, copying the whole firehose cost the main thread more than it saved. PGlite is one connection in the main thread, so embedded
 * mode keeps the collectors there (main.ts).
 */
import { getPriority, setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import type { RelayTlsConfig } from '../config';
import { liveBus, type FlowRoute, type FlowSubscriptionSpec, type LiveBus } from '../live/live-bus';
import { logger } from '../log/logger';
import { opsMetrics, type OpsMetrics } from '../ops/ops-metrics';
import type { RelayCollectors } from './relay-collectors';

/** A relay the thread follows: what FollowedRelay holds, with the address instead of a client. */
export interface ThreadRelay {
  cluster: string;
  key: string;
  address: string;
  demo: boolean;
}

/** What the thread is started with (structured-cloned into it). */
export interface CollectorThreadData {
  relays: ThreadRelay[];
  relayTls: RelayTlsConfig;
  databaseUrl: string;
  logLevel: string;
}

type Snapshot<F extends { snapshot(): unknown }> = ReturnType<F['snapshot']>;

export type ThreadToMain =
  | { type: 'status'; status: IngestStatus }
  | { type: 'flows'; flows: readonly FlowsResponse[]; routes: FlowRoute[] }
  | { type: 'metrics'; batchWrites: Snapshot<OpsMetrics['batchWrites']>; batchWriteSeconds: Snapshot<OpsMetrics['batchWriteSeconds']> }
  | { type: 'subscribed'; id: number; inEffect: boolean }
  | { type: 'stopped' };

export type MainToThread =
  | { type: 'subscribe'; id: number; spec: FlowSubscriptionSpec }
  | { type: 'unsubscribe'; id: number }
  | { type: 'stop' };

export interface CollectorThreadOptions extends CollectorThreadData {
  bus?: LiveBus;
  metrics?: OpsMetrics;
  /** How long stop() waits for the thread to write what it holds before it is terminated (default 40 s). */
  stopTimeoutMs?: number;
}

export interface CollectorThread extends RelayCollectors {
  /** Settles only if the thread fails (an uncaught error, or it exits unasked): the process should then exit, and a restart resumes. */
  readonly failure: Promise<Error>;
}

const log = logger('collector');

/**
 * The collector thread's young generation (V8's default is about 48 MiB). A batch's flows live from
 * their arrival until the batch is written, a few hundred ms: at 20,000 flows/s that outlives
 * scavenges of a small young generation, and what survives is promoted and collected again later.
 * Measured with bench/load.ts: the default lost flows in some runs, 192 MiB in none (the commit that set it).
 * Costs up to ~150 MiB more resident memory.
 */
const COLLECTOR_YOUNG_GENERATION_MB = 192;

/** Niceness of the thread that serves the web UI once the collectors have their own. */
export const WEB_THREAD_NICENESS = 5;

/**
 * A flow the collector cannot read in time is lost for good; a page answered a little later is
 * not. So when the cores are busy the web server's thread gives way: it lowers its own priority
 * (on Linux niceness is per thread, so the collector thread, created before, keeps the process's,
 * and so does PostgreSQL). Raising one's niceness needs no privilege.
 */
function giveWayToCollectors(): void {
  if (process.platform !== 'linux') return;
  try {
    const current = getPriority(0);
    if (current < WEB_THREAD_NICENESS) setPriority(0, WEB_THREAD_NICENESS);
  } catch (err) {
    log.warn({ err }, 'could not lower the web thread\'s priority below the collectors\'');
  }
}

export function startCollectorThread(opts: CollectorThreadOptions): CollectorThread {
  const { bus = liveBus(), metrics = opsMetrics(), stopTimeoutMs = 40_000, ...data } = opts;
  const workerData: CollectorThreadData = data;
  const worker = new Worker(new URL('./collector-thread-boot.mjs', import.meta.url), {
    workerData, resourceLimits: { maxYoungGenerationSizeMb: COLLECTOR_YOUNG_GENERATION_MB },
  });
  giveWayToCollectors();
  const send = (message: MainToThread) => worker.postMessage(message);
  let stopping: Promise<void> | undefined;
  let stopped: () => void = () => undefined;
  const stoppedOnce = new Promise<void>((resolve) => { stopped = resolve; });
  let fail: (err: Error) => void = () => undefined;
  const failure = new Promise<Error>((resolve) => { fail = resolve; });

  worker.on('message', (message: ThreadToMain) => {
    switch (message.type) {
      case 'status': bus.publishStatus(message.status); break;
      case 'flows': bus.deliverRouted(message.flows, message.routes); break;
      case 'metrics':
        metrics.batchWrites.load(message.batchWrites);
        metrics.batchWriteSeconds.load(message.batchWriteSeconds);
        break;
      case 'subscribed': acknowledged(message.id, message.inEffect); break;
      case 'stopped': stopped(); break;
    }
  });
  worker.on('error', (err) => {
    log.fatal({ err }, 'the collector thread failed');
    if (!stopping) fail(err);
  });
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    stopped();
    for (const id of [...awaiting.keys()]) acknowledged(id, false);
    if (!stopping) fail(new Error(`the collector thread exited (code ${code})`));
  });
  // Subscriptions the thread has not confirmed yet; a gone thread confirms nothing, so exit releases them.
  const awaiting = new Map<number, (inEffect: boolean) => void>();
  const acknowledged = (id: number, inEffect: boolean) => {
    awaiting.get(id)?.(inEffect);
    awaiting.delete(id);
  };
  const unwatch = bus.watchSubscriptions({
    subscribed: (id, spec) => new Promise<boolean>((resolve) => {
      if (exited) return resolve(false);
      awaiting.set(id, resolve);
      send({ type: 'subscribe', id, spec });
    }),
    unsubscribed: (id) => send({ type: 'unsubscribe', id }),
  });
  log.info({ relays: data.relays.map((r) => r.key) }, 'collectors started in their own thread');

  return {
    failure,
    /** Every call waits for the same stop. */
    stop() {
      stopping ??= (async () => {
        unwatch();
        send({ type: 'stop' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), stopTimeoutMs); });
        if (await Promise.race([stoppedOnce.then(() => false), timedOut])) {
          log.error({ timeoutMs: stopTimeoutMs }, 'the collector thread did not stop in time; terminating it');
        }
        clearTimeout(timer);
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
