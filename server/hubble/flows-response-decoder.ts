/**
 * `observer.GetFlowsResponse` bytes carrying a flow → FlowsResponse in one pass, without
 * protobufjs's decode (message instances), toObject (a second copy) and flowFromPb (a third). The
 * result is the very object the old path built, key order included, so that everything downstream
 * (the typed columns, the stored jsonpb line) is unchanged: flows-response-decoder.test.ts compares
 * the two over the demo's flows, the real captures and a relay from the future.
 *
 * The decoder is driven by the same descriptors proto-loader reads, and follows protobufjs where
 * protobuf leaves a choice: fields come out in field-number order, a repeated non-message field may
 * be packed or not, a message field seen twice keeps the last one, unknown fields are skipped, an
 * enum number without a name stays a number, 64-bit integers become decimal strings. Anything it
 * does not handle (another event than a flow, a wire type that does not match the field, a field
 * type flows do not use) gives `undefined`, and the caller takes the old path for that response.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { loadHubbleProto } from './load-proto';
import { flowsResponseFromPb, pbTimestampToString, type PbObject } from './flow-pb';
import { NOT_HANDLED, NotHandled, PbReader, int64Text } from './pb-reader';

type Kind = 'message' | 'enum' | 'string' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'unsupported';

interface FieldInfo {
  name: string;
  number: number;
  kind: Kind;
  repeated: boolean;
  enumNames?: Map<number, string>;
  message?: MessageInfo;
  /** Flow fields flowFromPb moves to the end (time, is_reply) or drops (extensions, a google.protobuf.Any). */
  flowSpecial?: 'time' | 'is_reply' | 'drop';
  /** Decoded once per distinct encoding and shared, frozen (see SHARED_MESSAGES). */
  shared?: boolean;
}

/**
 * Endpoints are most of a flow's bytes (their labels) and a cluster has few of them compared with
 * its flows, so each distinct encoding is decoded once and the object shared by every flow that
 * carries it. Shared objects are frozen: a consumer that tried to change one would throw instead
 * of changing other flows. Downstream caches (the binary COPY field of a label array) key on these
 * frozen objects.
 */
const SHARED_MESSAGES = new Set(['flow.Endpoint']);
/** Distinct endpoint encodings kept (about 1.5 kB each); past it the cache starts over. */
const MAX_SHARED = 10_000;
/** Decoded endpoints by their encoding, read as latin1 (one character a byte). */
const sharedDecoded = new Map<string, Record<string, unknown>>();

interface MessageInfo { fields: Map<number, FieldInfo> }

const KINDS: Record<string, Kind> = {
  TYPE_MESSAGE: 'message', TYPE_ENUM: 'enum', TYPE_STRING: 'string', TYPE_BOOL: 'bool', TYPE_INT32: 'int32',
  TYPE_UINT32: 'uint32', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64',
};

interface Descriptor {
  type: {
    field?: Array<{ name: string; number: number; type: string; label: string; typeName: string }>;
    value?: Array<{ name: string; number: number }>;
    enumType?: Array<{ name: string; value: Array<{ name: string; number: number }> }>;
  };
}

let flowInfo: MessageInfo | undefined;

function buildFlowInfo(): MessageInfo {
  const definitions = loadHubbleProto().packageDefinition as unknown as Record<string, Descriptor>;
  const messages = new Map<string, MessageInfo>();
  const resolve = (scope: string, typeName: string) => (definitions[`${scope}.${typeName}`] ? `${scope}.${typeName}` : typeName);
  const message = (fullName: string): MessageInfo => {
    let info = messages.get(fullName);
    if (info) return info;
    info = { fields: new Map() };
    messages.set(fullName, info);
    const scope = fullName.slice(0, fullName.lastIndexOf('.'));
    for (const f of definitions[fullName].type.field ?? []) {
      const field: FieldInfo = { name: f.name, number: f.number, kind: KINDS[f.type] ?? 'unsupported', repeated: f.label === 'LABEL_REPEATED' };
      if (field.kind === 'message') {
        field.message = message(resolve(scope, f.typeName));
        field.shared = SHARED_MESSAGES.has(resolve(scope, f.typeName));
      }
      if (field.kind === 'enum') {
        // An enum declared inside the message is not in the package definition, only in its descriptor.
        const values = definitions[resolve(scope, f.typeName)]?.type.value
          ?? definitions[fullName].type.enumType?.find((e) => e.name === f.typeName)?.value;
        // Like protobufjs's valuesById: for aliases, the last name given to a number.
        if (values) field.enumNames = new Map(values.map((v) => [v.number, v.name]));
        else field.kind = 'unsupported';
      }
      info.fields.set(f.number, field);
    }
    return info;
  };
  const flow = message('flow.Flow');
  for (const field of flow.fields.values()) {
    if (field.name === 'time' || field.name === 'is_reply') field.flowSpecial = field.name;
    if (field.name === 'extensions') field.flowSpecial = 'drop';
  }
  return flow;
}

function scalar(r: PbReader, field: FieldInfo): unknown {
  switch (field.kind) {
    case 'string': return r.string();
    case 'bool': return r.uint32() !== 0;
    case 'uint32': return r.uint32();
    case 'int32': return r.uint32() | 0;
    case 'enum': {
      const n = r.uint32() | 0;
      return field.enumNames?.get(n) ?? n;
    }
    case 'int64':
    case 'uint64': {
      const lo = r.varint64();
      return int64Text(lo, r.hi, field.kind === 'int64');
    }
    default: throw NOT_HANDLED;
  }
}

