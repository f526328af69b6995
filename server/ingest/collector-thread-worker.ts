/**
 * The collector thread's side (collector-thread.ts): its own PostgreSQL pool, one collector per
 * relay, and messages to the main thread. This thread's live bus holds a copy of each of the main
 * thread's live subscriptions (so the collectors keep decoded flows only while one exists, as in
 * one thread); what each takes of a committed batch is gathered and sent over in one message,
 * each flow once however many subscriptions take it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RelayClient } from '../hubble/relay-client';
import type { FlowsResponse } from '../../lib/flow/flow';
import { IN_EFFECT_TIMEOUT_MS, liveBus, type FlowRoute, type FlowSubscriptionSpec } from '../live/live-bus';
import { logger, setLogLevel } from '../log/logger';
import { opsMetrics } from '../ops/ops-metrics';
import { createPartitionManager } from '../store/partitions';
import { openPgDb } from '../store/pg-db';
import type { CollectorThreadData, MainToThread, ThreadToMain } from './collector-thread';
import { startRelayCollectors } from './relay-collectors';

const port = parentPort;
if (!port) throw new Error('collector-thread-worker.ts runs only as a worker thread (see collector-thread.ts)');
const data = workerData as CollectorThreadData;
setLogLevel(data.logLevel);
const log = logger('collector');
const post = (message: ThreadToMain) => port.postMessage(message);

const metrics = opsMetrics();
const postMetrics = () => post({ type: 'metrics', batchWrites: metrics.batchWrites.snapshot(), batchWriteSeconds: metrics.batchWriteSeconds.snapshot() });

// Writers, resume probes, relay samples and resume-point updates: a few connections per relay.
const db = openPgDb({ connectionString: data.databaseUrl, maxConnections: Math.min(10, 2 + 2 * data.relays.length) });
const relays = data.relays.map((r) => ({ cluster: r.cluster, key: r.key, demo: r.demo, client: new RelayClient({ address: r.address, tls: data.relayTls }) }));
const collectors = startRelayCollectors({
  relays, db, partitions: createPartitionManager(db),
  // The write metrics go first, so that /metrics never shows flows stored by writes it has not counted.
  publishStatus: (status) => {
    postMetrics();
    post({ type: 'status', status });
  },
});

const bus = liveBus();
const subscriptions = new Map<number, () => void>();

/** What the subscriptions took of the batch being published; sent once its publishing is over. */
let taken: { flows: FlowsResponse[]; index: Map<FlowsResponse, number>; routes: FlowRoute[] } | undefined;

function take(id: number, responses: readonly FlowsResponse[], limited: number): void {
  if (!taken) {
    const batch = (taken = { flows: [], index: new Map(), routes: [] });
    // The bus calls every subscription's listener for a batch in one go: send when it is done.
    queueMicrotask(() => {
      taken = undefined;
      post({ type: 'flows', flows: batch.flows, routes: batch.routes });
    });
  }
  const { flows, index, routes } = taken;
  routes.push([id, responses.map((r) => {
    let i = index.get(r);
    if (i === undefined) index.set(r, (i = flows.push(r) - 1));
    return i;
  }), limited]);
}

/** Subscribes, then confirms once flows that arrived before are committed (LiveBus.subscriptionsInEffect). */
async function subscribe(id: number, spec: FlowSubscriptionSpec): Promise<void> {
  try {
    subscriptions.set(id, bus.subscribeFlows((responses, limited) => take(id, responses, limited), spec));
  } catch (err) {
    // The main thread compiled the same filters before it subscribed; this is not expected.
    log.error({ err }, 'a live subscription could not be made in the collector thread');
    post({ type: 'subscribed', id, inEffect: false });
    return;
  }
  // A little under the main thread's own wait, so that its answer arrives in time.
  post({ type: 'subscribed', id, inEffect: await bus.subscriptionsInEffect(IN_EFFECT_TIMEOUT_MS - 1_000) });
}

async function stop(): Promise<void> {
  try {
    // What the collectors write while they stop is still published to the subscriptions.
    await collectors.stop();
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    postMetrics();
    await db.close();
  } catch (err) {
    log.error({ err }, 'the collector thread did not stop cleanly');
  }
  post({ type: 'stopped' });
  port?.close();
}

port.on('message', (message: MainToThread) => {
  switch (message.type) {
    case 'subscribe':
      void subscribe(message.id, message.spec);
      break;
    case 'unsubscribe':
      subscriptions.get(message.id)?.();
      subscriptions.delete(message.id);
      break;
    case 'stop':
      void stop();
      break;
  }
});
