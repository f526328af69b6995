import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { flowsResponseFromJson, flowsResponseToJson } from '../../lib/flow/jsonpb';
import { loadHubbleProto } from './load-proto';
import { flowsResponseFromPb, flowsResponseToPb, type PbObject } from './flow-pb';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));
const getFlows = loadHubbleProto().observerService.GetFlows as grpc.MethodDefinition<unknown, PbObject>;

/** jsonpb line → model → protobuf bytes → model → jsonpb line. */
function throughTheWire(line: string): unknown {
  const { response } = flowsResponseFromJson(line);
  const bytes = getFlows.responseSerialize(flowsResponseToPb(response));
  return JSON.parse(flowsResponseToJson(flowsResponseFromPb(getFlows.responseDeserialize(bytes))));
}

describe('pb ⇄ Flow ⇄ jsonpb', () => {
  const files = readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl'));

  it.each(files)('%s: every line survives protobuf encoding unchanged', (file) => {
    const lines = readFileSync(join(fixtureDir, file), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) expect(throughTheWire(line)).toEqual(JSON.parse(line));
  });

  it('keeps nanoseconds, is_reply false, 64-bit strings, policies and unknown enum numbers', () => {
    const line = JSON.stringify({
      flow: {
        time: '2024-05-01T12:00:00.000000001Z', uuid: 'u-1', verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED',
        is_reply: false, l7: { type: 'RESPONSE', latency_ns: '18446744073709551615', http: { code: 503 } },
        ingress_denied_by: [{ name: 'p', namespace: 'ns', kind: 'CiliumNetworkPolicy', revision: '9' }],
        traffic_direction: 77, destination_names: ['api.example.com'],
      },
      node_name: 'c/n', time: '2024-05-01T12:00:00.5Z',
    });
    expect(throughTheWire(line)).toEqual({ ...JSON.parse(line), time: '2024-05-01T12:00:00.500Z' });
  });

  it('maps lost events and node status', () => {
    const lost = '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":"12","cpu":0},"node_name":"c/n","time":"2024-05-01T12:00:00Z"}';
    expect(throughTheWire(lost)).toEqual(JSON.parse(lost));
    const status = '{"node_status":{"state_change":"NODE_UNAVAILABLE","node_names":["c/n2"],"message":"timeout"}}';
    expect(throughTheWire(status)).toEqual(JSON.parse(status));
  });

  it('reads a known-false BoolValue that Go sends as an empty wrapper', () => {
    expect(flowsResponseFromPb({ flow: { is_reply: {} } })).toEqual({ flow: { is_reply: false } });
    expect(flowsResponseFromPb({ flow: {} })).toEqual({ flow: {} });
  });
});
