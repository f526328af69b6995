import { describe, expect, it } from 'vitest';
import type { MessageTypeDefinition, MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { loadHubbleProto } from './load-proto';

interface FieldDescriptor {
  name: string;
  number: number;
}

function messageType(name: string): MessageTypeDefinition<object, Record<string, unknown>> {
  const def = loadHubbleProto().packageDefinition[name];
  if (!def || def.format !== 'Protocol Buffer 3 DescriptorProto') {
    throw new Error(`no message type ${name}`);
  }
  return def as MessageTypeDefinition<object, Record<string, unknown>>;
}

function observerMethod(name: string): MethodDefinition<object, object> {
  const service = loadHubbleProto().packageDefinition['observer.Observer'] as ServiceDefinition;
  const method = service[name];
  if (!method) throw new Error(`no method observer.Observer/${name}`);
  return method;
}

function numbersOf(type: object): Record<string, number> {
  const fields = (type as { field: FieldDescriptor[] }).field;
  return Object.fromEntries(fields.map((f) => [f.name, f.number]));
}

const fieldNumbers = (name: string) => numbersOf(messageType(name).type);

// Minimal protobuf writer, so the unknown-field test does not depend on our own definitions.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const varintField = (num: number, value: number) => [...varint(num * 8), ...varint(value)];
const bytesField = (num: number, bytes: number[]) => [...varint(num * 8 + 2), ...varint(bytes.length), ...bytes];

describe('loadHubbleProto', () => {
  it('loads once and exposes the Observer and Peer services', () => {
    const proto = loadHubbleProto();
    expect(loadHubbleProto()).toBe(proto);
    expect(Object.keys(proto.observerService).sort()).toEqual(
      ['GetAgentEvents', 'GetDebugEvents', 'GetFlows', 'GetNamespaces', 'GetNodes', 'ServerStatus'],
    );
    expect(observerMethod('GetFlows').path).toBe('/observer.Observer/GetFlows');
    for (const name of ['GetFlows', 'GetAgentEvents', 'GetDebugEvents']) {
      const { requestStream, responseStream } = observerMethod(name);
      expect([name, requestStream, responseStream]).toEqual([name, false, true]);
    }
    for (const name of ['GetNodes', 'GetNamespaces', 'ServerStatus']) {
      const { requestStream, responseStream } = observerMethod(name);
      expect([name, requestStream, responseStream]).toEqual([name, false, false]);
    }
    expect(proto.Observer.service).toBe(proto.observerService);
    expect(proto.peerService['Notify']?.path).toBe('/peer.Peer/Notify');
  });

  it('keeps the wire field numbers of the request and response', () => {
    const getFlows = observerMethod('GetFlows');
    expect(numbersOf(getFlows.requestType.type)).toMatchObject({
      number: 1, follow: 3, blacklist: 5, whitelist: 6, since: 7, until: 8, first: 9,
      field_mask: 10, experimental: 999, extensions: 150000,
    });
    expect(numbersOf(getFlows.responseType.type)).toEqual({
      flow: 1, node_status: 2, lost_events: 3, node_name: 1000, time: 1001,
    });
  });

  it('keeps the wire field numbers of Flow and FlowFilter', () => {
    expect(fieldNumbers('flow.Flow')).toMatchObject({
      time: 1, verdict: 2, IP: 5, l4: 6, Type: 10, is_reply: 26, drop_reason_desc: 25, file: 38,
      tunnel: 39, ip_trace_id: 40, emitter: 41, egress_allowed_by: 21001, ingress_allowed_by: 21002,
      egress_denied_by: 21004, ingress_denied_by: 21005, policy_log: 21006, aggregate: 21007,
      Summary: 100000, extensions: 150000,
    });
    expect(fieldNumbers('flow.FlowFilter')).toMatchObject({
      source_ip: 1, uuid: 29, drop_reason_desc: 33, destination_cluster_name: 38,
      ip_trace_id: 39, encrypted: 40, experimental: 999,
    });
    expect(fieldNumbers('observer.ServerStatusResponse')).toMatchObject({
      num_connected_nodes: 5, flows_rate: 9,
    });
  });

  it('round-trips a dropped flow through the GetFlows response codec', () => {
    const getFlows = observerMethod('GetFlows');
    const response = {
      flow: {
        time: { seconds: '1714564800', nanos: 5 },
        verdict: 'DROPPED',
        drop_reason_desc: 'POLICY_DENIED',
        is_reply: { value: true },
        Summary: 'TCP Flags: SYN',
        IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4' },
        l4: { TCP: { source_port: 41000, destination_port: 80, flags: { SYN: true } } },
        egress_denied_by: [{ name: 'deny-all', namespace: 'default', labels: ['k8s:a=b'], revision: '7' }],
      },
      node_name: 'kind/worker',
    };
    const bytes = getFlows.responseSerialize(response);
    expect(getFlows.responseDeserialize(bytes)).toEqual(response);
  });

  it('keeps a known-false is_reply distinct from an absent one', () => {
    const getFlows = observerMethod('GetFlows');
    const decodeFlow = (flowBytes: number[]) =>
      (getFlows.responseDeserialize(Buffer.from(bytesField(1, flowBytes))) as { flow: unknown }).flow;
    // Go omits a false BoolValue.value, so relay sends an empty wrapper: present means known.
    expect(decodeFlow(bytesField(26, []))).toEqual({ is_reply: {} });
    expect(decodeFlow(bytesField(26, varintField(1, 1)))).toEqual({ is_reply: { value: true } });
    expect(decodeFlow([])).toEqual({});
  });

  it('decodes unknown field numbers and unknown enum numbers without throwing', () => {
    const getFlows = observerMethod('GetFlows');
    const flowBytes = [...varintField(2, 99), ...varintField(9999, 1), ...bytesField(9998, [0x41])];
    const bytes = Buffer.from([...bytesField(1, flowBytes), ...varintField(9999, 3), ...bytesField(1000, [0x6e])]);
    const decoded = getFlows.responseDeserialize(bytes) as Record<string, unknown>;
    // An enum number this version does not name comes through as the number.
    expect(decoded).toEqual({ flow: { verdict: 99 }, node_name: 'n' });
  });

  it('decodes a relay node-status message from the same stream', () => {
    const getFlows = observerMethod('GetFlows');
    const message = {
      node_status: { state_change: 'NODE_UNAVAILABLE', node_names: ['kind/worker2'], message: 'dial timeout' },
      time: { seconds: '1714564800', nanos: 0 },
    };
    expect(getFlows.responseDeserialize(getFlows.responseSerialize(message))).toEqual(message);
  });
});
