/**
 * A benchmark relay's flows: a pool of demo flows generated and encoded once, then streamed in a
 * loop at a fixed rate with only `time` and `uuid` written per flow. Simulating the cluster costs
 * the demo relay about 15 µs a flow, as much as the collector it feeds; a benchmark of the
 * collector needs a relay whose own cost is small next to it, while the flows stay the demo's
 * mix (same endpoints, verdicts, drops, L7, nodes), each with a uuid of its own and monotonic times.
 *
 * Each pooled flow is kept as the encoded bytes of its fields other than time and uuid, split at
 * uuid's field number so that fields stay in field-number order as protobufjs writes them; a
 * response is then those parts with a fresh time and uuid written between them.
 */
import { randomUUID } from 'node:crypto';
import type { Flow } from '../../lib/flow/flow';
import { formatTimestamp } from '../../lib/time/timestamp';
import { FlowsResponseEncoder, varintLength, writeVarint } from '../hubble/flows-response-encoder';
import { loadHubbleProto } from '../hubble/load-proto';
import { flowsResponseToPb } from '../hubble/flow-pb';
import { createDemoTraffic } from './traffic';

const UUID_FIELD = 34;
const UUID_LENGTH = 36;
/** Tag and length bytes of the 36-character uuid (field 34, wire type 2). */
const UUID_HEADER = Buffer.from([0x92, 0x02, UUID_LENGTH]);
const FLOW_TIME_TAG = 0x0a;
/** Field 1001 (GetFlowsResponse.time), wire type 2, as a varint. */
const RESPONSE_TIME_TAG = Buffer.from([0xca, 0x3e]);

/**
 * The pool's bytes in one buffer, each flow's three parts (fields below uuid with time left out,
 * fields above uuid, the response's node_name field) at offsets: a pool of 200,000 flows as
 * 600,000 small Buffers made every major garbage collection of the relay walk them all.
 */
interface PoolBytes { bytes: Buffer; offsets: Int32Array }

export interface ReplayPool {
  readonly size: number;
  readonly nodes: readonly string[];
  readonly namespaces: readonly string[];
  /** The i-th pooled flow (modulo the pool's size) as an encoded GetFlowsResponse with this time and a new uuid. */
  encode(i: number, seconds: number, nanos: number, out: Buffer, at: number): number;
  /** Upper bound of one encoded response's size. */
  readonly maxResponseBytes: number;
  /** A lost_events response, encoded. */
  lostEvents(count: number, seconds: number, nanos: number): Buffer;
}

export interface ReplayPoolOptions {
  poolSize: number;
  seed?: number;
  /** The demo second the pool's flows are generated from (Unix seconds); default an hour ago. */
  fromSecond?: number;
}

/** The flow bytes inside an encoded `GetFlowsResponse{flow}`: past field 1's tag and length. */
function flowPayload(response: Buffer): Buffer {
  if (response.length === 0) return response;
  let i = 1;
  while (response[i] & 0x80) i++;
  return response.subarray(i + 1);
}

function flowFieldNumbers(): Map<string, number> {
  const definition = loadHubbleProto().packageDefinition as unknown as Record<string, { type: { field: Array<{ name: string; number: number }> } }>;
  return new Map(definition['flow.Flow'].type.field.map((f) => [f.name, f.number]));
}

function splitFlow(flow: Flow, numbers: Map<string, number>): { low: Flow; high: Flow } {
  const low: Record<string, unknown> = {};
  const high: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flow)) {
    const number = numbers.get(name);
    if (number === undefined || number === 1 || number === UUID_FIELD || value === undefined) continue;
    (number < UUID_FIELD ? low : high)[name] = value;
  }
  return { low: low as Flow, high: high as Flow };
}

/** Appends each flow's three parts to one buffer, recording where each starts (and the end). */
function packPool(parts: Buffer[][]): PoolBytes {
  const offsets = new Int32Array(parts.length * 3 + 1);
  let length = 0;
  for (const [i, flowParts] of parts.entries()) {
    for (const [j, part] of flowParts.entries()) {
      offsets[i * 3 + j] = length;
      length += part.length;
    }
  }
  offsets[parts.length * 3] = length;
  const bytes = Buffer.allocUnsafe(length);
  for (const [i, flowParts] of parts.entries()) for (const [j, part] of flowParts.entries()) part.copy(bytes, offsets[i * 3 + j]);
  return { bytes, offsets };
}

