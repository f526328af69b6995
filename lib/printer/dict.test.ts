import { describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../flow/flow';
import { DictWriter, formatDict } from './dict';

const UTC = { timeZone: 'UTC' };
const syn: Flow = {
  time: '2024-05-01T12:00:00Z', verdict: 'DROPPED', IP: { source: '10.244.1.5', destination: '10.244.2.9' },
  l4: { TCP: { source_port: 41000, destination_port: 80 } },
  source: { identity: 1234, namespace: 'default', pod_name: 'xwing' },
  destination: { identity: 5678, namespace: 'default', pod_name: 'deathstar-7848d6c4d5-th9v2' },
  node_name: 'kind-kind/kind-worker', event_type: { type: 1, sub_type: 133 }, is_reply: false, Summary: 'TCP Flags: SYN',
};
const synAck: Flow = {
  ...syn, time: '2024-05-01T12:00:00.001Z', verdict: 'FORWARDED', IP: { source: '10.244.2.9', destination: '10.244.1.5' },
  l4: { TCP: { source_port: 80, destination_port: 41000 } }, source: syn.destination, destination: syn.source,
  event_type: { type: 4 }, is_reply: true, Summary: 'TCP Flags: SYN, ACK', auth_type: 'SPIRE',
};
const lost: FlowsResponse = { lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '1' } };
const unavailable: FlowsResponse = {
  node_status: { state_change: 'NODE_UNAVAILABLE', node_names: ['kind/worker'] }, node_name: 'relay', time: '2024-05-01T12:00:05Z',
};

const SYN_BLOCK = [
  '  TIMESTAMP: May  1 12:00:00.000',
  '     SOURCE: default/xwing:41000',
  'DESTINATION: default/deathstar-7848d6c4d5-th9v2:80',
  '       TYPE: Policy denied',
  '    VERDICT: DROPPED',
  '    SUMMARY: TCP Flags: SYN',
].join('\n') + '\n';
// Dict neither swaps reply sides nor adds the auth type (v1.17.0 prints Summary alone there).
const SYN_ACK_BLOCK = [
  '  TIMESTAMP: May  1 12:00:00.001',
  '     SOURCE: default/deathstar-7848d6c4d5-th9v2:80',
  'DESTINATION: default/xwing:41000',
  '       TYPE: to-endpoint',
  '    VERDICT: FORWARDED',
  '    SUMMARY: TCP Flags: SYN, ACK',
].join('\n') + '\n';
const LOST_BLOCK = '  TIMESTAMP: \n     SOURCE: HUBBLE_RING_BUFFER\n       TYPE: EVENTS LOST\n    VERDICT: \n    SUMMARY: CPU(0) - 1\n';
const STATUS_BLOCK = '  TIMESTAMP: May  1 12:00:05.000\n      STATE: NODE_UNAVAILABLE\n      NODES: kind/worker\n    MESSAGE: N/A\n';
const SEP = '------------\n';

describe('formatDict', () => {
  it('prints blocks separated by dashes, lost events without a destination', () => {
    expect(formatDict([{ flow: syn }, { flow: synAck }, lost], UTC)).toBe(SYN_BLOCK + SEP + SYN_ACK_BLOCK + SEP + LOST_BLOCK);
  });

  it('interleaves node status blocks where a terminal shows them, or hands them to stderr', () => {
    const responses = [{ flow: syn }, unavailable, { flow: synAck }];
    expect(formatDict(responses, UTC)).toBe(SYN_BLOCK + SEP + STATUS_BLOCK + SEP + SYN_ACK_BLOCK);
    const stderr: string[] = [];
    expect(formatDict(responses, { ...UTC, stderr: (t) => stderr.push(t) })).toBe(SYN_BLOCK + SEP + SEP + SYN_ACK_BLOCK);
    expect(stderr).toEqual([STATUS_BLOCK]);
  });

  it('counts a leading node status as printed, so the next block gets a separator', () => {
    expect(formatDict([unavailable, { flow: syn }], UTC)).toBe(STATUS_BLOCK + SEP + SYN_BLOCK);
  });

  it('skips informational node status unless debugging, and quotes messages', () => {
    const connected: FlowsResponse = { node_status: { state_change: 'NODE_CONNECTED', node_names: ['a'] }, time: '2024-05-01T12:00:05Z' };
    expect(formatDict([connected, { flow: syn }], UTC)).toBe(SYN_BLOCK);
    const error: FlowsResponse = { node_status: { state_change: 'NODE_ERROR', node_names: ['a', 'b'], message: 'tls: "bad" cert' }, time: '2024-05-01T12:00:05Z' };
    expect(new DictWriter(UTC).write(error)).toEqual({
      stdout: '', stderr: '  TIMESTAMP: May  1 12:00:05.000\n      STATE: NODE_ERROR\n      NODES: a, b\n    MESSAGE: "tls: \\"bad\\" cert"\n',
    });
  });

  it('adds NODE lines with printNodeName', () => {
    expect(formatDict([{ flow: syn }, lost], { ...UTC, printNodeName: true })).toBe(
      SYN_BLOCK.replace('\n', '\n       NODE: kind-kind/kind-worker\n') + SEP
      + LOST_BLOCK.replace('\n', '\n       NODE: \n'));
  });

  it('prints nothing for no responses', () => {
    expect(formatDict([], UTC)).toBe('');
  });
});
