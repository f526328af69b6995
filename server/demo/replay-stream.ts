/**
 * One follow stream of a replay pool (replay-pool.ts): flows due at `rateFlowsPerS` since the
 * stream opened, times evenly spaced and anchored to the clock, handed out in chunks of encoded
 * GetFlowsResponses, each already framed the way gRPC frames a message on the wire (a zero byte
 * and a 4-byte big-endian length), so that one HTTP/2 write carries a whole chunk: per message,
 * grpc-js's server costs about 7 µs, five times what writing the flow costs. A consumer that falls more than `maxBehindFlows` behind loses the oldest
 * due flows and is told with one `lost_events`, as a Hubble ring buffer overtaken by its writer
 * does, instead of being sent a burst above the rate.
 */
import type { ReplayPool } from './replay-pool';

export interface ReplayStreamOptions {
  rateFlowsPerS: number;
  /** Flows due but not sent beyond which the oldest are dropped (default one second's worth). */
  maxBehindFlows?: number;
  /** Responses per chunk at most (default 512). */
  chunkFlows?: number;
  /** How long to wait when nothing is due (default 5 ms). */
  idleMs?: number;
  clock?: () => number;
}

/** Responses, gRPC-framed back to back, and how many flows among them. */
export interface ReplayChunk { bytes: Buffer; flows: number }

export interface ReplayCounters {
  sent: number;
  lost: number;
}

const NS_PER_S = 1e9;
/** gRPC's message prefix: a compressed flag and a 4-byte length. */
const FRAME_HEADER = 5;

/** One message with its gRPC length prefix. */
export function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, FRAME_HEADER);
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Streams until `signal` aborts, times counted from this call; `counters` (shared by the relay's
 * streams) count what was sent and dropped.
 */
export function replayStream(pool: ReplayPool, options: ReplayStreamOptions, signal: AbortSignal, counters: ReplayCounters): AsyncGenerator<ReplayChunk> {
  const rate = options.rateFlowsPerS;
  if (!(rate > 0)) throw new RangeError(`replay rate must be positive, got ${rate}`);
  const clock = options.clock ?? Date.now;
  return chunks(pool, options, signal, counters, clock());
}

async function* chunks(pool: ReplayPool, options: ReplayStreamOptions, signal: AbortSignal, counters: ReplayCounters, startMs: number): AsyncGenerator<ReplayChunk> {
  const rate = options.rateFlowsPerS;
  const clock = options.clock ?? Date.now;
  const maxBehind = options.maxBehindFlows ?? Math.max(1_000, Math.ceil(rate));
  const chunkFlows = options.chunkFlows ?? 512;
  const baseSeconds = Math.floor(startMs / 1000);
  const baseNanos = (startMs % 1000) * 1e6;
  const nsPerFlow = NS_PER_S / rate;
  // Where in the pool this stream starts: streams opened one after another do not repeat each other.
  let poolIndex = counters.sent;
  let n = 0;
  const timeOf = (k: number): [number, number] => {
    const ns = baseNanos + Math.floor(k * nsPerFlow);
    return [baseSeconds + Math.floor(ns / NS_PER_S), ns % NS_PER_S];
  };
  while (!signal.aborted) {
    const due = Math.floor(((clock() - startMs) / 1000) * rate);
    if (due - n > maxBehind) {
      const dropped = due - maxBehind - n;
      n += dropped;
      poolIndex += dropped;
      counters.lost += dropped;
      const [s, ns] = timeOf(n);
      yield { bytes: frame(pool.lostEvents(dropped, s, ns)), flows: 0 };
      continue;
    }
    if (due <= n) {
      await sleep(options.idleMs ?? 5, signal);
      continue;
    }
    const count = Math.min(chunkFlows, due - n);
    const bytes = Buffer.allocUnsafe(count * (FRAME_HEADER + pool.maxResponseBytes));
    let at = 0;
    for (let c = 0; c < count; c++, n++) {
      const [seconds, nanos] = timeOf(n);
      const end = pool.encode(poolIndex++, seconds, nanos, bytes, at + FRAME_HEADER);
      bytes[at] = 0;
      bytes.writeUInt32BE(end - at - FRAME_HEADER, at + 1);
      at = end;
    }
    counters.sent += count;
    yield { bytes: bytes.subarray(0, at), flows: count };
  }
}
