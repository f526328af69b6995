/**
 * A newer relay sends fields and enum values this build does not know, and an event type it has
 * never heard of. The collector neither crashes nor reconnects: every flow is stored, unknown enum
 * numbers are kept as numbers, and the lost_events and node_status it does understand are recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { createDemoTraffic } from '../demo/traffic';
import { RelayClient } from '../hubble/relay-client';
import { liveBus } from '../live/live-bus';
import { listGaps } from '../store/ingest-records';
import { openTestPglite, withTestSchema, type TestDb } from '../store/test-db';
import { startCollector } from './collector';
import { countStored, rollupTotals, waitFor } from './testing/ingest-checks';
import { startFutureRelay, withUnknownFields } from './testing/future-relay';
import { flowsResponseFromPb, flowsResponseToPb, type PbObject } from '../hubble/flow-pb';
import { loadHubbleProto } from '../hubble/load-proto';

const RELAY = 'future-relay';
const START_MS = Date.UTC(2026, 4, 4, 12, 0, 0);
const flows = createDemoTraffic({ seed: 5, rateFlowsPerS: 300 }).flowsBetween(START_MS, START_MS + 1_000);

/** A third of the flows carry enum numbers no version of our protos names. */
function future(i: number, flow: (typeof flows)[number]): FlowsResponse {
  const f = { ...flow };
  if (i % 3 === 0) Object.assign(f, { verdict: 99 });
  if (i % 3 === 1) {
    Object.assign(f, { traffic_direction: 7, trace_observation_point: 42, drop_reason_desc: 9_999, Type: 9 });
    if (f.l7) f.l7 = { ...f.l7, type: 17 as never };
  }
  return { flow: f, node_name: f.node_name, time: f.time };
}

const responses: Array<{ response: FlowsResponse; unknownEvent?: boolean }> = [
  { response: { node_status: { state_change: 17 as never, node_names: ['demo/worker-9'], message: 'a state from the future' }, node_name: 'demo/relay', time: '2026-05-04T11:59:59Z' } },
  ...flows.slice(0, 100).map((f, i) => ({ response: future(i, f) })),
  // An event of a type added to the oneof later: nothing this build can read but its time.
  { response: { node_name: 'demo/worker-1', time: '2026-05-04T12:00:00.5Z' }, unknownEvent: true },
  { response: { lost_events: { source: 42 as never, num_events_lost: '5' }, node_name: 'demo/worker-2', time: '2026-05-04T12:00:00.6Z' } },
  ...flows.slice(100).map((f, i) => ({ response: future(i + 100, f) })),
];

describe('the relay from the future', () => {
  it('really sends fields and enum values our protos do not have', () => {
    const { GetFlows } = loadHubbleProto().observerService;
    const response = future(0, flows[0]);
    const plain = GetFlows.responseSerialize(flowsResponseToPb(response));
    const extended = withUnknownFields(plain, true);
    expect(extended.length).toBeGreaterThan(plain.length + 40);
    expect(extended.includes(Buffer.from('a field from a newer Cilium'))).toBe(true);
    const decoded = flowsResponseFromPb(GetFlows.responseDeserialize(extended) as PbObject);
    expect(decoded.flow?.verdict).toBe(99);
    expect(decoded.flow?.uuid).toBe(flows[0].uuid);
  });
});

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('ingest_future')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('collector and a relay from the future (%s)', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => { t = await open(); });
  afterAll(() => t?.cleanup());

  it('stores every flow and keeps unknown enum values', async () => {
    const relay = await startFutureRelay(responses);
    const client = new RelayClient({ address: relay.address });
    const states: string[] = [];
    const collector = startCollector({
      client, relayLabel: relay.address, relayKey: RELAY, demo: false, db: t.db, batchMaxDelayMs: 50,
    });
    const onStatus = (s: { state: string }) => states.push(s.state);
    liveBus().on('status', onStatus);
    try {
      await waitFor('every flow to be stored', async () => (await countStored(t.db)) === flows.length, 20_000);
      // The status is published every second.
      const status = await waitFor('the status to count every flow', () => {
        const s = liveBus().status();
        return s?.flowsReceived === flows.length && s;
      }, 3_000);
      expect(status).toMatchObject({ state: 'connected', lastError: undefined, flowsStored: flows.length, droppedFlows: 0, lostEvents: 5 });
    } finally {
      liveBus().off('status', onStatus);
      await collector.stop();
      client.close();
      await relay.stop();
    }
    // One connection for the whole run: nothing in the stream made the collector reconnect.
    expect(states).not.toContain('reconnecting');

    const keys = (await t.db.query<{ k: string }>('SELECT flow_key AS k FROM flows')).map((r) => r.k);
    expect(new Set(keys)).toEqual(new Set(flows.map((f) => f.uuid)));
    expect(await rollupTotals(t.db)).toEqual({ minute: flows.length, hour: flows.length });
    const column = async (sql: string) => Number((await t.db.query<{ n: number }>(sql))[0].n);
    expect(await column('SELECT count(*)::int AS n FROM flows WHERE verdict = 99')).toBe(Math.ceil(flows.length / 3));
    expect(await column('SELECT count(*)::int AS n FROM flows WHERE traffic_direction = 7 AND observation_point = 42 AND drop_reason = 9999 AND flow_type = 9'))
      .toBe(Math.floor((flows.length + 1) / 3));
    const [raw] = await t.db.query<{ raw: string }>('SELECT raw FROM flows WHERE verdict = 99 LIMIT 1');
    expect(JSON.parse(raw.raw).flow.verdict).toBe(99);
    // The fields we do not know are not kept (protobuf skips them); the ones we know are intact.
    expect(raw.raw).not.toContain('newer Cilium');

    expect(await listGaps(t.db, { relay: RELAY })).toMatchObject([
      { kind: 'lost-events', lostFlows: 5, toTime: '2026-05-04T12:00:00.600000Z', detail: '42 on demo/worker-2' },
    ]);
    const events = await t.db.query<{ node: string; state: string }>('SELECT node, state FROM node_events WHERE relay = $1', [RELAY]);
    expect(events).toEqual([{ node: 'demo/worker-9', state: '17' }]);
  }, 60_000);
});
