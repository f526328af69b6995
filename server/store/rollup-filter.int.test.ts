/**
 * Property test: for thousands of random FlowFilterSets that compileRollupFilter claims to answer,
 * the edge_minute and edge_hour rows it selects (as the collector wrote them) equal the flows the
 * in-memory matcher accepts, aggregated with EDGE_KEY_FROM_FLOWS per minute and per hour, on
 * PostgreSQL and on PGlite. The flows are demo traffic (incidents included: drops, DNS errors, HTTP
 * 5xx) plus seeded synthetic flows full of what the rollups fold: replies across namespaces and
 * clusters, unknown is_reply, unknown verdict and drop reason names and numbers, missing endpoints.
 * ROLLUP_FILTER_SEED=<n> replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';
import { compileFilters } from '../../lib/filter/match';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { ObserveArgsError } from '../../lib/filter/observe-args-error';
import { createDemoTraffic } from '../demo/traffic';
import type { Db } from './db';
import { EDGE_KEY, EDGE_KEY_FROM_FLOWS } from './edge-counts';
import { SqlParams } from './filter-sql-params';
import { flowKey } from './flow-row';
import { createFlowWriter } from './flow-writer';
import { compileRollupFilter } from './rollup-filter';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';
import { seededRandom as rng } from '../../lib/testing/seeded-random';

const SEED = Number(process.env.ROLLUP_FILTER_SEED ?? 20261127);

class Gen {
  constructor(readonly r: () => number) {}
  pick<T>(list: readonly T[]): T { return list[Math.floor(this.r() * list.length)]; }
  chance(p: number): boolean { return this.r() < p; }
  int(n: number): number { return Math.floor(this.r() * n); }
  some<T>(make: () => T, max = 3): T[] { return Array.from({ length: 1 + this.int(max) }, make); }
}

const NAMESPACES = ['shop', 'payments', 'kube-system', 'monitoring', 'data', 'team-a', `it's`];
const CLUSTERS = ['demo', 'mesh-b', 'prod', `it's`];
const VERDICTS = ['FORWARDED', 'DROPPED', 'DROPPED', 'AUDIT', 'ERROR', 'REDIRECTED', 9, 'FUTURE_VERDICT', 70000, undefined];
const REASONS = ['POLICY_DENIED', 'CT_MAP_INSERTION_FAILED', 'DROP_REASON_UNKNOWN', 181, 'FUTURE_REASON', 40000, undefined];
const DEMO_START_MS = Date.UTC(2026, 2, 1, 10, 0);

function endpoint(g: Gen, i: number): Flow['source'] {
  if (g.chance(0.05)) return undefined;
  return {
    identity: g.pick([1, 2, 6, 7, 1234, 5678]),
    namespace: g.pick([...NAMESPACES, undefined, '']),
    pod_name: g.pick([undefined, `api-${i % 3}`, 'coredns-abc', '']),
    labels: g.chance(0.3) ? [g.pick(['reserved:world', 'reserved:host', 'k8s:app=api'])] : undefined,
    workloads: g.chance(0.5) ? [{ name: g.pick(['api', 'coredns', 'prometheus']), kind: 'Deployment' }] : undefined,
    cluster_name: g.pick([...CLUSTERS, undefined]),
  };
}

function l7(g: Gen): Flow['l7'] {
  return g.pick<() => Flow['l7']>([
    () => undefined, () => undefined,
    () => ({ type: g.pick(['REQUEST', 'RESPONSE']), http: { code: g.pick([200, 503, 404, 0]), method: g.pick(['GET', 'POST', undefined]), url: 'http://api/x' } }),
    () => ({ type: 'RESPONSE', dns: { query: 'api.example.com.', rcode: g.pick([0, 3, 2]) } }),
    () => ({ type: 'REQUEST', dns: { query: 'api.example.com.' } }),
    () => ({ kafka: { topic: 'orders', error_code: g.pick([0, 7]) } }),
  ])();
}

function synthetic(g: Gen, i: number): FlowsResponse {
  const second = DEMO_START_MS / 1000 + 600 + Math.floor(i / 7);
  const ports = { source_port: g.pick([41000, 53, 8080]), destination_port: g.pick([53, 80, 8080, 41001]) };
  const flow = {
    time: new Date(second * 1000).toISOString().replace('.000Z', `.${String(i).padStart(9, '0')}Z`),
    uuid: `synthetic-${i}`,
    verdict: g.pick(VERDICTS), drop_reason_desc: g.pick(REASONS), is_reply: g.pick([true, false, undefined]),
    IP: { source: `10.0.${g.int(3)}.${g.int(5)}`, destination: g.pick(['10.0.1.2', '8.8.8.8', '203.0.113.9']), ipVersion: 'IPv4' },
    l4: g.pick([{ TCP: ports }, { UDP: ports }, { ICMPv4: { type: 8 } }, { SCTP: ports }, undefined]),
    source: endpoint(g, i), destination: endpoint(g, i + 1), l7: l7(g),
    destination_names: g.chance(0.2) ? ['api.example.com'] : undefined,
    destination_service: g.chance(0.3) ? { name: 'api', namespace: g.pick(NAMESPACES) } : undefined,
    egress_denied_by: g.chance(0.1) ? [{ name: 'deny-all', namespace: 'shop' }] : undefined,
  } as unknown as Flow;
  // Through jsonpb, as flows arrive: enum numbers become names, undefined fields disappear.
  return flowsResponseFromJson(JSON.stringify({ flow, time: flow.time })).response;
}

function loadFlows(): FlowsResponse[] {
  const traffic = createDemoTraffic({ seed: 5, rateFlowsPerS: 150, clusterName: 'demo' });
  // Normal traffic, then the policy-change (minutes 2-7), dns-failure (10-12) and backend-503 (15-19) incidents.
  const demo = [0, 3, 11, 16].flatMap((minute) => traffic.flowsBetween(DEMO_START_MS + minute * 60_000, DEMO_START_MS + minute * 60_000 + 4_000));
  const g = new Gen(rng(SEED));
  return [
    ...demo.map((flow) => ({ flow, node_name: flow.node_name, time: flow.time })),
    ...Array.from({ length: 2500 }, (_, i) => synthetic(g, i)),
  ];
}

/** Random `hubble observe` flags the map and the drop views pass on (some answerable, some not). */
function randomArgs(g: Gen): string[] {
  const flags: (() => string[])[] = [
    () => ['--namespace', g.pick(NAMESPACES)], () => ['--namespace', g.pick(NAMESPACES), '--namespace', g.pick(NAMESPACES)],
    () => ['--from-namespace', g.pick(NAMESPACES)], () => ['--to-namespace', g.pick(NAMESPACES)],
    () => ['--verdict', g.pick(['FORWARDED', 'DROPPED', 'AUDIT', 'ERROR', 'REDIRECTED'])],
    () => ['--drop-reason-desc', g.pick(['POLICY_DENIED', 'CT_MAP_INSERTION_FAILED', 'STALE_OR_UNROUTABLE_IP'])],
    () => ['--protocol', g.pick(['tcp', 'UDP', 'icmp', 'icmpv4', 'sctp', 'http', 'dns', 'kafka'])],
    () => ['--cluster', g.pick(CLUSTERS)], () => ['--from-cluster', g.pick(CLUSTERS)],
    () => ['--not'], () => ['--pod', `${g.pick(NAMESPACES)}/`], () => ['--port', '53'], () => ['--pod', 'shop/api'],
  ];
  return Array.from({ length: 1 + g.int(4) }, () => g.pick(flags)()).flat();
}

