/**
 * The benchmarks' relay: a gRPC Observer server in a process of its own whose GetFlows follow
 * streams replay a pool of demo flows encoded once (server/demo/replay-pool.ts), rewriting only
 * time and uuid, at a fixed rate. It exists so that an ingest benchmark measures the collector and
 * PostgreSQL, not the demo cluster's simulation (about 15 µs a flow).
 *
 *   npx tsx bench/replay-relay.ts [--listen 127.0.0.1:4398] [--rate 30000] [--pool 200000] [--seed 1]
 *
 * It speaks gRPC over node:http2 directly rather than through grpc-js's server, which costs about
 * 7 µs per message written: here one HTTP/2 write carries a chunk of up to 512 framed responses.
 * Served: GetFlows (follow: the live replay; otherwise an empty result, as it holds no history),
 * ServerStatus, GetNodes, GetNamespaces; anything else is UNIMPLEMENTED. Prints
 * `replay relay listening on ADDRESS` once serving, and on SIGTERM one JSON line with what it
 * sent, dropped and the CPU time it used while serving.
 */
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { buildReplayPool, type ReplayPool } from '../server/demo/replay-pool';
import { frame, replayStream, type ReplayCounters } from '../server/demo/replay-stream';
import { messageToPb, type PbObject } from '../server/hubble/flow-pb';
import { loadHubbleProto } from '../server/hubble/load-proto';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1:4398' }, rate: { type: 'string', default: '30000' },
    pool: { type: 'string', default: '200000' }, seed: { type: 'string', default: '1' },
  },
});
const rate = Number(values.rate);
const poolSize = Number(values.pool);
const listen = /^(.*):(\d+)$/.exec(values.listen as string);
if (!(rate > 0) || !Number.isInteger(poolSize) || poolSize < 1 || !listen) {
  process.stderr.write(`replay relay: --rate must be positive, --pool a positive whole number and --listen HOST:PORT (got ${values.rate}, ${values.pool}, ${values.listen})\n`);
  process.exit(2);
}

const OK = { 'grpc-status': '0' };
const HEADERS = { ':status': 200, 'content-type': 'application/grpc+proto' };
const VERSION = '1.17.0-replay';
type Method = (typeof loadHubbleProto extends () => infer P ? P : never)['observerService'][string];

/** The request message of a call (unary and server-streaming calls send exactly one). */
function readRequest(stream: http2.ServerHttp2Stream, method: Method): Promise<PbObject> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.once('end', () => {
      const body = Buffer.concat(parts);
      try {
        resolve(body.length >= 5 ? (method.requestDeserialize(body.subarray(5, 5 + body.readUInt32BE(1))) as PbObject) : {});
      } catch (err) {
        reject(err);
      }
    });
    stream.once('error', reject);
  });
}

function respond(stream: http2.ServerHttp2Stream, messages: Buffer | undefined): void {
  stream.respond(HEADERS, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers(OK));
  if (messages) stream.write(messages);
  stream.end();
}

async function streamFlows(stream: http2.ServerHttp2Stream, pool: ReplayPool, counters: ReplayCounters): Promise<void> {
  const abort = new AbortController();
  stream.once('close', () => abort.abort());
  stream.respond(HEADERS, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers(OK));
  for await (const chunk of replayStream(pool, { rateFlowsPerS: rate }, abort.signal, counters)) {
    if (abort.signal.aborted) break;
    if (!stream.write(chunk.bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
      });
    }
  }
  if (!stream.closed) stream.end();
}

async function main(): Promise<void> {
  const builtAt = performance.now();
  const pool = buildReplayPool({ poolSize, seed: Number(values.seed) });
  const buildMs = performance.now() - builtAt;
  const observer = loadHubbleProto().observerService;
  const counters: ReplayCounters = { sent: 0, lost: 0 };
  const startedMs = Date.now();
  const unary: Record<string, () => object> = {
    ServerStatus: () => ({
      num_flows: '0', max_flows: '0', seen_flows: String(counters.sent + counters.lost), uptime_ns: String((Date.now() - startedMs) * 1e6),
      num_connected_nodes: pool.nodes.length, num_unavailable_nodes: 0, version: VERSION, flows_rate: rate,
    }),
    GetNodes: () => ({ nodes: pool.nodes.map((name) => ({ name, version: VERSION, state: 'NODE_CONNECTED' })) }),
    GetNamespaces: () => ({ namespaces: pool.namespaces.map((namespace) => ({ cluster: 'demo', namespace })) }),
  };
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const name = /^\/observer\.Observer\/(\w+)$/.exec(String(headers[':path']))?.[1];
    const method = name ? observer[name] : undefined;
    if (!name || !method || (name !== 'GetFlows' && !unary[name])) {
      stream.respond({ ...HEADERS, 'grpc-status': '12', 'grpc-message': `${String(headers[':path'])} is not served by the replay relay` }, { endStream: true });
      return;
    }
    readRequest(stream, method).then((request) => {
      if (name !== 'GetFlows') return respond(stream, frame(method.responseSerialize(messageToPb(unary[name]()))));
      if (request.follow === true) return streamFlows(stream, pool, counters);
      return respond(stream, undefined);
    }).catch((err: unknown) => {
      if (!stream.closed) stream.respond({ ...HEADERS, 'grpc-status': '13', 'grpc-message': String(err) }, { endStream: true });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(listen?.[2]), listen?.[1], resolve);
  });
  const cpuBefore = process.cpuUsage();
  process.stdout.write(`replay relay listening on ${values.listen} (pool of ${pool.size} demo flows built in ${buildMs.toFixed(0)} ms, ${rate} flows/s)\n`);
  process.once('SIGTERM', () => {
    const cpu = process.cpuUsage(cpuBefore);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(`${JSON.stringify({ sent: counters.sent, lost: counters.lost, cpuS, cpuUsPerFlow: counters.sent ? (cpuS * 1e6) / counters.sent : null })}\n`);
    for (const session of sessions) session.destroy();
    server.close(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`replay relay: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
