import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseFromJson, flowsResponseToJson } from '../../lib/flow/jsonpb';
import { createDemoTraffic } from '../demo/traffic';
import { withUnknownFields } from '../ingest/testing/future-relay';
import { flowsResponseFromPb, flowsResponseToPb, type PbObject } from './flow-pb';
import { decodeFlowsResponse } from './flows-response-decoder';
import { loadHubbleProto } from './load-proto';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));
const getFlows = loadHubbleProto().observerService.GetFlows as grpc.MethodDefinition<PbObject, PbObject>;
const encode = (r: FlowsResponse) => getFlows.responseSerialize(flowsResponseToPb(r));
const oldPath = (bytes: Buffer) => flowsResponseFromPb(getFlows.responseDeserialize(bytes));

/** The same object, and the same jsonpb line byte for byte (key order included). */
function expectSameAsOldPath(bytes: Buffer): void {
  const fast = decodeFlowsResponse(bytes);
  const slow = oldPath(bytes);
  expect(fast).toEqual(slow);
  expect(flowsResponseToJson(fast as FlowsResponse)).toBe(flowsResponseToJson(slow));
}

/** Re-encodes a message with its top-level fields in reverse order (protobuf allows any order). */
function reversedFields(bytes: Buffer): Buffer {
  const fields: Buffer[] = [];
  const r = { pos: 0 };
  const varint = () => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[r.pos++];
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  };
  while (r.pos < bytes.length) {
    const start = r.pos;
    const tag = varint();
    if ((tag & 7) === 2) {
      const length = varint();
      r.pos += length;
    } else if ((tag & 7) === 0) varint();
    else throw new Error('unexpected wire type');
    fields.push(bytes.subarray(start, r.pos));
  }
  return Buffer.concat(fields.reverse());
}

describe('decodeFlowsResponse', () => {
  const traffic = createDemoTraffic({ seed: 7, rateFlowsPerS: 1_500 });
  const demo = [1_777_000_000, 1_777_000_600].flatMap((k) => traffic.flowsOfSecond(k))
    .map((flow): FlowsResponse => ({ flow, node_name: flow.node_name, time: flow.time }));

  it('gives the old path\'s object and jsonpb line for the demo cluster\'s flows', () => {
    expect(demo.length).toBeGreaterThan(2_500);
    for (const response of demo) expectSameAsOldPath(encode(response));
  });

  it.each(readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl')))('gives the old path\'s result for the capture %s', (file) => {
    const lines = readFileSync(join(fixtureDir, file), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) expectSameAsOldPath(encode(flowsResponseFromJson(line).response));
  });

  it('keeps unknown enum numbers, skips unknown fields, and accepts fields in any order', () => {
    const base = demo[3].flow as NonNullable<FlowsResponse['flow']>;
    const future: FlowsResponse = {
      flow: { ...base, verdict: 99 as never, traffic_direction: 7 as never, is_reply: false, l7: { type: 17 as never, latency_ns: '18446744073709551615' } },
      node_name: 'n', time: base.time,
    };
    expectSameAsOldPath(encode(future));
    expectSameAsOldPath(withUnknownFields(encode(future)));
    // A response with only the flow, the flow's fields reversed: the decoder restores field-number order.
    const flowBytes = encode({ flow: future.flow });
    const payload = flowBytes.subarray(lengthBytes(flowBytes));
    expect(payload.length).toBeGreaterThan(100);
    const reordered = Buffer.concat([Buffer.from([0x0a]), lengthPrefix(reversedFields(payload))]);
    expect(reordered.equals(flowBytes)).toBe(false);
    expectSameAsOldPath(reordered);
  });

  it('leaves other events and what it does not handle to the old path', () => {
    expect(decodeFlowsResponse(encode({ lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '3' }, node_name: 'n' }))).toBeUndefined();
    expect(decodeFlowsResponse(encode({ node_status: { state_change: 'NODE_CONNECTED', node_names: ['a'] } }))).toBeUndefined();
    expect(decodeFlowsResponse(withUnknownFields(encode({ node_name: 'n', time: '2026-01-01T00:00:00Z' }), true))).toBeUndefined();
    // A string field sent with the varint wire type, and a truncated message.
    expect(decodeFlowsResponse(Buffer.from([0x0a, 0x02, 0x58, 0x01]))).toBeUndefined();
    expect(decodeFlowsResponse(encode(demo[0]).subarray(0, 40))).toBeUndefined();
  });
});

/** Bytes taken by the flow field's tag and length at the start of an encoded response. */
function lengthBytes(response: Buffer): number {
  let i = 1;
  while (response[i] >= 128) i++;
  return i + 1;
}

function lengthPrefix(payload: Buffer): Buffer {
  const out: number[] = [];
  let n = payload.length;
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.concat([Buffer.from(out), payload]);
}