const swap = (f: FlowFilter): FlowFilter => {
  const out: FlowFilter = { ...f };
  delete out.source_pod; delete out.destination_pod; delete out.source_cluster_name; delete out.destination_cluster_name;
  if (f.source_pod) out.destination_pod = f.source_pod;
  if (f.destination_pod) out.source_pod = f.destination_pod;
  if (f.source_cluster_name) out.destination_cluster_name = f.source_cluster_name;
  if (f.destination_cluster_name) out.source_cluster_name = f.destination_cluster_name;
  return out;
};

/** A random filter over the answerable fields, with enum values the smallint columns cannot hold as they are. */
function randomFilter(g: Gen): FlowFilter {
  const f: FlowFilter = {};
  if (g.chance(0.4)) f.verdict = g.some(() => g.pick(['FORWARDED', 'DROPPED', 'AUDIT', 9, 0, 70000] as const), 2);
  if (g.chance(0.25)) f.drop_reason_desc = g.some(() => g.pick(['POLICY_DENIED', 181, 0, 40000] as const), 2);
  if (g.chance(0.3)) f.protocol = g.some(() => g.pick(['tcp', 'udp', 'dns', 'http', 'kafka', 'icmp']), 2);
  if (g.chance(0.4)) f.source_pod = g.some(() => `${g.pick(NAMESPACES)}/`, 2);
  if (g.chance(0.3)) f.destination_pod = g.some(() => `${g.pick(NAMESPACES)}/`, 2);
  if (g.chance(0.2)) f.source_cluster_name = g.some(() => g.pick(CLUSTERS), 2);
  return f;
}

/** Filters mirrored into pairs (what the rollups answer), now and then one left unpaired. */
function randomSet(g: Gen): FlowFilterSet {
  if (g.chance(0.5)) {
    try {
      return parseObserveArgs(randomArgs(g)).filters;
    } catch (e) {
      if (!(e instanceof ObserveArgsError)) throw e;
    }
  }
  const list = () => Array.from({ length: g.int(3) }, () => randomFilter(g)).flatMap((f) => (g.chance(0.9) ? [f, swap(f)] : [f]));
  return { whitelist: list(), blacklist: g.chance(0.3) ? list() : [] };
}

type Rows = Map<string, number>;

async function rollupRows(db: Db, table: string, sql: string, params: SqlParams): Promise<Rows> {
  const rows = await db.query<Record<string, unknown> & { flows: string }>(
    `SELECT bucket, ${EDGE_KEY}, flows FROM ${table} WHERE ${sql}`, params.values);
  return toMap(rows);
}

