import { describe, expect, it } from 'vitest';
import type { Flow, FlowsResponse } from '../../lib/flow/flow';
import { FLOW_COLUMNS, flowToRow } from './flow-row';

type Column = (typeof FLOW_COLUMNS)[number];

/** The named columns of the row for `flow` (a response whose node_name is another node's). */
function columns<C extends Column>(flow: Record<string, unknown>, names: C[]): Record<C, unknown> {
  const response: FlowsResponse = { flow: { time: '2026-11-26T10:00:00Z', ...flow } as Flow, node_name: 'relay/other-node' };
  const row = flowToRow(response)!;
  expect(row).toHaveLength(FLOW_COLUMNS.length);
  return Object.fromEntries(names.map((n) => [n, row[FLOW_COLUMNS.indexOf(n)]])) as Record<C, unknown>;
}

/** A number where the Flow type says number but a jsonpb line held something else. */
const odd = (v: unknown) => v as number;

describe('flowToRow', () => {
  it('stores the path the matcher reads from the URL, NULL where it has none', () => {
    const path = (url?: string) => columns({ l7: { http: { url } } }, ['http_path', 'http_url']);
    expect(path('http://h:80/a%20b?q=1')).toEqual({ http_path: '/a b', http_url: 'http://h:80/a%20b?q=1' });
    expect(path('mailto:x@y')).toEqual({ http_path: '', http_url: 'mailto:x@y' });
    expect(path('http://h/%ZZ').http_path).toBeNull();
    expect(path('foo/bar').http_path).toBeNull();
    expect(path(undefined)).toEqual({ http_path: null, http_url: null });
    expect(columns({}, ['http_path']).http_path).toBeNull();
  });

  it('stores drop_reason_desc as its wire number, without the deprecated drop_reason', () => {
    const reason = (f: Record<string, unknown>) => columns(f, ['drop_reason']).drop_reason;
    expect(reason({ drop_reason_desc: 'POLICY_DENIED', drop_reason: 181 })).toBe(133);
    expect(reason({ drop_reason: 133 })).toBe(0);
    expect(reason({ drop_reason_desc: 250 })).toBe(250);
    expect(reason({ drop_reason_desc: -5 })).toBe(-5);
    expect(reason({ drop_reason_desc: 40000 })).toBe(0);
    expect(reason({ drop_reason_desc: 'FUTURE_REASON' })).toBe(0);
  });

  it('takes node_name and cluster from the flow only, never from the response', () => {
    expect(columns({ node_name: 'prod/node-1' }, ['node_name', 'cluster'])).toEqual({ node_name: 'prod/node-1', cluster: 'prod' });
    expect(columns({ node_name: 'node-1' }, ['node_name', 'cluster'])).toEqual({ node_name: 'node-1', cluster: null });
    expect(columns({}, ['node_name', 'cluster'])).toEqual({ node_name: null, cluster: null });
  });

  it('stores NULL for addresses inet cannot hold or the matcher cannot parse', () => {
    const ips = (source: string, destination: string) => columns({ IP: { source, destination } }, ['src_ip', 'dst_ip']);
    expect(ips('fe80::1%eth0', '10.0.0.1')).toEqual({ src_ip: null, dst_ip: '10.0.0.1' });
    expect(ips('010.0.0.1', 'not-an-ip')).toEqual({ src_ip: null, dst_ip: null });
    expect(ips('2001:DB8::1', '::ffff:10.0.0.1')).toEqual({ src_ip: '2001:db8:0:0:0:0:0:1', dst_ip: '0:0:0:0:0:ffff:a00:1' });
  });

  it('keeps event_type NULL without one and for parts that are not int32', () => {
    const et = (event_type: unknown) => columns({ event_type }, ['event_type', 'event_sub_type']);
    expect(et(undefined)).toEqual({ event_type: null, event_sub_type: null });
    expect(et({})).toEqual({ event_type: 0, event_sub_type: 0 });
    expect(et({ type: 40000, sub_type: -3 })).toEqual({ event_type: 40000, event_sub_type: -3 });
    expect(et({ type: 2 ** 31, sub_type: '3' })).toEqual({ event_type: null, event_sub_type: null });
  });

  it('never writes a number its column cannot hold', () => {
    const ports = (pair: Record<string, unknown>) => columns({ l4: { UDP: pair } }, ['src_port', 'dst_port']);
    expect(ports({})).toEqual({ src_port: 0, dst_port: 0 });
    expect(ports({ source_port: 4294967295, destination_port: odd('53') })).toEqual({ src_port: null, dst_port: null });
    expect(columns({ l4: { ICMPv4: {} } }, ['src_port']).src_port).toBeNull();
    const l7 = columns({ l7: { latency_ns: '18446744073709551615', http: { code: odd(404.5) } } }, ['latency_ns', 'http_code', 'l7_protocol']);
    expect(l7).toEqual({ latency_ns: null, http_code: null, l7_protocol: 'http' });
    expect(columns({ l7: { http: { code: 4294967295 } } }, ['http_code']).http_code).toBe(4294967295);
    expect(columns({ l7: { dns: { rcode: odd('3') } } }, ['dns_rcode']).dns_rcode).toBe(-1);
    expect(columns({ l7: { kafka: { error_code: 2 ** 40 } } }, ['kafka_error_code']).kafka_error_code).toBe(2 ** 31 - 1);
    expect(columns({ interface: { index: 7.5 } }, ['interface_index']).interface_index).toBe(-1);
    expect(columns({ interface: {} }, ['interface_index']).interface_index).toBe(0);
    expect(columns({ source: { identity: odd('1234') }, destination: {} }, ['src_identity', 'dst_identity']))
      .toEqual({ src_identity: -1, dst_identity: 0 });
    expect(columns({ verdict: odd(1.5), traffic_direction: -4 }, ['verdict', 'traffic_direction'])).toEqual({ verdict: 0, traffic_direction: -4 });
  });
});