function fieldValue(r: PbReader, field: FieldInfo, wireType: number): unknown {
  if (field.kind === 'message') {
    if (wireType !== 2) throw NOT_HANDLED;
    const end = r.uint32() + r.pos;
    if (end > r.buf.length) throw NOT_HANDLED;
    return field.shared ? sharedMessage(r, field.message as MessageInfo, end) : decodeMessage(r, field.message as MessageInfo, end);
  }
  if (field.kind === 'string' ? wireType !== 2 : wireType !== 0) throw NOT_HANDLED;
  return scalar(r, field);
}

function sharedMessage(r: PbReader, info: MessageInfo, end: number): Record<string, unknown> {
  const key = r.buf.toString('latin1', r.pos, end);
  let decoded = sharedDecoded.get(key);
  if (decoded) r.pos = end;
  else {
    decoded = deepFreeze(decodeMessage(r, info, end));
    if (sharedDecoded.size >= MAX_SHARED) sharedDecoded.clear();
    sharedDecoded.set(key, decoded);
  }
  return decoded;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A packed run of a repeated scalar field. */
function packed(r: PbReader, field: FieldInfo, into: unknown[]): void {
  const end = r.uint32() + r.pos;
  if (end > r.buf.length) throw NOT_HANDLED;
  while (r.pos < end) into.push(scalar(r, field));
}

/** One message's fields up to `end`, as toObject would give them: in field-number order. */
function decodeMessage(r: PbReader, info: MessageInfo, end: number, special?: Map<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  let last = 0;
  let ordered = true;
  while (r.pos < end) {
    const tag = r.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    const field = info.fields.get(number);
    if (!field) {
      r.skip(wireType);
      continue;
    }
    if (number < last) ordered = false;
    last = number;
    if (special && field.flowSpecial) {
      if (field.flowSpecial === 'drop') r.skip(wireType);
      else special.set(field.flowSpecial, fieldValue(r, field, wireType));
    } else if (field.repeated) {
      const list = (out[field.name] as unknown[] | undefined) ?? (out[field.name] = []);
      if (wireType === 2 && field.kind !== 'message' && field.kind !== 'string') packed(r, field, list as unknown[]);
      else (list as unknown[]).push(fieldValue(r, field, wireType));
    } else out[field.name] = fieldValue(r, field, wireType);
  }
  if (r.pos !== end) throw NOT_HANDLED;
  if (!ordered) out = inFieldOrder(out, info);
  return out;
}

function inFieldOrder(out: Record<string, unknown>, info: MessageInfo): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const field of [...info.fields.values()].sort((a, b) => a.number - b.number)) {
    if (field.name in out) sorted[field.name] = out[field.name];
  }
  return sorted;
}

const RESPONSE_FLOW = 1;
const RESPONSE_NODE_NAME = 1000;
const RESPONSE_TIME = 1001;
const TIMESTAMP_FIELD: FieldInfo = { name: 'time', number: RESPONSE_TIME, kind: 'message', repeated: false };

/**
 * The FlowsResponse of a GetFlowsResponse that carries a flow, exactly as
 * `flowsResponseFromPb(responseDeserialize(bytes))` gives it; undefined for any other response or
 * anything this decoder leaves to that path.
 */
export function decodeFlowsResponse(buf: Buffer): FlowsResponse | undefined {
  flowInfo ??= buildFlowInfo();
  TIMESTAMP_FIELD.message ??= (flowInfo.fields.get(1) as FieldInfo).message;
  const r = new PbReader(buf);
  let flow: Record<string, unknown> | undefined;
  let nodeName: string | undefined;
  let time: unknown;
  try {
    while (r.pos < buf.length) {
      const tag = r.uint32();
      const number = tag >>> 3;
      if (number === RESPONSE_FLOW && (tag & 7) === 2) {
        const end = r.uint32() + r.pos;
        if (end > buf.length) return undefined;
        const special = new Map<string, unknown>();
        flow = decodeMessage(r, flowInfo, end, special);
        // flowFromPb's shape: time and is_reply last, converted from their wrappers.
        const t = special.get('time');
        if (t !== undefined) flow.time = pbTimestampToString(t);
        const reply = special.get('is_reply') as { value?: boolean } | undefined;
        if (reply !== undefined) flow.is_reply = reply.value ?? false;
      } else if (number === RESPONSE_NODE_NAME && (tag & 7) === 2) nodeName = r.string();
      else if (number === RESPONSE_TIME) time = fieldValue(r, TIMESTAMP_FIELD, tag & 7);
      else if (number === 2 || number === 3 || number === RESPONSE_FLOW) return undefined;
      else r.skip(tag & 7);
    }
  } catch (err) {
    if (err instanceof NotHandled || err instanceof RangeError) return undefined;
    throw err;
  }
  if (!flow) return undefined;
  const response: FlowsResponse = { flow };
  if (nodeName !== undefined) response.node_name = nodeName;
  if (time !== undefined) response.time = pbTimestampToString(time);
  return response;
}

let oldDeserialize: ((bytes: Buffer) => unknown) | undefined;

/**
 * The GetFlows response deserializer for clients: the fast decoder, and proto-loader plus
 * flowsResponseFromPb for what it leaves (other events, anything unusual). Throws what proto-loader
 * throws for bytes that are not a GetFlowsResponse.
 */
export function deserializeFlowsResponse(bytes: Buffer): FlowsResponse {
  const fast = decodeFlowsResponse(bytes);
  if (fast) return fast;
  oldDeserialize ??= loadHubbleProto().observerService.GetFlows.responseDeserialize;
  return flowsResponseFromPb(oldDeserialize(bytes) as PbObject);
}
