import { describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/flow/flow';
import { flattenFlow, flowDetailGroups } from './flow-details';

const drop: Flow = {
  time: '2026-01-15T12:00:00.5Z', uuid: 'u1', verdict: 'DROPPED', drop_reason: 133, drop_reason_desc: 'POLICY_DENIED',
  IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4', source_xlated: '10.0.0.9' },
  l4: { TCP: { source_port: 40000, destination_port: 8080, flags: { SYN: true } } },
  source: { namespace: 'shop', pod_name: 'frontend-1', labels: ['k8s:app=frontend', 'k8s:tier=web'], identity: 1234 },
  destination: { namespace: 'shop', pod_name: 'api-1', workloads: [{ name: 'api', kind: 'Deployment' }] },
  Type: 'L3_L4', event_type: { type: 5 }, node_name: 'demo/worker-1', traffic_direction: 'INGRESS',
  ingress_denied_by: [{ name: 'api-ingress', namespace: 'shop' }], is_reply: false,
  l7: { type: 'REQUEST', http: { method: 'GET', url: 'http://api/x', headers: [{ key: 'a', value: 'b' }] } },
  trace_observation_point: 'TO_ENDPOINT', interface: { index: 3, name: 'eth0' },
};

describe('flowDetailGroups', () => {
  it('shows every field once, in the group its prefix names', () => {
    const groups = flowDetailGroups(drop);
    const all = groups.flatMap((g) => g.fields.map((f) => f.path));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(flattenFlow(drop).map((f) => f.path).sort());
    const of = (name: string) => groups.find((g) => g.name === name)?.fields.map((f) => f.path);
    expect(groups.map((g) => g.name)).toEqual(['Summary', 'Source', 'Destination', 'L3/L4', 'L7', 'Policies', 'Node and trace']);
    expect(of('Summary')).toEqual(['time', 'uuid', 'verdict', 'drop_reason', 'drop_reason_desc', 'Type', 'event_type.type', 'is_reply', 'traffic_direction']);
    expect(of('Source')).toEqual(['IP.source', 'IP.source_xlated', 'source.namespace', 'source.pod_name', 'source.labels', 'source.identity']);
    expect(of('Destination')).toEqual(expect.arrayContaining(['IP.destination', 'destination.workloads[0].kind']));
    expect(of('L3/L4')).toEqual(['IP.ipVersion', 'l4.TCP.source_port', 'l4.TCP.destination_port', 'l4.TCP.flags.SYN']);
    expect(of('Policies')).toEqual(['ingress_denied_by[0].name', 'ingress_denied_by[0].namespace']);
    expect(of('Node and trace')).toEqual(['node_name', 'trace_observation_point', 'interface.index', 'interface.name']);
  });

  it('keeps lists of plain values as one field, one value per line, and false as false', () => {
    const fields = flattenFlow(drop);
    expect(fields.find((f) => f.path === 'source.labels')?.value).toBe('k8s:app=frontend\nk8s:tier=web');
    expect(fields.find((f) => f.path === 'is_reply')?.value).toBe('false');
  });

  it('shows fields a newer Hubble adds under Other, and empty oneof members', () => {
    const groups = flowDetailGroups({ ...drop, l4: { VRRP: {} }, future_field: { x: 1 } } as Flow);
    expect(groups.at(-1)).toEqual({ name: 'Other', fields: [{ path: 'future_field.x', value: '1' }] });
    expect(groups.find((g) => g.name === 'L3/L4')?.fields).toContainEqual({ path: 'l4.VRRP', value: '{}' });
  });
});
