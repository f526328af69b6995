/**
 * FlowsResponse → `observer.GetFlowsResponse` bytes, several times cheaper than proto-loader's
 * serializer for a stream whose flows share their parts (the demo cluster builds every flow from
 * the same endpoint, IP, L4, label and policy objects, and only `time` and `uuid` are new).
 *
 * A message's encoding is the concatenation of its fields' encodings, and protobufjs writes fields
 * in field-number order, one independent of the next. So each field of a Flow is encoded once per
 * distinct value (by object identity, or by value for strings, numbers and booleans) with
 * proto-loader's own serializer applied to a Flow holding that field alone, and cached; `time` and
 * `uuid` are written by hand. The result is byte for byte what `responseSerialize` gives
 * (flows-response-encoder.test.ts compares the two over the demo's flows and the real captures).
 *
 * Caching by identity assumes a flow's parts are not changed once handed over, which is the
 * ObserverBackend contract. A stream whose flows share little (history read back from the
 * store, every flow parsed afresh) would only fill the caches: each stream measures its hit rate
 * and falls back to the plain serializer when sharing does not pay.
 */
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp } from '../../lib/time/timestamp';
import { flowsResponseToPb, type PbObject } from './flow-pb';
import { loadHubbleProto } from './load-proto';

type Serialize = (value: PbObject) => Buffer;

interface FlowField { name: string; number: number }

/** A stream checks its hit rate every this many flows. */
const CHECK_EVERY_FLOWS = 1024;
/** Below this share of object fields found in the cache, a stream stops using it for a while. */
const MIN_HIT_RATE = 0.5;
/** Flows a stream encodes the plain way before it tries the caches again. */
const PLAIN_FOR_FLOWS = 16 * 1024;
/** Distinct primitive values kept per field (node names, summaries, enum names): a bound, not a target. */
const MAX_PRIMITIVES_PER_FIELD = 4096;

const TIME_FIELD = 1;
const UUID_FIELD = 34;
const RESPONSE_FLOW_FIELD = 1;
const RESPONSE_NODE_NAME_FIELD = 1000;
const RESPONSE_TIME_FIELD = 1001;

/** What every stream shares: the serializers and the per-field caches. */
interface Shared {
  serializeResponse: Serialize;
  serializeFlow: Serialize;
  /** Flow fields other than time and uuid, in field-number order. */
  fields: FlowField[];
  objects: Map<string, WeakMap<object, Buffer>>;
  primitives: Map<string, Map<unknown, Buffer>>;
  nodeNames: Map<string, Buffer>;
}

let shared: Shared | undefined;

function sharedState(): Shared {
  if (shared) return shared;
  const definition = loadHubbleProto().packageDefinition as unknown as Record<string, {
    serialize: Serialize; type: { field: Array<{ name: string; number: number }> };
  }>;
  const flow = definition['flow.Flow'];
  const fields = flow.type.field
    .map(({ name, number }) => ({ name, number }))
    .filter((f) => f.number !== TIME_FIELD && f.number !== UUID_FIELD)
    .sort((a, b) => a.number - b.number);
  shared = {
    serializeResponse: loadHubbleProto().observerService.GetFlows.responseSerialize as Serialize,
    serializeFlow: flow.serialize,
    fields,
    objects: new Map(fields.map((f) => [f.name, new WeakMap()])),
    primitives: new Map(fields.map((f) => [f.name, new Map()])),
    nodeNames: new Map(),
  };
  return shared;
}

/** Bytes of a varint (non-negative safe integers only). */
export function varintLength(n: number): number {
  let len = 1;
  for (let v = n; v >= 128; v = Math.floor(v / 128)) len++;
  return len;
}

