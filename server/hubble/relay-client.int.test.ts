import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RelayTlsConfig } from '../config';
import type { FlowsResponse } from '../../lib/flow/flow';
import { loadHubbleProto } from './load-proto';
import { flowsResponseToPb, messageToPb, type PbObject } from './flow-pb';
import { RelayClient } from './relay-client';
import { RelayError } from './relay-errors';
import { followRelay, type RelayStateChange } from './follow-relay';

// --- certificates, made fresh for this run ------------------------------------------------------

let dir: string;
const file = (name: string) => join(dir, name);
const pem = (name: string) => readFileSync(file(name));

function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) => openssl('req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2',
    '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const leaf = (name: string, san: string, usage: string, issuer: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${usage}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ca('ca');
  ca('other-ca');
  leaf('server', 'DNS:relay.test.local,IP:127.0.0.1', 'serverAuth', 'ca');
  leaf('named', 'DNS:relay.test.local', 'serverAuth', 'ca');
  leaf('untrusted', 'DNS:relay.test.local,IP:127.0.0.1', 'serverAuth', 'other-ca');
  leaf('client', 'DNS:collector', 'clientAuth', 'ca');
  leaf('stranger', 'DNS:stranger', 'clientAuth', 'other-ca');
}

// --- a small Observer server ------------------------------------------------------------------

const canned: FlowsResponse[] = [1, 2, 3].map((i) => ({
  flow: {
    time: `2024-05-01T10:00:0${i}.123456789Z`, verdict: 'FORWARDED', node_name: 'kind/worker',
    IP: { source: `10.0.0.${i}`, destination: '10.0.1.1', ipVersion: 'IPv4' }, is_reply: false, Summary: `flow ${i}`,
  },
  node_name: 'kind/worker',
  time: `2024-05-01T10:00:0${i}.123456789Z`,
}));
const nodeStatus: FlowsResponse = { node_status: { state_change: 'NODE_CONNECTED', node_names: ['kind/worker'], message: 'up' }, time: '2024-05-01T10:00:00Z' };
const live = (n: number): FlowsResponse => ({ flow: { time: '2024-05-01T10:01:00Z', Summary: `live ${n}` }, node_name: 'kind/worker', time: '2024-05-01T10:01:00Z' });

interface TestRelay { server: grpc.Server; port: number; requests: PbObject[]; cancelled: number }

async function startRelay(credentials = grpc.ServerCredentials.createInsecure(), port = 0, hang = false): Promise<TestRelay> {
  const server = new grpc.Server();
  const relay: TestRelay = { server, port, requests: [], cancelled: 0 };
  const unary = (response: object) => (_call: unknown, callback: grpc.sendUnaryData<PbObject>) => {
    if (!hang) callback(null, messageToPb(response));
  };
  server.addService(loadHubbleProto().observerService, {
    GetFlows(call: grpc.ServerWritableStream<PbObject, PbObject>) {
      relay.requests.push(call.request);
      for (const r of [nodeStatus, ...canned]) call.write(flowsResponseToPb(r));
      if (!call.request.follow) return void call.end();
      let n = 0;
      const timer = setInterval(() => call.write(flowsResponseToPb(live(++n))), 30);
      call.on('cancelled', () => { relay.cancelled += 1; clearInterval(timer); });
      call.on('close', () => clearInterval(timer));
    },
    ServerStatus: unary({ num_flows: '3', max_flows: '4095', seen_flows: '10', uptime_ns: '1000', num_connected_nodes: 2, num_unavailable_nodes: 0, version: '1.17.0-test', flows_rate: 1.5 }),
    GetNodes: unary({ nodes: [{ name: 'kind/worker', version: 'v1.17.0', address: '172.18.0.2', state: 'NODE_CONNECTED', tls: { enabled: true, server_name: 'worker.kind.hubble-grpc.cilium.io' }, num_flows: '3' }] }),
  } as grpc.UntypedServiceImplementation);
  relay.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))));
  running.push(server);
  return relay;
}

