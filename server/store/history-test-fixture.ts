/**
 * Test code only: a store holding demo flows from several days (4 days ago, 3 days ago, 1 day ago
 * and the last seconds), served by the history observer over real gRPC on loopback, with a
 * RelayClient to ask it and a LiveBus of its own for follow.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { createDemoTraffic } from '../demo/traffic';
import type { IncidentWindow } from '../demo/incidents';
import { startObserverServer, type ObserverServer } from '../hubble/observer-server';
import { RelayClient } from '../hubble/relay-client';
import { LiveBus } from '../live/live-bus';
import { createFlowWriter, type FlowWriter } from './flow-writer';
import { createHistoryObserver, type HistoryObserverOptions } from './history-observer';
import { recordRelayStatus } from './ingest-records';
import { createPartitionManager } from './partitions';
import type { TestDb } from './test-db';

export const DAY_MS = 86_400_000;
/**
 * The observer's clock in these tests: fixed, so the demo traffic (a function of time) and thus every
 * count below is the same on every run.
 */
export const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const WINDOW_MS = 3_000;
/** Window starts: one outside a 72 h range, three inside it, the last ending 0.5 s before now. */
export const WINDOW_STARTS = [NOW_MS - 4 * DAY_MS, NOW_MS - 3 * DAY_MS + 600_000, NOW_MS - DAY_MS, NOW_MS - WINDOW_MS - 500];

// The policy-change incident drops frontend → api, so every window holds DROPPED flows.
const incidents: IncidentWindow[] = [...WINDOW_STARTS, NOW_MS].map((fromMs) => ({ name: 'policy-change', fromMs, toMs: fromMs + 5_000 }));
const traffic = createDemoTraffic({ seed: 23, rateFlowsPerS: 50, incidents, defaultTimeline: false });

/** Demo flows of [fromMs, toMs) as a relay sends them. */
export function demoResponses(fromMs: number, toMs: number): FlowsResponse[] {
  return traffic.flowsBetween(fromMs, toMs).map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
}

export interface HistoryFixture {
  t: TestDb;
  writer: FlowWriter;
  /** Every stored response, by flow uuid. */
  stored: Map<string, FlowsResponse>;
  bus: LiveBus;
  server: ObserverServer;
  client: RelayClient;
  stop(): Promise<void>;
}

/** Stores the demo windows (and one relay_status sample) and serves them. */
export async function openHistoryFixture(open: () => Promise<TestDb>, options: Partial<HistoryObserverOptions> = {}): Promise<HistoryFixture> {
  const t = await open();
  const writer = createFlowWriter(t.db, { partitions: createPartitionManager(t.db) });
  const stored = new Map<string, FlowsResponse>();
  for (const fromMs of WINDOW_STARTS) {
    const batch = demoResponses(fromMs, fromMs + WINDOW_MS);
    await writer.write(batch);
    for (const r of batch) stored.set(r.flow?.uuid as string, r);
  }
  await recordRelayStatus(t.db, { time: NOW_MS - 5_000, relay: 'demo', connected: true, connectedNodes: 4, unavailableNodes: 1 });
  const bus = new LiveBus();
  const backend = createHistoryObserver({ db: t.db, live: bus, clock: () => NOW_MS, pageSize: 50, ...options });
  const server = await startObserverServer({ backend, listen: '127.0.0.1:0', shutdownGraceMs: 500 });
  const client = new RelayClient({ address: server.address });
  return {
    t, writer, stored, bus, server, client,
    async stop() {
      client.close();
      await server.stop();
      await t.cleanup();
    },
  };
}

/** Every response of a stream that ends by itself. */
export async function collect(stream: AsyncIterable<FlowsResponse>): Promise<FlowsResponse[]> {
  const out: FlowsResponse[] = [];
  for await (const r of stream) out.push(r);
  return out;
}

export const uuidsOf = (responses: readonly FlowsResponse[]): string[] =>
  responses.filter((r) => r.flow).map((r) => r.flow?.uuid as string);

/** Reads a follow stream one response at a time, failing after `timeoutMs` of silence. */
export class StreamReader {
  private readonly iterator: AsyncIterator<FlowsResponse>;

  constructor(stream: AsyncIterable<FlowsResponse>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 5_000): Promise<FlowsResponse> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([this.iterator.next(), timeout]);
      if (result.done) throw new Error('the stream ended');
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  async take(count: number): Promise<FlowsResponse[]> {
    const out: FlowsResponse[] = [];
    while (out.length < count) out.push(await this.next());
    return out;
  }
}
