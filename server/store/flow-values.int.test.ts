/**
 * readFlowValues over demo traffic stored by the FlowWriter (flows and their edge rollups), on
 * PostgreSQL and PGlite: values agree with what the stored flows hold and are ranked by flows,
 * prefixes and windows narrow them, the scan stays within its row budget, the closed sets (verdicts,
 * drop reasons, protocols) put what was seen first, and hostile prefixes are only ever data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowValuesQuery, type FlowValuesQuery } from '../../lib/api/flow-values';
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict } from '../../lib/flow/enums';
import type { Endpoint, Flow, FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { createDemoTraffic } from '../demo/traffic';
import { createFlowWriter } from './flow-writer';
import { readFlowValues } from './flow-values';
import { createPartitionManager } from './partitions';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const FROM_MS = NOW_MS - 30 * 60_000;
const WINDOW_MS = 150_000;

const traffic = createDemoTraffic({
  seed: 23, rateFlowsPerS: 30, defaultTimeline: false,
  incidents: [{ name: 'policy-change', fromMs: FROM_MS + 20_000, toMs: FROM_MS + 60_000 }],
});
const stored: FlowsResponse[] = traffic.flowsBetween(FROM_MS, FROM_MS + WINDOW_MS)
  .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
const flows = stored.map((r) => r.flow!);
const timeMs = (f: Flow) => Date.parse(f.time!);
const timeNs = (f: Flow) => timestampToNs(parseTimestamp(f.time!)!);

function query(params: Record<string, string>): FlowValuesQuery {
  const r = parseFlowValuesQuery(new URLSearchParams(params), NOW_MS);
  if (!r.ok) throw new Error(r.error);
  return r.query;
}

/** Values ranked as the store ranks them: by count, then by value; each occurrence counts once. */
function ranked(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([v]) => v);
}

const endpoints = (f: Flow): Endpoint[] => [f.source, f.destination].filter((e): e is Endpoint => e !== undefined);
const namespaces = (fs: readonly Flow[]) => fs.flatMap((f) => endpoints(f).map((e) => e.namespace).filter((n): n is string => !!n));
const pods = (fs: readonly Flow[]) => fs.flatMap((f) => endpoints(f).filter((e) => e.namespace && e.pod_name).map((e) => `${e.namespace}/${e.pod_name}`));

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['postgres', () => withTestSchema('flow_values')],
  ['pglite', openTestPglite],
];

