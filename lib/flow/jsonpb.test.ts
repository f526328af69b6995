import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JsonpbError, flowsResponseFromJson, flowsResponseToJson } from './jsonpb';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));
const fixtureFiles = readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl'));

function fixtureLines(file: string): string[] {
  return readFileSync(join(fixtureDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
}

describe('jsonpb lines from real captures', () => {
  it('finds the fixtures', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(9);
  });

  it.each(fixtureFiles)('%s: every line parses and prints back to the same JSON', (file) => {
    const lines = fixtureLines(file);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const { response, warnings } = flowsResponseFromJson(line);
      expect(warnings).toEqual([]);
      expect(response.flow).toBeDefined();
      expect(JSON.parse(flowsResponseToJson(response))).toEqual(JSON.parse(line));
    }
  });
});

describe('flowsResponseFromJson', () => {
  it('accepts lowerCamel JSON names and enum numbers, printing proto names and enum names', () => {
    const { response } = flowsResponseFromJson(
      '{"flow":{"verdict":2,"dropReasonDesc":133,"isReply":false,"l4":{"TCP":{"sourcePort":1,"destinationPort":80}},"trafficDirection":"INGRESS","l7":{"type":1,"latencyNs":5}},"nodeName":"k/n"}',
    );
    expect(response).toEqual({
      flow: {
        verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED', is_reply: false,
        l4: { TCP: { source_port: 1, destination_port: 80 } }, traffic_direction: 'INGRESS',
        l7: { type: 'REQUEST', latency_ns: '5' },
      },
      node_name: 'k/n',
    });
  });

  it('keeps enum numbers a newer relay may send', () => {
    const { response, warnings } = flowsResponseFromJson('{"flow":{"verdict":42}}');
    expect(response.flow?.verdict).toBe(42);
    expect(warnings).toEqual([]);
  });

  it('keeps unknown enum names but reports them', () => {
    const { response, warnings } = flowsResponseFromJson('{"flow":{"verdict":"EXPLODED"}}');
    expect(response.flow?.verdict).toBe('EXPLODED');
    expect(warnings).toEqual(['unknown verdict value "EXPLODED"']);
  });

  it('reads lost_events and node_status lines', () => {
    expect(flowsResponseFromJson('{"lost_events":{"source":3,"num_events_lost":12,"cpu":1},"time":"2024-01-01T00:00:00Z"}').response)
      .toEqual({ lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '12', cpu: 1 }, time: '2024-01-01T00:00:00Z' });
    expect(flowsResponseFromJson('{"node_status":{"state_change":"NODE_CONNECTED","node_names":["a/b"]}}').response.node_status?.state_change)
      .toBe('NODE_CONNECTED');
  });

  it.each([
    ['{"flow":', 'not valid JSON'],
    ['[1,2]', 'not a JSON object'],
    ['"flow"', 'not a JSON object'],
    ['{"node_name":"x"}', 'no flow, node_status or lost_events'],
    ['{"flow":{"time":"yesterday"}}', 'flow.time: not an RFC 3339 timestamp'],
    ['{"flow":7}', 'flow is not an object'],
    ['{"flow":{},"lost_events":{}}', 'more than one event'],
  ])('rejects %s', (line, message) => {
    expect(() => flowsResponseFromJson(line)).toThrow(JsonpbError);
    expect(() => flowsResponseFromJson(line)).toThrow(message);
  });
});
