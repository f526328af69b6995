import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { findRowIndex, flowRowKey, flowRows, pageFlows } from './flow-rows';

const flow = (uuid: string): FlowsResponse => ({ flow: { uuid, time: '2026-01-15T12:00:00Z' } });

describe('flowRows', () => {
  it('reads live rows first, then the loaded ones, up to the cap', () => {
    const rows = flowRows([flow('l1'), flow('l2')], [flow('p1'), flow('p2'), flow('p3')], 4);
    expect(rows).toMatchObject({ count: 4, liveCount: 2, hidden: 1 });
    expect([0, 1, 2, 3].map((i) => rows.at(i).flow?.uuid)).toEqual(['l1', 'l2', 'p1', 'p2']);
    expect(flowRows(Array.from({ length: 6 }, (_, i) => flow(`l${i}`)), [flow('p')], 4)).toMatchObject({ count: 4, liveCount: 4, hidden: 3 });
  });

  it('flattens pages, leaving out events that are not flows', () => {
    const pages = [{ flows: [flow('a'), { lost_events: { num_events_lost: '2' } }], command: '' }, { flows: [flow('b')], command: '' }];
    expect(pageFlows(pages).map((r) => r.flow?.uuid)).toEqual(['a', 'b']);
  });

  it('finds a row by key, trying the hint first', () => {
    const rows = flowRows([flow('l1')], [flow('p1'), flow('p2')]);
    expect(findRowIndex(rows, 'p2', 2)).toBe(2);
    expect(findRowIndex(rows, 'p2', 0)).toBe(2);
    expect(findRowIndex(rows, 'p2', 99)).toBe(2);
    expect(findRowIndex(rows, 'nope')).toBe(-1);
  });
});

describe('flowRowKey', () => {
  it('is the uuid, or else tells apart flows that differ in time, endpoints, ports or verdict', () => {
    expect(flowRowKey(flow('u-1'))).toBe('u-1');
    const base: FlowsResponse = {
      flow: { time: '2026-01-15T12:00:00.000000001Z', node_name: 'n', IP: { source: '10.0.0.1', destination: '10.0.0.2' }, l4: { TCP: { source_port: 1, destination_port: 80 } }, verdict: 'FORWARDED' },
    };
    const other: FlowsResponse = { flow: { ...base.flow, l4: { TCP: { source_port: 2, destination_port: 80 } } } };
    expect(flowRowKey(base)).toBe(flowRowKey(structuredClone(base)));
    expect(flowRowKey(base)).not.toBe(flowRowKey(other));
    expect(flowRowKey(base)).not.toBe(flowRowKey({ flow: { ...base.flow, verdict: 'DROPPED' } }));
  });
});
