import { describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../flow/flow';
import { TableWriter } from './table';

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
  node_name: 'kind-kind/kind-control-plane', event_type: { type: 4 }, is_reply: true, Summary: 'TCP Flags: SYN, ACK', auth_type: 'SPIRE',
};
const lost: FlowsResponse = { lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '7', cpu: 2 } };

function table(responses: FlowsResponse[], opts: ConstructorParameters<typeof TableWriter>[0] = UTC): string {
  const tw = new TableWriter(opts);
  for (const r of responses) tw.row(r);
  return tw.flush();
}

// Widths are the widest cell plus 3 (tabwriter minwidth 2, padding 3); the last column is not padded.
describe('TableWriter', () => {
  it('aligns a header and rows; replies are not swapped and carry the auth type', () => {
    expect(table([{ flow: syn }, { flow: synAck }, lost])).toBe([
      'TIMESTAMP             SOURCE                                  DESTINATION                             TYPE            VERDICT     SUMMARY',
      'May  1 12:00:00.000   default/xwing:41000                     default/deathstar-7848d6c4d5-th9v2:80   Policy denied   DROPPED     TCP Flags: SYN',
      'May  1 12:00:00.001   default/deathstar-7848d6c4d5-th9v2:80   default/xwing:41000                     to-endpoint     FORWARDED   TCP Flags: SYN, ACK; Auth: SPIRE',
      '                      HUBBLE_RING_BUFFER                                                              EVENTS LOST                 CPU(2) - 7',
    ].join('\n') + '\n');
  });

  it('adds a NODE column with printNodeName', () => {
    expect(table([{ flow: syn }, { flow: synAck }], { ...UTC, printNodeName: true })).toBe([
      'TIMESTAMP             NODE                           SOURCE                                  DESTINATION                             TYPE            VERDICT     SUMMARY',
      'May  1 12:00:00.000   kind-kind/kind-worker          default/xwing:41000                     default/deathstar-7848d6c4d5-th9v2:80   Policy denied   DROPPED     TCP Flags: SYN',
      'May  1 12:00:00.001   kind-kind/kind-control-plane   default/deathstar-7848d6c4d5-th9v2:80   default/xwing:41000                     to-endpoint     FORWARDED   TCP Flags: SYN, ACK; Auth: SPIRE',
    ].join('\n') + '\n');
  });

  it('writes the header once, even when asked for it explicitly, and nothing for no rows', () => {
    const tw = new TableWriter(UTC);
    tw.header();
    tw.header();
    tw.row(lost);
    expect(tw.flush()).toBe('TIMESTAMP   SOURCE               DESTINATION   TYPE          VERDICT   SUMMARY\n'
      + '            HUBBLE_RING_BUFFER                 EVENTS LOST             CPU(2) - 7\n');
    expect(new TableWriter(UTC).flush()).toBe('');
  });

  it('sends node status lines to stderr at once, or puts them before the table', () => {
    const status: FlowsResponse = { node_status: { state_change: 'NODE_UNAVAILABLE', node_names: ['kind/worker'] }, node_name: 'relay', time: '2024-05-01T12:00:05Z' };
    const statusLine = 'May  1 12:00:05.000 [relay]: 1 nodes are unavailable: kind/worker\n';
    const rows = 'TIMESTAMP   SOURCE               DESTINATION   TYPE          VERDICT   SUMMARY\n'
      + '            HUBBLE_RING_BUFFER                 EVENTS LOST             CPU(2) - 7\n';
    expect(table([lost, status])).toBe(statusLine + rows);
    const stderr: string[] = [];
    expect(table([status, lost], { ...UTC, stderr: (t) => stderr.push(t) })).toBe(rows);
    expect(stderr).toEqual([statusLine]);
  });
});
