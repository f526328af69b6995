import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { createDemoTraffic } from '../demo/traffic';
import { flowsResponseFromPb, flowsResponseToPb, type PbObject } from './flow-pb';
import { FlowsResponseEncoder } from './flows-response-encoder';
import { loadHubbleProto } from './load-proto';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));
const getFlows = loadHubbleProto().observerService.GetFlows as grpc.MethodDefinition<PbObject, PbObject>;
const plain = (r: FlowsResponse) => getFlows.responseSerialize(flowsResponseToPb(r));

function expectSameBytes(responses: FlowsResponse[], encoder = new FlowsResponseEncoder()): void {
  responses.forEach((response, i) => {
    const fast = encoder.encode(response);
    const slow = plain(response);
    if (!fast.equals(slow)) expect({ i, response, fast: fast.toString('hex') }).toEqual({ i, response, fast: slow.toString('hex') });
  });
}

describe('FlowsResponseEncoder', () => {
  // Two whole seconds at the demo's default rate, plus a busy second with the incident timeline on.
  const traffic = createDemoTraffic({ seed: 11, rateFlowsPerS: 3_000 });
  const demo = [1_777_000_000, 1_777_000_001, 1_777_000_600].flatMap((k) => traffic.flowsOfSecond(k))
    .map((flow): FlowsResponse => ({ flow, node_name: flow.node_name, time: flow.time }));

  it('writes the same bytes as proto-loader for the demo cluster, twice over (cache cold, then warm)', () => {
    expect(demo.length).toBeGreaterThan(8_000);
    const encoder = new FlowsResponseEncoder();
    expectSameBytes(demo, encoder);
    expectSameBytes(demo, encoder);
  });

  it('decodes to exactly the flow the old path sent', () => {
    const encoder = new FlowsResponseEncoder();
    for (const response of demo.slice(0, 2_000)) {
      expect(flowsResponseFromPb(getFlows.responseDeserialize(encoder.encode(response)))).toEqual(
        flowsResponseFromPb(getFlows.responseDeserialize(plain(response))));
    }
  });

  it.each(readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl')))('writes the same bytes for the capture %s', (file) => {
    const lines = readFileSync(join(fixtureDir, file), 'utf8').split('\n').filter(Boolean);
    expectSameBytes(lines.map((line) => flowsResponseFromJson(line).response));
  });

  it('handles the edges: unknown enum numbers, empty and missing uuid, old and odd times, other events', () => {
    const base = demo[0].flow as NonNullable<FlowsResponse['flow']>;
    expectSameBytes([
      { flow: { ...base, verdict: 99 as never, traffic_direction: 7 as never, uuid: '' }, node_name: 'n', time: base.time },
      { flow: { ...base, uuid: undefined, is_reply: false }, time: '1969-12-31T23:59:59.5Z' },
      { flow: { ...base, time: '1960-01-01T00:00:00Z' } },
      { flow: { ...base, time: 'not a time' }, node_name: '' },
      { flow: { time: '2026-01-01T00:00:00Z' } },
      { flow: {} },
      { flow: { uuid: 'only-a-uuid', Summary: 'ünïcödé ✓' } },
      { lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '3' }, node_name: 'n', time: base.time },
      { node_status: { state_change: 'NODE_CONNECTED', node_names: ['a', 'b'] }, node_name: 'relay' },
    ]);
  });

  it('falls back to the plain serializer when flows share nothing, with the same bytes', () => {
    const encoder = new FlowsResponseEncoder();
    const fresh = demo.slice(0, 3_000).map((r) => structuredClone(r));
    expectSameBytes(fresh, encoder);
  });
});