describe.each(drivers)('flow values on %s', (_, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    const writer = createFlowWriter(t.db, { partitions: createPartitionManager(t.db) });
    for (let i = 0; i < stored.length; i += 500) await writer.write(stored.slice(i, i + 500));
  });
  afterAll(() => t?.cleanup());

  it('answers every namespace of the stored flows, most flows first', async () => {
    const want = ranked(namespaces(flows));
    expect(want.length).toBeGreaterThan(3);
    expect(await readFlowValues(t.db, query({ field: 'namespace', limit: '500' }))).toEqual(want);
    expect(await readFlowValues(t.db, query({ field: 'namespace', limit: '2' }))).toEqual(want.slice(0, 2));
  });

  it('matches the prefix case-insensitively anywhere, values starting with it first', async () => {
    const got = await readFlowValues(t.db, query({ field: 'pod', prefix: 'SHOP/', limit: '500' }));
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(ranked(pods(flows)).filter((p) => p.startsWith('shop/')));
    const inner = await readFlowValues(t.db, query({ field: 'pod', prefix: 'front', limit: '500' }));
    const starts = inner.filter((p) => p.toLowerCase().startsWith('front'));
    expect(inner.slice(0, starts.length)).toEqual(starts);
    expect(inner.length).toBeGreaterThan(0);
    for (const p of inner) expect(p.toLowerCase()).toContain('front');
  });

  it('answers pods, workloads, labels, ports, names and nodes in the form their flags take', async () => {
    const all = async (field: string) => readFlowValues(t.db, query({ field, limit: '500' }));
    expect(new Set(await all('pod'))).toEqual(new Set(pods(flows)));
    const workloads = flows.flatMap((f) => endpoints(f).flatMap((e) => (e.workloads ?? []).map((w) => `${w.kind ?? ''}/${w.name ?? ''}`)));
    expect(new Set(await all('workload'))).toEqual(new Set(workloads));
    const labels = flows.flatMap((f) => endpoints(f).flatMap((e) => e.labels ?? []));
    expect(ranked(labels).slice(0, 500)).toEqual(await all('label'));
    // The rollups count a reply on its request's edge: the server's port is the reply's source port.
    const ports = flows.map((f) => {
      const pair = f.l4?.TCP ?? f.l4?.UDP ?? f.l4?.SCTP;
      return f.is_reply ? pair?.source_port : pair?.destination_port;
    }).filter((p) => !!p);
    expect(new Set(await all('port'))).toEqual(new Set(ports.map(String)));
    expect(new Set(await all('node'))).toEqual(new Set(flows.map((f) => f.node_name)));
    const names = flows.flatMap((f) => [...(f.source_names ?? []), ...(f.destination_names ?? [])]);
    expect(new Set(await all('fqdn'))).toEqual(new Set(names));
  });

  it('looks only in the window, to the rollup bucket', async () => {
    const since = new Date(FROM_MS + 61_000).toISOString();
    const until = new Date(FROM_MS + 65_000).toISOString();
    const boundsNs = [since, until].map((b) => BigInt(Date.parse(b)) * 1_000_000n);
    // No flow within a millisecond of a bound, so the microsecond column and these ns agree.
    expect(flows.filter((f) => boundsNs.some((b) => (timeNs(f) > b ? timeNs(f) - b : b - timeNs(f)) < 1_000_000n))).toEqual([]);
    const inWindow = flows.filter((f) => timeNs(f) >= boundsNs[0] && timeNs(f) <= boundsNs[1]);
    expect(inWindow.length).toBeGreaterThan(0);
    const got = await readFlowValues(t.db, query({ field: 'pod', since, until, limit: '500' }));
    expect(got).toEqual(ranked(pods(inWindow)));
    // The rollups count per minute: the window's minute is what they can tell.
    const minute = flows.filter((f) => Math.floor(timeMs(f) / 60_000) === Math.floor(Date.parse(since) / 60_000));
    expect(await readFlowValues(t.db, query({ field: 'namespace', since, until, limit: '500' }))).toEqual(ranked(namespaces(minute)));
  });

  it('reads no more rows than its budget: the newest ones', async () => {
    const newestNs = flows.map(timeNs).reduce((a, b) => (b > a ? b : a));
    const got = await readFlowValues(t.db, query({ field: 'pod', limit: '500' }), { edgeRows: 1, flowRows: 1 });
    // Flows stored within the same microsecond tie; any of them may be the newest row.
    const newestTime = flows.filter((f) => newestNs - timeNs(f) < 1000n);
    expect(got.length).toBeGreaterThan(0);
    for (const p of got) expect(pods(newestTime)).toContain(p);
    expect(got.length).toBeLessThanOrEqual(2);
    const ns = await readFlowValues(t.db, query({ field: 'namespace', limit: '500' }), { edgeRows: 1, flowRows: 1 });
    expect(ns.length).toBeLessThanOrEqual(2);
  });

  it('puts the verdicts, drop reasons and protocols seen first, then the rest of the closed set', async () => {
    const verdicts = await readFlowValues(t.db, query({ field: 'verdict', limit: '500' }));
    const seen = ranked(flows.map((f) => String(f.verdict)));
    expect(seen).toContain('DROPPED');
    expect(verdicts.slice(0, seen.length)).toEqual(seen);
    expect(new Set(verdicts)).toEqual(new Set(Verdict.names.filter((n) => n !== 'VERDICT_UNKNOWN')));
    expect(await readFlowValues(t.db, query({ field: 'verdict', prefix: 'dro' }))).toEqual(['DROPPED']);

    const reasons = await readFlowValues(t.db, query({ field: 'drop_reason', limit: '500' }));
    const seenReasons = ranked(flows.filter((f) => f.verdict === 'DROPPED').map((f) => String(f.drop_reason_desc)));
    expect(seenReasons.length).toBeGreaterThan(0);
    expect(reasons.slice(0, seenReasons.length)).toEqual(seenReasons);
    expect(new Set(reasons)).toEqual(new Set(DropReason.names.filter((n) => n !== 'DROP_REASON_UNKNOWN')));
    const policy = await readFlowValues(t.db, query({ field: 'drop_reason', prefix: 'policy_den', limit: '500' }));
    expect(new Set(policy)).toEqual(new Set(['POLICY_DENIED', 'POLICY_DENY']));
    expect(policy[0]).toBe(seenReasons.find((r) => r.startsWith('POLICY_DEN')) ?? 'POLICY_DENIED');

    const protocols = await readFlowValues(t.db, query({ field: 'protocol', limit: '500' }));
    const l7 = (f: Flow) => (f.l7?.http ? 'http' : f.l7?.dns ? 'dns' : f.l7?.kafka ? 'kafka' : undefined);
    const seenProtocols = ranked(flows.flatMap((f) => [Object.keys(f.l4 ?? {})[0]?.toLowerCase(), l7(f)].filter((p): p is string => !!p)));
    expect(seenProtocols).toEqual(expect.arrayContaining(['tcp', 'udp', 'http', 'dns']));
    expect(protocols.slice(0, seenProtocols.length)).toEqual(seenProtocols);
    expect(protocols).toEqual(expect.arrayContaining(['icmp', 'icmpv4', 'icmpv6', 'sctp', 'kafka']));
    expect(new Set(protocols).size).toBe(protocols.length);
  });

  it('treats a hostile prefix as data', async () => {
    for (const prefix of [`%`, `_`, `'; DROP TABLE flows; --`, `\\`, `shop%`, `{}`]) {
      const got = await readFlowValues(t.db, query({ field: 'label', prefix, limit: '500' }));
      for (const v of got) expect(v.toLowerCase()).toContain(prefix.toLowerCase());
    }
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows'))[0].n).toBe(stored.length);
  });
});
