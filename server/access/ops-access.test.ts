/**
 * /metrics, /readyz and /healthz in oidc mode, where the dashboard faces the ingress: the metrics
 * and readiness details only for loopback and the metrics token, probe status codes for anyone.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerTokenMatches, isLoopbackPeer } from './ops-access';
import { startOidcGuardedServer, TEST_PEER_HEADER, type GuardedServer } from './testing/oidc-guarded-server';

const TOKEN = 'a-metrics-token-for-prometheus';
const POD = { [TEST_PEER_HEADER]: '10.0.3.17' };
/** Stands in for Next's routes: what they would show, relay errors and addresses included. */
const detailed = (req: IncomingMessage, res: ServerResponse) => res.end(`detailed ${req.url}: relay east=10.0.0.9:4245 unreachable`);

let dash: GuardedServer | undefined;
afterEach(async () => {
  await dash?.close();
  dash = undefined;
});

async function start(ready: boolean, env: Record<string, string> = { HUBBLE_DASHBOARD_METRICS_TOKEN: TOKEN }): Promise<string> {
  dash = await startOidcGuardedServer(detailed, {}, { env, ready: async () => ready });
  return dash.url;
}

describe('/metrics with HUBBLE_DASHBOARD_AUTH=oidc', () => {
  it('is served to loopback and to the metrics token, and refused to anyone else saying why', async () => {
    const url = await start(true);
    expect(await (await fetch(`${url}/metrics`)).text()).toBe('detailed /metrics: relay east=10.0.0.9:4245 unreachable');
    const scrape = await fetch(`${url}/metrics`, { headers: { ...POD, authorization: `Bearer ${TOKEN}` } });
    expect(scrape.status).toBe(200);
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ', `Bearer ${TOKEN.slice(0, -1)}`]) {
      const res = await fetch(`${url}/metrics`, { headers: { ...POD, ...(authorization && { authorization }) } });
      expect(res.status, authorization).toBe(403);
      expect(await res.text()).toMatch(/^Forbidden: .*loopback.*Authorization: Bearer <HUBBLE_DASHBOARD_METRICS_TOKEN>/);
    }
    // Spelled otherwise, it is still /metrics to Next's router, so it meets the same rules.
    for (const spelling of ['%6detrics', '%6D%65trics']) expect((await fetch(`${url}/${spelling}`, { headers: POD })).status, spelling).toBe(403);
    // A sidecar proxy forwards outside requests from 127.0.0.6: that is not loopback here.
    expect((await fetch(`${url}/metrics`, { headers: { [TEST_PEER_HEADER]: '127.0.0.6' } })).status).toBe(403);
  });

  it('without a token set, tells the operator to set one', async () => {
    const url = await start(true, {});
    const res = await fetch(`${url}/metrics`, { headers: POD });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/set HUBBLE_DASHBOARD_METRICS_TOKEN \(or _FILE\)/);
  });
});

describe('/readyz and /healthz with HUBBLE_DASHBOARD_AUTH=oidc', () => {
  it.each([[true, 200, 'ready'], [false, 503, 'not ready']] as const)('ready=%s: anyone gets the status code, only loopback and the token the details', async (ready, status, word) => {
    const url = await start(ready);
    const outside = await fetch(`${url}/readyz`, { headers: POD });
    expect(outside.status).toBe(status);
    const body = await outside.text();
    expect(JSON.parse(body)).toMatchObject({ status: word });
    expect(body).not.toMatch(/relay|10\.0\.0\.9|east/);
    expect(await (await fetch(`${url}/readyz`, { headers: { ...POD, authorization: `Bearer ${TOKEN}` } })).text()).toMatch(/^detailed/);
    expect(await (await fetch(`${url}/readyz`)).text()).toMatch(/^detailed/);
  });

  it('passes /healthz on for anyone (it says only ok)', async () => {
    const url = await start(false);
    expect(await (await fetch(`${url}/healthz`, { headers: POD })).text()).toBe('detailed /healthz: relay east=10.0.0.9:4245 unreachable');
  });
});

describe('ops access helpers', () => {
  it('counts exactly 127.0.0.1 and ::1 as loopback', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(isLoopbackPeer)).toEqual([true, true, true]);
    expect(['127.0.0.6', '10.0.0.1', '::ffff:10.0.0.1', undefined].map(isLoopbackPeer)).toEqual([false, false, false, false]);
  });

  it('matches the bearer token exactly', () => {
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`bearer  ${TOKEN} `, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, undefined)).toBe(false);
    expect(bearerTokenMatches(undefined, TOKEN)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${TOKEN} extra`, TOKEN)).toBe(false);
  });
});