/** Writes `n` as a varint at `at`; returns the offset after it. */
export function writeVarint(buf: Buffer, at: number, n: number): number {
  let v = n;
  let i = at;
  while (v >= 128) {
    buf[i++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[i++] = v;
  return i;
}

const tagLength = (field: number): number => varintLength(field * 8 + 2);

/** Writes a length-delimited field's tag and length; returns where its payload starts. */
function writeHeader(buf: Buffer, at: number, field: number, payloadLength: number): number {
  return writeVarint(buf, writeVarint(buf, at, field * 8 + 2), payloadLength);
}

/** A parsed time and its Timestamp payload's length. */
interface Time { seconds: number; nanos: number; payloadLength: number }

/** What follows `YYYY-MM-DDTHH:MM:SS` in a time as the demo and protojson write it. */
const UTC_TAIL = /(?:\.(\d{1,9}))?Z$/y;
const PREFIX_LENGTH = 19;
let lastPrefix = { text: '', seconds: 0 };

/**
 * The time as protobufjs writes flow-pb's {seconds, nanos}: both members, zeros included.
 * Undefined where the hand-written form does not apply (a time before 1970, or not RFC 3339):
 * the caller then takes the plain path. A stream's flows share their second, so its parse is reused.
 */
function parseTime(text: string): Time | undefined {
  let seconds: number;
  let nanos: number;
  UTC_TAIL.lastIndex = PREFIX_LENGTH;
  const tail = text.length > PREFIX_LENGTH && lastPrefix.text !== '' && text.startsWith(lastPrefix.text) ? UTC_TAIL.exec(text) : null;
  if (tail) {
    seconds = lastPrefix.seconds;
    nanos = tail[1] ? Number(tail[1].padEnd(9, '0')) : 0;
  } else {
    const ts = parseTimestamp(text);
    if (!ts) return undefined;
    ({ seconds, nanos } = ts);
    if (text.length > PREFIX_LENGTH && text.endsWith('Z')) lastPrefix = { text: text.slice(0, PREFIX_LENGTH), seconds };
  }
  if (seconds < 0 || !Number.isSafeInteger(seconds)) return undefined;
  return { seconds, nanos, payloadLength: 2 + varintLength(seconds) + varintLength(nanos) };
}

function writeTime(buf: Buffer, at: number, field: number, time: Time): number {
  let i = writeHeader(buf, at, field, time.payloadLength);
  buf[i++] = 0x08;
  i = writeVarint(buf, i, time.seconds);
  buf[i++] = 0x10;
  return writeVarint(buf, i, time.nanos);
}

const timeFieldLength = (field: number, time: Time): number => tagLength(field) + varintLength(time.payloadLength) + time.payloadLength;

function stringField(field: number, text: string): Buffer {
  const length = Buffer.byteLength(text);
  const buf = Buffer.allocUnsafe(tagLength(field) + varintLength(length) + length);
  buf.write(text, writeHeader(buf, 0, field, length));
  return buf;
}

function writeUuid(buf: Buffer, at: number, uuid: string, length: number): number {
  const i = writeHeader(buf, at, UUID_FIELD, length);
  return i + buf.write(uuid, i);
}

/** A Flow field as flow-pb hands it to protobufjs (is_reply is a BoolValue on the wire). */
function fieldAsPb(name: string, value: unknown): PbObject {
  return { [name]: name === 'is_reply' && typeof value !== 'object' ? { value } : value };
}

/** Encodes the GetFlowsResponses of one stream; keep one per stream (its hit rate is its own). */
export class FlowsResponseEncoder {
  private readonly s = sharedState();
  private flows = 0;
  private lookups = 0;
  private hits = 0;
  private plainUntil = 0;

  /** The response's bytes, identical to proto-loader's `responseSerialize(flowsResponseToPb(response))`. */
  encode(response: FlowsResponse): Buffer {
    const flow = response.flow;
    if (!flow || ++this.flows < this.plainUntil) return this.plain(response);
    if (this.flows % CHECK_EVERY_FLOWS === 0) this.checkHitRate();
    const flowTime = flow.time === undefined ? undefined : parseTime(flow.time);
    const time = response.time === undefined ? undefined : response.time === flow.time ? flowTime : parseTime(response.time);
    const uuid = flow.uuid;
    const nodeName = response.node_name;
    const parts = this.flowParts(flow);
    if ((flow.time !== undefined && !flowTime) || (response.time !== undefined && !time) || !parts
      || (uuid != null && typeof uuid !== 'string') || (nodeName !== undefined && typeof nodeName !== 'string')) {
      return this.plain(response);
    }
    const uuidLength = typeof uuid === 'string' ? Buffer.byteLength(uuid) : -1;
    let flowLength = flowTime ? timeFieldLength(TIME_FIELD, flowTime) : 0;
    if (uuidLength >= 0) flowLength += tagLength(UUID_FIELD) + varintLength(uuidLength) + uuidLength;
    for (const part of parts) flowLength += part.bytes.length;
    const nodeBytes = nodeName === undefined ? undefined : this.nodeName(nodeName);
    const total = tagLength(RESPONSE_FLOW_FIELD) + varintLength(flowLength) + flowLength
      + (nodeBytes?.length ?? 0) + (time ? timeFieldLength(RESPONSE_TIME_FIELD, time) : 0);
    const buf = Buffer.allocUnsafe(total);
    let i = writeHeader(buf, 0, RESPONSE_FLOW_FIELD, flowLength);
    if (flowTime) i = writeTime(buf, i, TIME_FIELD, flowTime);
    let uuidDone = uuidLength < 0;
    for (const { number, bytes } of parts) {
      if (!uuidDone && number > UUID_FIELD) {
        i = writeUuid(buf, i, uuid as string, uuidLength);
        uuidDone = true;
      }
      i += bytes.copy(buf, i);
    }
    if (!uuidDone) i = writeUuid(buf, i, uuid as string, uuidLength);
    if (nodeBytes) i += nodeBytes.copy(buf, i);
    if (time) writeTime(buf, i, RESPONSE_TIME_FIELD, time);
    return buf;
  }

  private plain(response: FlowsResponse): Buffer {
    return this.s.serializeResponse(flowsResponseToPb(response));
  }

  /** The encoded fields of the Flow other than time and uuid, in number order. */
  private flowParts(flow: Flow): Array<{ number: number; bytes: Buffer }> | undefined {
    const parts: Array<{ number: number; bytes: Buffer }> = [];
    const record = flow as Record<string, unknown>;
    for (const { name, number } of this.s.fields) {
      const value = record[name];
      if (value === undefined || value === null) continue;
      parts.push({ number, bytes: typeof value === 'object' ? this.objectField(name, value) : this.primitiveField(name, value) });
    }
    return parts;
  }

  private objectField(name: string, value: object): Buffer {
    const cache = this.s.objects.get(name) as WeakMap<object, Buffer>;
    this.lookups++;
    let bytes = cache.get(value);
    if (bytes) this.hits++;
    else {
      bytes = this.s.serializeFlow(fieldAsPb(name, value));
      cache.set(value, bytes);
    }
    return bytes;
  }

  private primitiveField(name: string, value: unknown): Buffer {
    const cache = this.s.primitives.get(name) as Map<unknown, Buffer>;
    let bytes = cache.get(value);
    if (!bytes) {
      bytes = this.s.serializeFlow(fieldAsPb(name, value));
      if (cache.size >= MAX_PRIMITIVES_PER_FIELD) cache.clear();
      cache.set(value, bytes);
    }
    return bytes;
  }

  private nodeName(name: string): Buffer {
    let bytes = this.s.nodeNames.get(name);
    if (!bytes) {
      bytes = stringField(RESPONSE_NODE_NAME_FIELD, name);
      if (this.s.nodeNames.size >= MAX_PRIMITIVES_PER_FIELD) this.s.nodeNames.clear();
      this.s.nodeNames.set(name, bytes);
    }
    return bytes;
  }

  private checkHitRate(): void {
    if (this.lookups > 0 && this.hits < this.lookups * MIN_HIT_RATE) this.plainUntil = this.flows + PLAIN_FOR_FLOWS;
    this.lookups = 0;
    this.hits = 0;
  }
}
