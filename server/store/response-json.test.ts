import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { createDemoTraffic } from '../demo/traffic';
import { FlowsResponseEncoder } from '../hubble/flows-response-encoder';
import { decodeFlowsResponse } from '../hubble/flows-response-decoder';
import { responseJson } from './response-json';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));

describe('responseJson', () => {
  it('is JSON.stringify for demo flows as the relay client decodes them (shared frozen endpoints), twice over', () => {
    const encoder = new FlowsResponseEncoder();
    const decoded = createDemoTraffic({ seed: 4, rateFlowsPerS: 2_000 }).flowsOfSecond(1_777_000_300)
      .map((flow) => decodeFlowsResponse(encoder.encode({ flow, node_name: flow.node_name, time: flow.time })) as FlowsResponse);
    expect(decoded.length).toBeGreaterThan(1_500);
    expect(decoded.some((r) => Object.isFrozen(r.flow?.source))).toBe(true);
    for (let round = 0; round < 2; round++) for (const r of decoded) expect(responseJson(r)).toBe(JSON.stringify(r));
  });

  it('is JSON.stringify for the real captures and for odd responses', () => {
    const lines = readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(fixtureDir, f), 'utf8').split('\n').filter(Boolean));
    for (const line of lines) {
      const { response } = flowsResponseFromJson(line);
      expect(responseJson(response)).toBe(JSON.stringify(response));
    }
    const odd = [
      { flow: { uuid: 'a"b\\c\u2028', verdict: undefined, source: Object.freeze({ labels: Object.freeze(['x\ty']) }) }, node_name: undefined },
      { lost_events: { num_events_lost: '1' } },
      { flow: {}, time: '2026-01-01T00:00:00Z' },
    ] as FlowsResponse[];
    for (const r of odd) expect(responseJson(r)).toBe(JSON.stringify(r));
  });
});