/** Generates `poolSize` demo flows (seconds of the demo's traffic at 20,000 flows/s) and encodes them. */
export function buildReplayPool(options: ReplayPoolOptions): ReplayPool {
  if (!Number.isInteger(options.poolSize) || options.poolSize < 1) throw new RangeError(`replay pool size must be a positive whole number, got ${options.poolSize}`);
  const traffic = createDemoTraffic({ seed: options.seed ?? 1, rateFlowsPerS: 20_000 });
  const numbers = flowFieldNumbers();
  const encoder = new FlowsResponseEncoder();
  const serialize = loadHubbleProto().observerService.GetFlows.responseSerialize as (value: unknown) => Buffer;
  const nodeFields = new Map<string, Buffer>();
  const namespaces = new Set<string>();
  const parts: Buffer[][] = [];
  // Whole seconds of an hour ago, so incidents and the daily shape are the demo's own.
  for (let k = options.fromSecond ?? Math.floor(Date.now() / 1000) - 3600; parts.length < options.poolSize; k++) {
    for (const flow of traffic.flowsBetween(k * 1000, (k + 1) * 1000)) {
      if (parts.length === options.poolSize) break;
      const nodeName = flow.node_name ?? traffic.nodes[0].name;
      let node = nodeFields.get(nodeName);
      if (!node) nodeFields.set(nodeName, (node = encoder.encode({ node_name: nodeName })));
      const { low, high } = splitFlow(flow, numbers);
      parts.push([flowPayload(encoder.encode({ flow: low })), flowPayload(encoder.encode({ flow: high })), node]);
      for (const ep of [flow.source, flow.destination]) if (ep?.namespace) namespaces.add(ep.namespace);
    }
  }
  let maxFlowBytes = 0;
  let maxNodeBytes = 0;
  for (const [low, high, node] of parts) {
    maxFlowBytes = Math.max(maxFlowBytes, low.length + high.length);
    maxNodeBytes = Math.max(maxNodeBytes, node.length);
  }
  const { bytes, offsets } = packPool(parts);
  const size = parts.length;
  parts.length = 0;
  // time: tag, length, seconds (≤ 10-byte varint) and nanos (≤ 5) with their tags.
  const TIME_MAX = 2 + 2 + 10 + 5;
  const maxFlow = maxFlowBytes + TIME_MAX + UUID_HEADER.length + UUID_LENGTH;
  const uuidPrefix = Buffer.from(randomUUID().slice(0, 24), 'latin1');
  let uuidCounter = 0;

  function writeTime(out: Buffer, at: number, seconds: number, nanos: number): number {
    let i = writeVarint(out, at, 2 + varintLength(seconds) + varintLength(nanos));
    out[i++] = 0x08;
    i = writeVarint(out, i, seconds);
    out[i++] = 0x10;
    return writeVarint(out, i, nanos);
  }

  /** 24 random characters and a 12-hex-digit counter: a distinct uuid for every flow this process emits. */
  function writeUuid(out: Buffer, at: number): number {
    let i = at + UUID_HEADER.copy(out, at);
    i += uuidPrefix.copy(out, i);
    let n = uuidCounter++;
    for (let d = 11; d >= 0; d--) {
      const digit = n % 16;
      out[i + d] = digit < 10 ? 48 + digit : 87 + digit;
      n = Math.floor(n / 16);
    }
    return i + 12;
  }

  return {
    size,
    nodes: [...nodeFields.keys()].sort(),
    namespaces: [...namespaces].sort(),
    maxResponseBytes: 1 + 3 + maxFlow + maxNodeBytes + RESPONSE_TIME_TAG.length + TIME_MAX,
    encode(index, seconds, nanos, out, at) {
      const at3 = (index % size) * 3;
      const lowStart = offsets[at3];
      const highStart = offsets[at3 + 1];
      const nodeStart = offsets[at3 + 2];
      const nodeEnd = offsets[at3 + 3];
      const timeLength = 1 + 1 + 2 + varintLength(seconds) + varintLength(nanos);
      const flowLength = timeLength + (nodeStart - lowStart) + UUID_HEADER.length + UUID_LENGTH;
      let i = at;
      out[i++] = 0x0a;
      i = writeVarint(out, i, flowLength);
      out[i++] = FLOW_TIME_TAG;
      i = writeTime(out, i, seconds, nanos);
      i += bytes.copy(out, i, lowStart, highStart);
      i = writeUuid(out, i);
      i += bytes.copy(out, i, highStart, nodeStart);
      i += bytes.copy(out, i, nodeStart, nodeEnd);
      i += RESPONSE_TIME_TAG.copy(out, i);
      return writeTime(out, i, seconds, nanos);
    },
    lostEvents(count, seconds, nanos) {
      const lost_events = { source: 'HUBBLE_RING_BUFFER' as const, num_events_lost: String(count) };
      return serialize(flowsResponseToPb({ lost_events, node_name: nodeFields.keys().next().value, time: formatTimestamp({ seconds, nanos }) }));
    },
  };
}