/** Each stored flow's rollup key per minute and per hour, computed once in SQL with EDGE_KEY_FROM_FLOWS. */
type Keyed = Map<string, { minute: string; hour: string }>;

async function keyFlows(db: Db): Promise<Keyed> {
  const rows = await db.query<Record<string, unknown> & { flow_key: string; minute: string; hour: string }>(
    `SELECT flow_key, date_trunc('minute', time, 'UTC') AS minute, date_trunc('hour', time, 'UTC') AS hour, ${EDGE_KEY_FROM_FLOWS} FROM flows`);
  return new Map(rows.map(({ flow_key, minute, hour, ...key }) => {
    const rest = EDGE_KEY.split(', ').map((c) => key[c]);
    const text = (bucket: string) => JSON.stringify([new Date(bucket).toISOString(), ...rest]);
    return [flow_key, { minute: text(minute), hour: text(hour) }];
  }));
}

/** The selected flows counted per rollup key, like the collector counts them. */
function rawRows(keyed: Keyed, unit: 'minute' | 'hour', keys: string[]): Rows {
  const rows: Rows = new Map();
  for (const k of keys) {
    const key = keyed.get(k)![unit];
    rows.set(key, (rows.get(key) ?? 0) + 1);
  }
  return rows;
}

function toMap(rows: (Record<string, unknown> & { flows: string })[]): Rows {
  return new Map(rows.map(({ flows, bucket, ...key }) =>
    [JSON.stringify([new Date(bucket as string).toISOString(), ...EDGE_KEY.split(', ').map((c) => key[c])]), Number(flows)]));
}

function diff(a: Rows, b: Rows): string[] {
  const out: string[] = [];
  for (const [k, n] of a) if (b.get(k) !== n) out.push(`${k}: ${n} vs ${b.get(k) ?? 0}`);
  for (const [k, n] of b) if (!a.has(k)) out.push(`${k}: 0 vs ${n}`);
  return out;
}

const flows = loadFlows();

describe.each([
  ['postgres', () => withTestSchema('rollup_filter'), Number(process.env.ROLLUP_FILTER_PG_SETS ?? 800)],
  ['pglite', () => openTestPglite(), Number(process.env.ROLLUP_FILTER_PGLITE_SETS ?? 250)],
] as const)('compileRollupFilter on %s', (kind, open, sets) => {
  let t: TestDb;
  let stored: Flow[];
  let keys: string[];
  let keyed: Keyed;
  beforeAll(async () => {
    t = await open();
    await createFlowWriter(t.db).write(flows);
    stored = flows.map((r) => r.flow!);
    keys = stored.map(flowKey);
    keyed = await keyFlows(t.db);
    expect(keyed.size).toBe(flows.length);
  }, 60_000);
  afterAll(() => t?.cleanup());

  it('selects exactly the rollup rows of the flows the matcher accepts', async () => {
    const g = new Gen(rng(SEED + 1));
    const unsupported = new Map<string, number>();
    const sizes = { none: 0, some: 0, all: 0 };
    let compared = 0;
    let matchMs = 0;
    const failures: string[] = [];
    for (let n = 0; n < sets && failures.length < 3; n++) {
      const set = randomSet(g);
      const params = new SqlParams();
      const result = compileRollupFilter(set, params);
      if ('unsupported' in result) {
        unsupported.set(result.unsupported.slice(0, 40), (unsupported.get(result.unsupported.slice(0, 40)) ?? 0) + 1);
        continue;
      }
      const started = performance.now();
      const match = compileFilters(set);
      const selected = keys.filter((_, i) => match(stored[i]));
      matchMs += performance.now() - started;
      sizes[selected.length === 0 ? 'none' : selected.length === keys.length ? 'all' : 'some']++;
      for (const [table, unit] of [['edge_minute', 'minute'], ['edge_hour', 'hour']] as const) {
        const d = diff(await rollupRows(t.db, table, result.sql, params), rawRows(keyed, unit, selected));
        if (d.length) failures.push(`${table} ${JSON.stringify(set)}\n  ${d.slice(0, 3).join('\n  ')}`);
      }
      compared++;
    }
    console.log(`[rollup-filter ${kind}] seed ${SEED}: ${compared} of ${sets} sets compared (matcher ${Math.round(matchMs)} ms) (${JSON.stringify(sizes)}), unsupported: ${JSON.stringify(Object.fromEntries(unsupported))}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(compared).toBeGreaterThan(sets / 4);
    expect(sizes.some).toBeGreaterThan(compared / 3);
    expect(sizes.none).toBeGreaterThan(0);
  }, 180_000);

  it('has replies that make a one-sided filter wrong on the rollups (why it is refused)', async () => {
    const set = parseObserveArgs(['--from-namespace', 'shop']).filters;
    expect(compileRollupFilter(set, new SqlParams())).toHaveProperty('unsupported');
    const match = compileFilters(set);
    const naive = await rollupRows(t.db, 'edge_minute', `src_namespace = 'shop'`, new SqlParams());
    expect(diff(naive, rawRows(keyed, 'minute', keys.filter((_, i) => match(stored[i])))).length).toBeGreaterThan(0);
  });
});
