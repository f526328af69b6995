/**
 * Protobuf objects (as @grpc/proto-loader decodes them: proto names, enums as names, 64-bit as
 * strings, defaults omitted) ⇄ lib's jsonpb-shaped model. The two shapes differ only in the
 * well-known types: Timestamp is {seconds, nanos} on the wire and a string in JSON, and wrapper
 * values (BoolValue, Int32Value, UInt32Value) are {value} on the wire and bare in JSON.
 * Protobuf stops here: nothing past server/hubble sees a pb object.
 */
import { formatTimestamp, parseTimestamp } from '../../lib/time/timestamp';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';

/** A decoded protobuf message as proto-loader hands it over. */
export type PbObject = Record<string, unknown>;

const TIMESTAMP_FIELDS = new Set(['time', 'since', 'until']);
const WRAPPER_FIELDS = new Set(['is_reply', 'cpu', 'num_connected_nodes', 'num_unavailable_nodes']);
/** Fields that hold google.protobuf.Any, which JSON cannot print without its type: dropped. */
const ANY_FIELDS = new Set(['extensions']);

/** The last whole second formatted (without its `Z`): a stream's flows share seconds. */
let lastSecond = { seconds: NaN, text: '' };

/**
 * A decoded google.protobuf.Timestamp ({seconds, nanos}) → RFC 3339, as formatTimestamp gives it,
 * with the date and time part reused from the previous call when the second is the same.
 */
export function pbTimestampToString(v: unknown): string {
  const ts = v as { seconds?: string | number; nanos?: number };
  const seconds = Number(ts.seconds ?? 0);
  const nanos = ts.nanos ?? 0;
  if (!Number.isInteger(seconds) || !Number.isInteger(nanos) || nanos < 0 || nanos >= 1e9) return formatTimestamp({ seconds, nanos });
  if (seconds !== lastSecond.seconds) lastSecond = { seconds, text: formatTimestamp({ seconds, nanos: 0 }).slice(0, -1) };
  if (nanos === 0) return `${lastSecond.text}Z`;
  let frac = String(nanos).padStart(9, '0');
  while (frac.endsWith('000')) frac = frac.slice(0, -3);
  return `${lastSecond.text}.${frac}Z`;
}

function fromPb(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromPb);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as PbObject)) {
    if (v === undefined || v === null || ANY_FIELDS.has(key)) continue;
    if (TIMESTAMP_FIELDS.has(key) && typeof v === 'object') out[key] = pbTimestampToString(v);
    else if (WRAPPER_FIELDS.has(key) && typeof v === 'object') out[key] = (v as { value?: unknown }).value ?? defaultWrapped(key);
    else out[key] = fromPb(v);
  }
  return out;
}

function defaultWrapped(key: string): boolean | number {
  return key === 'is_reply' ? false : 0;
}

function toPb(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPb);
  if (value === null || typeof value !== 'object') return value;
  const out: PbObject = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (TIMESTAMP_FIELDS.has(key) && typeof v === 'string') {
      const ts = parseTimestamp(v);
      if (ts) out[key] = { seconds: String(ts.seconds), nanos: ts.nanos };
    } else if (WRAPPER_FIELDS.has(key) && typeof v !== 'object') out[key] = { value: v };
    else out[key] = toPb(v);
  }
  return out;
}

/**
 * The flow path is hot (tens of thousands of responses a second), so it converts only the fields
 * that differ between the shapes instead of walking every object; the generic walkers below do
 * the same job for the rare messages.
 */
function flowFromPb(pb: PbObject): Flow {
  const { time, is_reply, extensions: _any, ...rest } = pb;
  const flow = rest as Flow;
  if (time !== undefined && time !== null) flow.time = pbTimestampToString(time);
  if (is_reply !== undefined && is_reply !== null) flow.is_reply = (is_reply as { value?: boolean }).value ?? false;
  return flow;
}

function flowToPb(flow: Flow): PbObject {
  const pb: PbObject = { ...flow };
  if (flow.time !== undefined) pb.time = stringToPbTimestamp(flow.time);
  if (flow.is_reply !== undefined) pb.is_reply = { value: flow.is_reply };
  return pb;
}

function stringToPbTimestamp(text: string): PbObject | undefined {
  const ts = parseTimestamp(text);
  return ts ? { seconds: String(ts.seconds), nanos: ts.nanos } : undefined;
}

/** Decoded `observer.GetFlowsResponse` → FlowsResponse. */
export function flowsResponseFromPb(pb: PbObject): FlowsResponse {
  if (!pb.flow) return fromPb(pb) as FlowsResponse;
  const response: FlowsResponse = { flow: flowFromPb(pb.flow as PbObject) };
  if (pb.node_name !== undefined) response.node_name = pb.node_name as string;
  if (pb.time !== undefined && pb.time !== null) response.time = pbTimestampToString(pb.time);
  return response;
}

/** FlowsResponse → object for proto-loader to encode as `observer.GetFlowsResponse`. */
export function flowsResponseToPb(response: FlowsResponse): PbObject {
  if (!response.flow) return toPb(response) as PbObject;
  const pb: PbObject = { flow: flowToPb(response.flow) };
  if (response.node_name !== undefined) pb.node_name = response.node_name;
  if (response.time !== undefined) pb.time = stringToPbTimestamp(response.time);
  return pb;
}

/** Any decoded message with Timestamps / wrappers (ServerStatus, GetNodes, filters) → JSON shape. */
export function messageFromPb<T>(pb: PbObject): T {
  return fromPb(pb) as T;
}

/** Any JSON-shaped message → object for proto-loader to encode. */
export function messageToPb(message: object): PbObject {
  return toPb(message) as PbObject;
}
