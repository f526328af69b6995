/**
 * The Observer API served from the store, on PostgreSQL 15 and on PGlite, asked over real gRPC with
 * the relay client: selections checked against SQL over the same rows, responses checked against
 * what was stored, and the unary calls and health check a `hubble status` makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery } from '../../lib/flow/observer';
import { formatTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import { protoDir } from '../hubble/load-proto';
import { OBSERVER_HEALTH_SERVICE } from '../hubble/observer-server';
import { DAY_MS, NOW_MS, collect, openHistoryFixture, uuidsOf, type HistoryFixture } from './history-test-fixture';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const iso = (ms: number) => formatTimestamp(timestampFromMs(ms));
const SINCE_72H = iso(NOW_MS - 3 * DAY_MS);
const UNTIL_2D = iso(NOW_MS - 2 * DAY_MS);
const DROPPED = 2;
const FORWARDED = 1;

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('history_observer')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('history observer on %s', (_name, open) => {
  let f: HistoryFixture;
  beforeAll(async () => { f = await openHistoryFixture(open); });
  afterAll(() => f?.stop());

  const getFlows = (query: FlowsQuery) => collect(f.client.getFlows(query));
  /** uuids the SQL selects, oldest first (the primary key's order). */
  async function sqlUuids(where = 'TRUE', params: string[] = []): Promise<string[]> {
    const rows = await f.t.db.query<{ uuid: string }>(`SELECT uuid FROM flows WHERE ${where} ORDER BY time, flow_key`, params);
    return rows.map((r) => r.uuid);
  }
  /** Each flow response is exactly the stored one; times never go back. */
  function expectStoredInOrder(responses: FlowsResponse[]): void {
    const flows = responses.filter((r) => r.flow);
    for (const r of flows) expect(r).toEqual(f.stored.get(r.flow?.uuid as string));
    const times = flows.map((r) => Date.parse(r.flow?.time as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }

  it('has stored flows from four days, DROPPED ones among them', async () => {
    const [row] = await f.t.db.query<{ n: number; dropped: number; days: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict = ${DROPPED})::int AS dropped,
         count(DISTINCT date_trunc('day', time))::int AS days FROM flows`,
    );
    expect(row.n).toBe(f.stored.size);
    expect(row.n).toBeGreaterThan(200);
    expect(row.dropped).toBeGreaterThan(10);
    expect(row.days).toBeGreaterThanOrEqual(3);
  });

  it('begins with node_status NODE_CONNECTED naming the nodes, then number=20 gives the newest 20 in time order', async () => {
    const responses = await getFlows({ number: 20 });
    expect(responses[0].node_status?.state_change).toBe('NODE_CONNECTED');
    // The nodes of the newest 10,000 stored flows: here, of all of them.
    const nodes = await f.t.db.query<{ node_name: string }>('SELECT DISTINCT node_name FROM flows');
    expect([...(responses[0].node_status?.node_names ?? [])].sort()).toEqual(nodes.map((n) => n.node_name).sort());
    expect(responses.slice(1).every((r) => r.flow)).toBe(true);
    expect(uuidsOf(responses)).toEqual((await sqlUuids()).slice(-20));
    expectStoredInOrder(responses);
  });

  it('since 72h with whitelist verdict DROPPED gives exactly the stored DROPPED flows of the range', async () => {
    const responses = await getFlows({ since: SINCE_72H, whitelist: [{ verdict: ['DROPPED'] }] });
    const expected = await sqlUuids(`verdict = ${DROPPED} AND time >= $1`, [SINCE_72H]);
    const [all] = await f.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM flows WHERE verdict = ${DROPPED}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.n); // the 4-day-old window is left out
    expect(uuidsOf(responses)).toEqual(expected);
    expect(responses.filter((r) => r.flow).every((r) => r.flow?.verdict === 'DROPPED')).toBe(true);
    expectStoredInOrder(responses);
  });

  it('since with number gives the earliest N after since', async () => {
    const responses = await getFlows({ since: SINCE_72H, number: 7 });
    expect(uuidsOf(responses)).toEqual((await sqlUuids('time >= $1', [SINCE_72H])).slice(0, 7));
  });

  it('first gives the earliest N of everything stored', async () => {
    const responses = await getFlows({ number: 10, first: true });
    expect(uuidsOf(responses)).toEqual((await sqlUuids()).slice(0, 10));
    expectStoredInOrder(responses);
  });

  it('until bounds the range inclusively; with number it gives the newest N before it', async () => {
    expect(uuidsOf(await getFlows({ until: UNTIL_2D }))).toEqual(await sqlUuids('time <= $1', [UNTIL_2D]));
    const before = await sqlUuids('time <= $1', [UNTIL_2D]);
    expect(uuidsOf(await getFlows({ until: UNTIL_2D, number: 5 }))).toEqual(before.slice(-5));
    const last = f.stored.get(before.at(-1) as string)?.flow?.time as string;
    expect(uuidsOf(await getFlows({ since: last, until: last }))).toEqual([before.at(-1)]);
  });

  it('number 0 without a range is every stored flow, streamed over many pages', async () => {
    const responses = await getFlows({});
    expect(uuidsOf(responses)).toEqual(await sqlUuids());
    expectStoredInOrder(responses);
  });

  it('blacklist removes what it matches, and combines with the whitelist', async () => {
    const noForwarded = await getFlows({ since: SINCE_72H, blacklist: [{ verdict: ['FORWARDED'] }] });
    expect(uuidsOf(noForwarded)).toEqual(await sqlUuids(`verdict <> ${FORWARDED} AND time >= $1`, [SINCE_72H]));
    const both = await getFlows({ whitelist: [{ source_pod: ['shop/'] }, { destination_pod: ['shop/'] }], blacklist: [{ verdict: ['DROPPED'] }] });
    const expected = await sqlUuids(`(src_namespace = 'shop' OR dst_namespace = 'shop') AND verdict <> ${DROPPED}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(uuidsOf(both)).toEqual(expected);
  });

  it('refuses an invalid filter or request with INVALID_ARGUMENT and the reason', async () => {
    await expect(getFlows({ whitelist: [{ source_ip: ['not-an-ip'] }] })).rejects.toThrow(/INVALID_ARGUMENT.*not-an-ip/);
    await expect(getFlows({ number: 5, first: true, follow: true })).rejects.toThrow(/INVALID_ARGUMENT.*first cannot be specified with follow/);
    await expect(getFlows({ whitelist: [{ experimental: { cel_expression: ['true'] } }] })).rejects.toThrow(/INVALID_ARGUMENT.*CEL/);
  });

  it('answers ServerStatus from stored data', async () => {
    const status = await f.client.serverStatus();
    const [counts] = await f.t.db.query<{ n: number; minute: number }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE time > $1)::int AS minute FROM flows', [iso(NOW_MS - 60_000)],
    );
    expect(counts.minute).toBeGreaterThan(0);
    expect(status).toMatchObject({
      num_flows: String(counts.n), max_flows: String(counts.n), seen_flows: String(counts.n),
      num_connected_nodes: 4, num_unavailable_nodes: 1, version: 'hubble-dashboard/0.1.0',
    });
    expect(status.flows_rate).toBeCloseTo(counts.minute / 60, 6);
    expect(BigInt(status.uptime_ns ?? '0')).toBeGreaterThan(0n);
  });

  it('answers GetNodes with the nodes of the last hour and their flow counts', async () => {
    const nodes = await f.client.getNodes();
    const expected = await f.t.db.query<{ node_name: string; n: number }>(
      'SELECT node_name, count(*)::int AS n FROM flows WHERE time >= $1 GROUP BY 1 ORDER BY 1', [iso(NOW_MS - 3_600_000)],
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(nodes.map((n) => [n.name, n.state, n.num_flows])).toEqual(expected.map((e) => [e.node_name, 'NODE_CONNECTED', String(e.n)]));
    expect(nodes.every((n) => BigInt(n.uptime_ns ?? '0') > 0n)).toBe(true);
  });

  it('answers GetNamespaces with the namespaces of both sides', async () => {
    const namespaces = await f.client.getNamespaces();
    const expected = await f.t.db.query<{ ns: string }>(
      `SELECT DISTINCT ns FROM (SELECT src_namespace AS ns FROM flows UNION SELECT dst_namespace FROM flows) x WHERE ns IS NOT NULL`,
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(namespaces.map((n) => n.namespace).sort()).toEqual(expected.map((e) => e.ns).sort());
    expect(new Set(namespaces.map((n) => n.cluster))).toEqual(new Set(['demo']));
  });

  it('reports SERVING to the health check hubble status makes', async () => {
    const def = protoLoader.loadSync('grpc/health/v1/health.proto', { keepCase: true, enums: String, includeDirs: [protoDir] });
    const Health = grpc.makeClientConstructor(def['grpc.health.v1.Health'] as grpc.ServiceDefinition, 'Health');
    const health = new Health(f.server.address, grpc.credentials.createInsecure()) as unknown as {
      Check(req: object, cb: (err: Error | null, res: { status: string }) => void): void; close(): void;
    };
    try {
      const res = await new Promise<{ status: string }>((resolve, reject) => {
        health.Check({ service: OBSERVER_HEALTH_SERVICE }, (err, r) => (err ? reject(err) : resolve(r)));
      });
      expect(res.status).toBe('SERVING');
    } finally {
      health.close();
    }
  });
});
