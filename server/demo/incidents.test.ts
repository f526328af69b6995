import { describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/flow/flow';
import { parseTimestamp, timestampToMs } from '../../lib/time/timestamp';
import {
  DEFAULT_CYCLE_MS, DEFAULT_TIMELINE, INCIDENT_DESCRIPTIONS, INCIDENT_NAMES, createIncidentSchedule, defaultTimelineWindows,
  incidentBit, incidentWindow, type IncidentName,
} from './incidents';
import { createDemoTraffic } from './traffic';

const MIN = 60_000;
/** A cycle start of the default timeline: cycles start every 20 minutes from the epoch. */
const CYCLE = Date.UTC(2024, 4, 1, 12, 0, 0);

const ms = (f: Flow) => timestampToMs(parseTimestamp(f.time!)!);
const isFrontendToApiDrop = (f: Flow) => f.verdict === 'DROPPED' && f.source?.workloads?.[0]?.name === 'frontend'
  && f.destination?.workloads?.[0]?.name === 'api';

describe('incident timeline', () => {
  it('names the incidents and describes them', () => {
    expect([...INCIDENT_NAMES]).toEqual(['policy-change', 'dns-failure', 'backend-503']);
    for (const n of INCIDENT_NAMES) expect(INCIDENT_DESCRIPTIONS[n]).toBeTruthy();
    expect(new Set(INCIDENT_NAMES.map(incidentBit)).size).toBe(3);
  });

  it('repeats every 20 minutes from the epoch: policy-change 2–7, dns-failure 10–12, backend-503 15–19', () => {
    const s = createIncidentSchedule();
    expect(CYCLE % DEFAULT_CYCLE_MS).toBe(0);
    const at = (minute: number) => s.activeAt(CYCLE + minute * MIN);
    expect(at(0)).toEqual([]);
    expect(at(1.99)).toEqual([]);
    expect(at(2)).toEqual(['policy-change']);
    expect(at(6.99)).toEqual(['policy-change']);
    expect(at(7)).toEqual([]);
    expect(at(11)).toEqual(['dns-failure']);
    expect(at(12)).toEqual([]);
    expect(at(15)).toEqual(['backend-503']);
    expect(at(19.5)).toEqual([]);
    expect(at(20 + 3)).toEqual(['policy-change']);
    expect(s.activeAt(CYCLE - DEFAULT_CYCLE_MS * 1000 + 16 * MIN)).toEqual(['backend-503']);
  });

  it('lists the concrete windows of the default timeline', () => {
    const windows = defaultTimelineWindows(CYCLE, CYCLE + 2 * DEFAULT_CYCLE_MS);
    expect(windows).toHaveLength(2 * DEFAULT_TIMELINE.length);
    expect(windows[0]).toEqual({ name: 'policy-change', fromMs: CYCLE + 2 * MIN, toMs: CYCLE + 7 * MIN });
    expect(defaultTimelineWindows(CYCLE + 8 * MIN, CYCLE + 9 * MIN)).toEqual([]);
  });

  it('adds explicit windows, with or without the default timeline', () => {
    const now = CYCLE + 30_000;
    const s = createIncidentSchedule({ incidents: [incidentWindow('dns-failure', now, now + MIN)], defaultTimeline: false });
    expect(s.activeAt(now - 1)).toEqual([]);
    expect(s.activeAt(now)).toEqual(['dns-failure']);
    expect(s.activeAt(now + MIN)).toEqual([]);
    expect(s.activeAt(CYCLE + 3 * MIN)).toEqual([]);
    const both = createIncidentSchedule({ incidents: [incidentWindow('backend-503', CYCLE + 3 * MIN, CYCLE + 4 * MIN)] });
    expect(both.activeAt(CYCLE + 3.5 * MIN)).toEqual(['policy-change', 'backend-503']);
    expect(() => incidentWindow('meteor' as IncidentName, 0, 1)).toThrow(/unknown incident/);
    expect(() => incidentWindow('dns-failure', 10, 5)).toThrow(/invalid/);
  });
});

describe('incidents in the traffic', () => {
  const from = CYCLE + 60_000;
  const opts = (name: IncidentName) => ({
    seed: 11, rateFlowsPerS: 400, defaultTimeline: false, incidents: [incidentWindow(name, from, from + 20_000)],
  });

  it('policy-change drops frontend → api on TCP 8080, naming the updated policy, only inside the window', () => {
    const flows = createDemoTraffic(opts('policy-change')).flowsBetween(from - 20_000, from + 40_000);
    const drops = flows.filter(isFrontendToApiDrop);
    expect(drops.length).toBeGreaterThan(20);
    for (const f of drops) {
      expect(ms(f)).toBeGreaterThanOrEqual(from);
      expect(ms(f)).toBeLessThan(from + 21_000);
      expect(f.drop_reason_desc).toBe('POLICY_DENIED');
      expect(f.l4?.TCP?.destination_port).toBe(8080);
      expect(f.traffic_direction).toBe('INGRESS');
      expect(f.ingress_denied_by?.[0]).toMatchObject({ name: 'api-ingress', namespace: 'shop', kind: 'CiliumNetworkPolicy' });
    }
    expect(drops.some((f) => f.event_type?.type === 1 && f.event_type.sub_type === 133)).toBe(true);
    const before = flows.filter((f) => ms(f) < from);
    expect(before.some(isFrontendToApiDrop)).toBe(false);
    expect(before.some((f) => f.source?.workloads?.[0]?.name === 'frontend' && f.destination?.workloads?.[0]?.name === 'api' && f.Type === 'L7')).toBe(true);
    const inside = flows.filter((f) => ms(f) >= from && ms(f) < from + 20_000);
    expect(inside.some((f) => f.l7?.http?.code === 502 && f.destination?.workloads?.[0]?.name === 'ingress-nginx-controller')).toBe(true);
  });

  it('policy-change of the default timeline runs at minute 2 of every cycle', () => {
    const src = createDemoTraffic({ seed: 3, rateFlowsPerS: 300 });
    expect(src.flowsBetween(CYCLE + 3 * MIN, CYCLE + 3 * MIN + 10_000).some(isFrontendToApiDrop)).toBe(true);
    expect(src.flowsBetween(CYCLE + 8 * MIN, CYCLE + 8 * MIN + 10_000).some(isFrontendToApiDrop)).toBe(false);
  });

  it('dns-failure makes CoreDNS fail payments.payments.svc.cluster.local. for checkout', () => {
    const flows = createDemoTraffic(opts('dns-failure')).flowsBetween(from - 20_000, from + 40_000);
    const failing = flows.filter((f) => f.l7?.dns?.query === 'payments.payments.svc.cluster.local.' && (f.l7.dns.rcode === 3 || f.l7.dns.rcode === 2));
    expect(failing.length).toBeGreaterThan(10);
    expect(new Set(failing.map((f) => f.l7!.dns!.rcode))).toEqual(new Set([2, 3]));
    for (const f of failing) {
      expect(ms(f)).toBeGreaterThanOrEqual(from);
      expect(f.destination?.workloads?.[0]?.name).toBe('checkout');
    }
    expect(failing.some((f) => f.Summary?.includes('RCode: Server Failure'))).toBe(true);
  });

  it('backend-503 makes checkout answer api with 503s, and api pass them on', () => {
    const flows = createDemoTraffic(opts('backend-503')).flowsBetween(from - 20_000, from + 40_000);
    const errors = flows.filter((f) => f.l7?.http?.code === 503);
    expect(errors.length).toBeGreaterThan(20);
    for (const f of errors) expect(ms(f)).toBeGreaterThanOrEqual(from);
    expect(errors.some((f) => f.source?.workloads?.[0]?.name === 'checkout' && f.destination?.workloads?.[0]?.name === 'api')).toBe(true);
    expect(errors.some((f) => f.source?.workloads?.[0]?.name === 'api' && f.destination?.workloads?.[0]?.name === 'frontend')).toBe(true);
  });
});
