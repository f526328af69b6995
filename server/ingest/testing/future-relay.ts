/**
 * A relay from the future: it serves GetFlows bytes with fields and enum values this build's
 * protos do not know, the way a newer Cilium would. Messages are encoded with our own protos and
 * then extended on the wire: unknown fields appended inside `flow.Flow` and inside
 * `observer.GetFlowsResponse` (including a response whose only event is an unknown one).
 */
import * as grpc from '@grpc/grpc-js';
import type { FlowsResponse } from '../../../lib/flow/flow';
import { flowsResponseToPb, messageToPb, type PbObject } from '../../hubble/flow-pb';
import { loadHubbleProto } from '../../hubble/load-proto';

function varint(value: number): Buffer {
  const out: number[] = [];
  let n = value;
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** One field on the wire: wire type 0 (varint) or 2 (length-delimited). */
function wireField(fieldNumber: number, payload: number | Buffer): Buffer {
  if (typeof payload === 'number') return Buffer.concat([varint(fieldNumber * 8), varint(payload)]);
  return Buffer.concat([varint(fieldNumber * 8 + 2), varint(payload.length), payload]);
}

function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const byte = buf[i++];
    value += (byte & 127) * scale;
    if (byte < 128) return [value, i];
    scale *= 128;
  }
}

/** Fields no version of our protos has: a string, a number, and a nested message. */
const UNKNOWN_FLOW_FIELDS = Buffer.concat([
  wireField(9_001, Buffer.from('a field from a newer Cilium')),
  wireField(9_002, 424_242),
  wireField(9_003, Buffer.concat([wireField(1, Buffer.from('nested')), wireField(2, 7)])),
]);

/** Re-emits a serialized GetFlowsResponse with unknown fields inside its flow and after it. */
export function withUnknownFields(encoded: Buffer, extraEvent = false): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < encoded.length;) {
    const [tag, afterTag] = readVarint(encoded, i);
    const fieldNumber = Math.floor(tag / 8);
    if (tag % 8 !== 2) throw new Error(`unexpected wire type in a GetFlowsResponse field ${fieldNumber}`);
    const [length, start] = readVarint(encoded, afterTag);
    const payload = encoded.subarray(start, start + length);
    parts.push(fieldNumber === 1 ? wireField(1, Buffer.concat([payload, UNKNOWN_FLOW_FIELDS])) : wireField(fieldNumber, payload));
    i = start + length;
  }
  // A response type added to the oneof in a later version.
  if (extraEvent) parts.push(wireField(77, Buffer.concat([wireField(1, Buffer.from('future event'))])));
  parts.push(wireField(5_000, Buffer.from('response-level unknown field')));
  return Buffer.concat(parts);
}

export interface FutureRelay {
  address: string;
  stop(): Promise<void>;
}

/** Serves `responses` (each tagged with whether to add an unknown event) then keeps the stream open. */
export async function startFutureRelay(responses: ReadonlyArray<{ response: FlowsResponse; unknownEvent?: boolean }>): Promise<FutureRelay> {
  const { observerService } = loadHubbleProto();
  const standard = observerService.GetFlows;
  const service: grpc.ServiceDefinition = {
    ...observerService,
    GetFlows: { ...standard, responseSerialize: (bytes: Buffer) => bytes },
  };
  const encoded = responses.map(({ response, unknownEvent }) =>
    withUnknownFields(standard.responseSerialize(flowsResponseToPb(response)), unknownEvent));
  const server = new grpc.Server();
  server.addService(service, {
    GetFlows: (call: grpc.ServerWritableStream<PbObject, Buffer>) => {
      for (const bytes of encoded) call.write(bytes);
      // follow: stay open until the client goes.
    },
    ServerStatus: (_call: unknown, callback: grpc.sendUnaryData<PbObject>) => {
      callback(null, messageToPb({ num_flows: '1', max_flows: '4095', seen_flows: '1', num_connected_nodes: 1, num_unavailable_nodes: 0, version: '9.9.9-future' }));
    },
  } as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.forceShutdown();
      resolve();
    }),
  };
}