const tlsServer = (name: string, clientCa?: string) => grpc.ServerCredentials.createSsl(
  clientCa ? pem(`${clientCa}.crt`) : null, [{ private_key: pem(`${name}.key`), cert_chain: pem(`${name}.crt`) }], Boolean(clientCa));

const running: grpc.Server[] = [];
const clients: RelayClient[] = [];
function client(address: string, tls: Partial<RelayTlsConfig> = {}, timeouts: { dialTimeoutMs?: number; requestTimeoutMs?: number } = {}): RelayClient {
  const c = new RelayClient({ address, tls: { allowInsecure: false, ...tls }, ...timeouts });
  clients.push(c);
  return c;
}

async function collect<T>(iterable: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) if (out.push(item) >= limit) break;
  return out;
}

async function failure(promise: Promise<unknown>): Promise<RelayError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RelayError);
  return err as RelayError;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function quietLog() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_fields: object, msg: string) => void lines.push({ level, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), debug: at('debug') } as never };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-client-'));
  makeCertificates();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of running.splice(0)) s.forceShutdown();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RelayClient over plaintext', () => {
  it('maps the query into GetFlowsRequest and the responses into the jsonpb model', async () => {
    const relay = await startRelay();
    const c = client(`127.0.0.1:${relay.port}`);
    const responses = await collect(c.getFlows({
      number: 3, first: true, since: '2024-05-01T00:00:00Z', until: '2024-05-02T00:00:00.5Z',
      whitelist: [{ source_pod: ['kube-system/'], verdict: ['FORWARDED'] }], blacklist: [{ destination_port: ['53'] }],
    }));
    expect(responses).toEqual([nodeStatus, ...canned]);
    expect(relay.requests[0]).toEqual({
      number: '3', first: true,
      since: { seconds: '1714521600', nanos: 0 }, until: { seconds: '1714608000', nanos: 500_000_000 },
      whitelist: [{ source_pod: ['kube-system/'], verdict: ['FORWARDED'] }], blacklist: [{ destination_port: ['53'] }],
    });
  });

  it('follows until aborted, then cancels the call and ends quietly', async () => {
    const relay = await startRelay();
    const c = client(`127.0.0.1:${relay.port}`);
    const abort = new AbortController();
    const seen: FlowsResponse[] = [];
    for await (const r of c.getFlows({ follow: true }, abort.signal)) {
      seen.push(r);
      if (seen.length === 7) abort.abort();
    }
    expect(seen.slice(4).map((r) => r.flow?.Summary)).toEqual(['live 1', 'live 2', 'live 3']);
    expect(relay.requests[0]).toEqual({ follow: true });
    await until(() => relay.cancelled === 1, 'the server to see the cancel');
  });

  it('answers ServerStatus, GetNodes and GetNamespaces', async () => {
    const relay = await startRelay();
    const c = client(`127.0.0.1:${relay.port}`);
    expect(await c.serverStatus()).toEqual({
      num_flows: '3', max_flows: '4095', seen_flows: '10', uptime_ns: '1000',
      num_connected_nodes: 2, num_unavailable_nodes: 0, version: '1.17.0-test', flows_rate: 1.5,
    });
    expect(await c.getNodes()).toEqual([{ name: 'kind/worker', version: 'v1.17.0', address: '172.18.0.2', state: 'NODE_CONNECTED', tls: { enabled: true, server_name: 'worker.kind.hubble-grpc.cilium.io' }, num_flows: '3' }]);
    const err = await failure(c.getNamespaces());
    expect(err.kind).toBe('unimplemented');
    expect(err.message).toMatch(/^relay 127\.0\.0\.1:\d+ does not implement GetNamespaces \(.*\); is this a Hubble Relay or agent address\?$/);
  });

  it('gives up on an unanswered request after the request timeout', async () => {
    const relay = await startRelay(undefined, 0, true);
    const err = await failure(client(`127.0.0.1:${relay.port}`, {}, { requestTimeoutMs: 300 }).serverStatus());
    expect([err.kind, err.grpcCode]).toEqual(['timeout', grpc.status.DEADLINE_EXCEEDED]);
    expect(err.message).toBe(`relay 127.0.0.1:${relay.port} did not answer ServerStatus within 0.3 s (request timeout)`);
  });

  it('gives up on a connection that never completes after the dial timeout', async () => {
    const silent: NetServer = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await failure(client(`127.0.0.1:${port}`, {}, { dialTimeoutMs: 300 }).serverStatus());
      expect(err.kind).toBe('dial-timeout');
      expect(err.message).toBe(`relay 127.0.0.1:${port} did not complete the connection within 0.3 s (dial timeout; is the address right and the port open?)`);
    } finally {
      silent.close();
    }
  });

  it('says plainly when nothing listens', async () => {
    const port = await freePort();
    const err = await failure(collect(client(`127.0.0.1:${port}`).getFlows({})));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`relay 127.0.0.1:${port} unreachable (connect ECONNREFUSED)`);
  });

  it('says plainly when the host name does not resolve', async () => {
    const err = await failure(client('relay.does-not-exist.invalid:4245').serverStatus());
    expect(err.kind).toBe('dns');
    expect(err.message).toMatch(/^cannot resolve relay host "relay\.does-not-exist\.invalid" \(DNS lookup failed/);
  });

  it('tells a plaintext client that the relay speaks TLS, and a TLS client that it does not', async () => {
    const tlsRelay = await startRelay(tlsServer('server'));
    const plainRelay = await startRelay();
    const toTls = await failure(client(`127.0.0.1:${tlsRelay.port}`).serverStatus());
    expect(toTls.message).toBe(`relay 127.0.0.1:${tlsRelay.port} closed the connection during the HTTP/2 handshake (if it serves TLS, use tls://127.0.0.1:${tlsRelay.port})`);
    const toPlain = await failure(client(`tls://127.0.0.1:${plainRelay.port}`, { caFile: file('ca.crt') }).serverStatus());
    expect(toPlain.kind).toBe('tls');
    expect(toPlain.message).toBe(`TLS handshake with relay 127.0.0.1:${plainRelay.port} failed: the relay does not speak TLS on this port (wrong version number); drop tls:// and the HUBBLE_TLS_* settings for a plaintext relay`);
  });
});

