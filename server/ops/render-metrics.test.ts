/**
 * The whole /metrics text over a migrated PGlite and a fixed collector status: valid exposition,
 * the documented names, and values that follow the status and the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import type { Queryable } from '../store/db';
import { recordGaps } from '../store/ingest-records';
import { openTestPglite, type TestDb } from '../store/test-db';
import { createOpsMetrics } from './ops-metrics';
import { renderMetrics } from './render-metrics';
import { parseExposition, type ParsedFamily } from './testing/parse-exposition';

const NOW_MS = Date.parse('2026-03-01T10:00:30Z');

const status: IngestStatus = {
  relayAddr: 'hubble-relay.kube-system.svc:80', demo: false, state: 'connected', sinceMs: NOW_MS - 60_000,
  flowsReceived: 1500, flowsPerS: 25, lostEvents: 7, nodesConnected: 3, nodesUnavailable: 1,
  lastFlowTime: '2026-03-01T10:00:29.9Z', flowsStored: 1490, duplicateFlows: 4, droppedFlows: 1, queuedFlows: 5,
  newestStoredFlowTime: '2026-03-01T10:00:28.500000001Z', verdicts: { FORWARDED: 1400, DROPPED: 100 }, atMs: NOW_MS,
};

const metrics = createOpsMetrics;

function values(family: ParsedFamily | undefined): Record<string, number> {
  if (!family) throw new Error('family missing');
  return Object.fromEntries(family.samples.map((s) => [JSON.stringify(s.labels), s.value]));
}

describe('renderMetrics', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestPglite();
    await recordGaps(t.db, [
      { relay: 'r', kind: 'lost-events', fromTime: NOW_MS - 5000, toTime: NOW_MS - 4000, lostFlows: 40 },
      { relay: 'r', kind: 'lost-events', fromTime: NOW_MS - 3000, toTime: NOW_MS - 2000, lostFlows: 2 },
      { relay: 'r', kind: 'relay-unreachable', fromTime: NOW_MS - 9000, toTime: NOW_MS - 8000 },
    ]);
  });
  afterAll(() => t?.cleanup());

  it('exposes every family, valid, with values from the status and the database', async () => {
    const m = metrics();
    m.batchWrites.inc({ outcome: 'ok' }, 3);
    m.batchWriteSeconds.observe(0.05);
    const text = await renderMetrics({ db: async () => t.db, status: () => status, metrics: m, nowMs: () => NOW_MS });
    const families = parseExposition(text);
    for (const [name, family] of families) {
      expect(name).toMatch(/^hubble_dashboard_/);
      expect(family.help.length, name).toBeGreaterThan(10);
      if (family.type === 'counter') expect(name).toMatch(/_total$/);
    }
    expect(values(families.get('hubble_dashboard_flows_received_total'))).toEqual({ '{"verdict":"DROPPED"}': 100, '{"verdict":"FORWARDED"}': 1400 });
    expect(values(families.get('hubble_dashboard_flows_stored_total'))).toEqual({ '{}': 1490 });
    expect(values(families.get('hubble_dashboard_flows_duplicate_total'))).toEqual({ '{}': 4 });
    expect(values(families.get('hubble_dashboard_flows_dropped_total'))).toEqual({ '{}': 1 });
    expect(values(families.get('hubble_dashboard_flows_queued'))).toEqual({ '{}': 5 });
    expect(values(families.get('hubble_dashboard_lost_events_total'))).toEqual({ '{}': 7 });
    expect(values(families.get('hubble_dashboard_relay_connected'))).toEqual({ '{"relay":"hubble-relay.kube-system.svc:80"}': 1 });
    expect(values(families.get('hubble_dashboard_relay_nodes'))).toEqual({ '{"state":"connected"}': 3, '{"state":"unavailable"}': 1 });
    expect(values(families.get('hubble_dashboard_ingest_lag_seconds'))['{}']).toBeCloseTo(1.5, 6);
    expect(values(families.get('hubble_dashboard_newest_stored_flow_timestamp_seconds'))['{}']).toBeCloseTo(NOW_MS / 1000 - 1.5, 6);
    expect(values(families.get('hubble_dashboard_ingest_batch_writes_total'))).toEqual({ '{"outcome":"ok"}': 3 });
    expect(values(families.get('hubble_dashboard_ingest_batch_write_seconds'))['{}']).toBe(1);
    expect(values(families.get('hubble_dashboard_database_up'))).toEqual({ '{}': 1 });
    expect(values(families.get('hubble_dashboard_database_size_bytes'))['{}']).toBeGreaterThan(100_000);
    expect(values(families.get('hubble_dashboard_gaps'))).toEqual({ '{"kind":"lost-events"}': 2, '{"kind":"relay-unreachable"}': 1 });
    expect(values(families.get('hubble_dashboard_gap_lost_flows'))).toEqual({ '{"kind":"lost-events"}': 42, '{"kind":"relay-unreachable"}': 0 });
    expect(families.get('hubble_dashboard_http_request_duration_seconds')?.type).toBe('histogram');
    expect(values(families.get('hubble_dashboard_process_resident_memory_bytes'))['{}']).toBeGreaterThan(1e6);
  });

  it('labels the demo cluster "demo" and reports a disconnected relay as 0', async () => {
    const text = await renderMetrics({
      db: async () => t.db, metrics: metrics(), nowMs: () => NOW_MS,
      status: () => ({ ...status, demo: true, relayAddr: '127.0.0.1:41234', state: 'reconnecting' }),
    });
    expect(values(parseExposition(text).get('hubble_dashboard_relay_connected'))).toEqual({ '{"relay":"demo"}': 0 });
  });

  it('gives each relay its own samples, labelled with its cluster, when the collector follows several', async () => {
    const east = { ...status, cluster: 'east', relay: 'east', verdicts: { FORWARDED: 10 } };
    const west = { ...status, cluster: 'west', relay: 'west', relayAddr: 'relay.west:443', state: 'reconnecting' as const, flowsStored: 7, newestStoredFlowTime: '2026-03-01T10:00:20Z', verdicts: { DROPPED: 3 } };
    const families = parseExposition(await renderMetrics({ db: async () => t.db, metrics: metrics(), nowMs: () => NOW_MS, status: () => ({ ...status, relays: [east, west] }) }));
    expect(values(families.get('hubble_dashboard_flows_received_total'))).toEqual({ '{"verdict":"FORWARDED","cluster":"east"}': 10, '{"verdict":"DROPPED","cluster":"west"}': 3 });
    expect(values(families.get('hubble_dashboard_flows_stored_total'))).toEqual({ '{"cluster":"east"}': 1490, '{"cluster":"west"}': 7 });
    expect(values(families.get('hubble_dashboard_relay_connected'))).toEqual({
      '{"relay":"hubble-relay.kube-system.svc:80","cluster":"east"}': 1, '{"relay":"relay.west:443","cluster":"west"}': 0,
    });
    expect(values(families.get('hubble_dashboard_relay_nodes'))['{"state":"connected","cluster":"west"}']).toBe(3);
    expect(values(families.get('hubble_dashboard_ingest_lag_seconds'))['{"cluster":"west"}']).toBeCloseTo(10, 6);
  });

  it('still answers, with database_up 0, when the database fails or hangs', async () => {
    const failing = async (): Promise<Queryable> => ({ query: () => Promise.reject(new Error('connection refused')) });
    const hanging = async (): Promise<Queryable> => ({ query: () => new Promise(() => undefined) });
    for (const db of [failing, hanging]) {
      const started = Date.now();
      const families = parseExposition(await renderMetrics({ db, status: () => status, metrics: metrics(), dbTimeoutMs: 200 }));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(values(families.get('hubble_dashboard_database_up'))).toEqual({ '{}': 0 });
      expect(families.get('hubble_dashboard_database_size_bytes')?.samples).toEqual([]);
      expect(values(families.get('hubble_dashboard_flows_stored_total'))).toEqual({ '{}': 1490 });
    }
  });

  it('has no ingest samples in a process without a collector', async () => {
    const families = parseExposition(await renderMetrics({ db: async () => t.db, status: () => undefined, metrics: metrics() }));
    for (const name of ['hubble_dashboard_flows_received_total', 'hubble_dashboard_relay_connected', 'hubble_dashboard_ingest_lag_seconds']) {
      expect(families.get(name)?.samples, name).toEqual([]);
    }
  });
});