describe('RelayClient over TLS', () => {
  it('verifies the relay against the configured CA', async () => {
    const relay = await startRelay(tlsServer('server'));
    const c = client(`tls://127.0.0.1:${relay.port}`, { caFile: file('ca.crt') });
    expect(c.transport).toBe(`TLS (CA bundle ${file('ca.crt')})`);
    expect((await c.serverStatus()).version).toBe('1.17.0-test');
    expect(await collect(c.getFlows({ number: 1 }))).toHaveLength(4);
  });

  it('fails clearly against a certificate from another CA', async () => {
    const relay = await startRelay(tlsServer('server'));
    const err = await failure(client(`tls://127.0.0.1:${relay.port}`, { caFile: file('other-ca.crt') }).serverStatus());
    expect(err.kind).toBe('tls');
    expect(err.message).toBe(`TLS handshake with relay 127.0.0.1:${relay.port} failed: certificate signed by unknown authority (unable to verify the first certificate); set HUBBLE_TLS_CA_FILE to the CA bundle that signed the relay certificate`);
  });

  it('does mTLS with a client certificate, and says what is missing without one', async () => {
    const relay = await startRelay(tlsServer('server', 'ca'));
    const withCert = client(`tls://127.0.0.1:${relay.port}`, { caFile: file('ca.crt'), clientCertFile: file('client.crt'), clientKeyFile: file('client.key') });
    expect((await withCert.serverStatus()).num_flows).toBe('3');
    const without = await failure(client(`tls://127.0.0.1:${relay.port}`, { caFile: file('ca.crt') }).serverStatus());
    expect(without.kind).toBe('tls');
    expect(without.message).toMatch(new RegExp(`^TLS handshake with relay 127\\.0\\.0\\.1:${relay.port} failed: the relay (requires a client certificate|closed the connection during the handshake \\(it probably requires a client certificate\\))`));
    expect(without.message).toContain('HUBBLE_TLS_CLIENT_CERT_FILE and HUBBLE_TLS_CLIENT_KEY_FILE');
    const stranger = await failure(client(`tls://127.0.0.1:${relay.port}`, { caFile: file('ca.crt'), clientCertFile: file('stranger.crt'), clientKeyFile: file('stranger.key') }).serverStatus());
    expect(stranger.kind).toBe('tls');
    expect(stranger.message).toMatch(/failed: the relay (closed the connection during the handshake \(it probably does not trust our client certificate\)|rejected our client certificate .*); set HUBBLE_TLS_CLIENT_CERT_FILE and HUBBLE_TLS_CLIENT_KEY_FILE to a certificate the relay trusts$/);
  });

  it('checks the certificate against the server name when one is set', async () => {
    const relay = await startRelay(tlsServer('named'));
    const byIp = await failure(client(`tls://127.0.0.1:${relay.port}`, { caFile: file('ca.crt') }).serverStatus());
    expect(byIp.kind).toBe('tls');
    expect(byIp.message).toMatch(/failed: the certificate is not valid for this address \(Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list\); set HUBBLE_TLS_SERVER_NAME to a name the certificate lists$/);
    const byName = client(`127.0.0.1:${relay.port}`, { caFile: file('ca.crt'), serverName: 'relay.test.local' });
    expect(byName.transport).toBe(`TLS (CA bundle ${file('ca.crt')}, server name relay.test.local)`);
    expect((await byName.serverStatus()).version).toBe('1.17.0-test');
    const wrongName = await failure(client(`127.0.0.1:${relay.port}`, { caFile: file('ca.crt'), serverName: 'other.test.local' }).serverStatus());
    expect(wrongName.message).toMatch(/not valid for this address \(Hostname\/IP does not match certificate's altnames: Host: other\.test\.local/);
  });

  it('accepts any certificate when verification is off', async () => {
    const relay = await startRelay(tlsServer('untrusted'));
    const c = client(`tls://127.0.0.1:${relay.port}`, { allowInsecure: true });
    expect(c.transport).toBe('TLS (certificate NOT verified)');
    expect((await c.getNodes()).map((n) => n.name)).toEqual(['kind/worker']);
  });
});

describe('followRelay', () => {
  it('reconnects by itself when the relay restarts on the same port', async () => {
    const first = await startRelay();
    const c = client(`127.0.0.1:${first.port}`);
    const abort = new AbortController();
    const states: RelayStateChange[] = [];
    const responses: FlowsResponse[] = [];
    const queries: number[] = [];
    const { lines, log } = quietLog();
    const done = followRelay({
      client: c, signal: abort.signal, log, backoff: { baseMs: 40, capMs: 150 },
      query: () => {
        queries.push(responses.length);
        return responses.length ? { since: '2024-05-01T10:00:03Z' } : { number: 10 };
      },
      onResponse: (r) => void responses.push(r),
      onState: (s) => void states.push(s),
    });
    await until(() => responses.length >= 6, 'flows from the first relay');
    first.server.forceShutdown();
    await until(() => states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    await new Promise((r) => setTimeout(r, 300));
    const before = responses.length;
    const second = await startRelay(undefined, first.port);
    await until(() => states.filter((s) => s.state === 'connected').length === 2 && responses.length >= before + 6, 'flows from the restarted relay');
    abort.abort();
    await expect(done).resolves.toBeUndefined();

    expect(states[0]).toEqual({ state: 'connecting', relay: `127.0.0.1:${first.port}`, failures: 0 });
    expect(states[1].state).toBe('connected');
    const reconnecting = states.filter((s) => s.state === 'reconnecting');
    expect(reconnecting[0].lastError).toMatch(/^relay 127\.0\.0\.1:\d+ cancelled the GetFlows call|^connection to relay 127\.0\.0\.1:\d+ lost/);
    expect(reconnecting.at(-1)?.lastError).toBe(`relay 127.0.0.1:${first.port} unreachable (connect ECONNREFUSED)`);
    expect(states.at(-1)?.state).toBe('stopped');
    expect(first.requests).toEqual([{ number: '10', follow: true }]);
    expect(second.requests).toEqual([{ follow: true, since: { seconds: '1714557603', nanos: 0 } }]);
    expect(queries.length).toBeGreaterThanOrEqual(2);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    expect(warnings.filter((m) => m.includes('ECONNREFUSED'))).toHaveLength(1);
    expect(warnings.find((m) => m.includes('ECONNREFUSED'))).toMatch(/unreachable \(connect ECONNREFUSED\), retrying in \d+(\.\d)? s$/);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual([
      `connected to relay 127.0.0.1:${first.port} (plaintext)`,
      expect.stringMatching(new RegExp(`^connected to relay 127\\.0\\.0\\.1:${first.port} \\(plaintext\\) after \\d+ failed attempts$`)),
    ]);
  });

  it('keeps retrying an unreachable relay without throwing, logging the failure once plus a summary a minute', async () => {
    const port = await freePort();
    const abort = new AbortController();
    const states: RelayStateChange[] = [];
    const { lines, log } = quietLog();
    let clockMs = 0;
    const done = followRelay({
      client: client(`127.0.0.1:${port}`), signal: abort.signal, log, query: {},
      backoff: { baseMs: 5, capMs: 10 }, now: () => (clockMs += 25_000),
      onResponse: () => undefined, onState: (s) => void states.push(s),
    });
    await until(() => states.filter((s) => s.state === 'reconnecting').length >= 5, 'five failed attempts');
    abort.abort();
    await expect(done).resolves.toBeUndefined();
    const last = states.filter((s) => s.state === 'reconnecting').at(-1)!;
    expect(last).toMatchObject({ relay: `127.0.0.1:${port}`, lastErrorKind: 'unreachable', lastError: `relay 127.0.0.1:${port} unreachable (connect ECONNREFUSED)` });
    expect(last.failures).toBeGreaterThanOrEqual(5);
    expect(typeof last.retryInMs).toBe('number');
    expect(states.some((s) => s.state === 'connected')).toBe(false);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.msg);
    expect(warnings[0]).toMatch(new RegExp(`^relay 127\\.0\\.0\\.1:${port} unreachable \\(connect ECONNREFUSED\\), retrying in`));
    expect(warnings[1]).toMatch(new RegExp(`^relay 127\\.0\\.0\\.1:${port} still unreachable after 4 attempts \\(relay .* unreachable \\(connect ECONNREFUSED\\)\\), retrying in`));
    expect(lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(2);
  });

  it('stops and rejects when the caller’s own callback throws or the query is malformed', async () => {
    const relay = await startRelay();
    const { log } = quietLog();
    const done = followRelay({
      client: client(`127.0.0.1:${relay.port}`), signal: new AbortController().signal, log, query: {},
      onResponse: () => { throw new Error('store is full'); },
    });
    await expect(done).rejects.toThrow('store is full');
    const bad = followRelay({
      client: client(`127.0.0.1:${relay.port}`), signal: new AbortController().signal, log, query: { since: 'yesterday' },
      onResponse: () => undefined,
    });
    await expect(bad).rejects.toThrow('GetFlows since=yesterday: not an RFC 3339 timestamp');
  });
});
