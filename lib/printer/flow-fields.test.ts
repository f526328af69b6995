import { describe, expect, it } from 'vitest';
import type { Flow } from '../flow/flow';
import { Verdict } from '../flow/enums';
import {
  endpointShortText, enumText, flowPorts, flowTypeText, goQuote, hostNames, hostnameText, identityText, joinWithCutOff, summaryText,
  verdictText,
} from './flow-fields';

const trace = (subType: number): Flow => ({ event_type: { type: 4, sub_type: subType } });

describe('identityText (fmtIdentity)', () => {
  it.each([
    [1, '(host)'], [2, '(world)'], [3, '(unmanaged)'], [4, '(health)'], [5, '(init)'], [6, '(remote-node)'],
    [7, '(kube-apiserver)'], [8, '(ingress)'], [9, '(world-ipv4)'], [10, '(world-ipv6)'],
    [0, '(unknown)'], [undefined, '(unknown)'], [11, '(ID:11)'], [1234, '(ID:1234)'], [16777217, '(ID:16777217)'],
  ])('%s → %s', (identity, text) => {
    expect(identityText(identity)).toBe(text);
  });
});

describe('endpointShortText (fmtEndpointShort)', () => {
  it('prints pod, reserved label or bare ID', () => {
    expect(endpointShortText({ ID: 7, namespace: 'default', pod_name: 'xwing' })).toBe('default/xwing (ID: 7)');
    expect(endpointShortText({ ID: 0, identity: 1, labels: ['reserved:host'] })).toBe('reserved:host (ID: 0)');
    expect(endpointShortText({ ID: 9, labels: ['reserved:host', 'reserved:kube-apiserver'] })).toBe('ID: 9');
    expect(endpointShortText({ pod_name: 'xwing' })).toBe('ID: 0');
    expect(endpointShortText(undefined)).toBe('N/A');
  });
});

describe('flowTypeText (GetFlowType)', () => {
  it.each([
    [0, 'to-endpoint'], [1, 'to-proxy'], [2, 'to-host'], [3, 'to-stack'], [4, 'to-overlay'], [5, 'from-endpoint'],
    [6, 'from-proxy'], [7, 'from-host'], [8, 'from-stack'], [9, 'from-overlay'], [10, 'from-network'],
    [11, 'to-network'], [12, '12'], [256 + 3, 'to-stack'],
  ])('trace sub-type %s → %s', (subType, text) => {
    expect(flowTypeText(trace(subType))).toBe(text);
  });

  it('names trace events by event_type.sub_type, not by trace_observation_point', () => {
    expect(flowTypeText({ ...trace(0), trace_observation_point: 'TO_STACK' })).toBe('to-endpoint');
  });

  it('names drops by the sub-type code, as Cilium prints the reason', () => {
    expect(flowTypeText({ event_type: { type: 1, sub_type: 133 } })).toBe('Policy denied');
    expect(flowTypeText({ event_type: { type: 1, sub_type: 181 }, drop_reason_desc: 'POLICY_DENIED' })).toBe('Policy denied by denylist');
    expect(flowTypeText({ event_type: { type: 1, sub_type: 250 } })).toBe('250, 0');
    expect(flowTypeText({ event_type: { type: 1 } })).toBe('Success');
  });

  it('prints policy verdicts with match type and direction', () => {
    const pv = (m: number | undefined, dir?: Flow['traffic_direction']): Flow => ({ event_type: { type: 5 }, policy_match_type: m, traffic_direction: dir });
    expect(flowTypeText(pv(2, 'INGRESS'))).toBe('policy-verdict:L3-L4 INGRESS');
    expect(flowTypeText(pv(3, 'EGRESS'))).toBe('policy-verdict:L4-Only EGRESS');
    expect(flowTypeText(pv(1, 'EGRESS'))).toBe('policy-verdict:L3-Only EGRESS');
    expect(flowTypeText(pv(4, 'INGRESS'))).toBe('policy-verdict:all INGRESS');
    expect(flowTypeText(pv(5, 'INGRESS'))).toBe('policy-verdict:L3-Proto INGRESS');
    expect(flowTypeText(pv(6, 'INGRESS'))).toBe('policy-verdict:Proto-Only INGRESS');
    expect(flowTypeText(pv(undefined))).toBe('policy-verdict:none TRAFFIC_DIRECTION_UNKNOWN');
    expect(flowTypeText(pv(9, 7))).toBe('policy-verdict:unknown 7');
  });

  it('prints L7 types as protocol-type, DNS with its observation source', () => {
    expect(flowTypeText({ l7: { type: 'REQUEST', http: {} } })).toBe('http-request');
    expect(flowTypeText({ l7: { type: 'RESPONSE', http: { code: 200 } } })).toBe('http-response');
    expect(flowTypeText({ l7: { type: 'REQUEST', dns: { observation_source: 'proxy' } } })).toBe('dns-request proxy');
    expect(flowTypeText({ l7: { type: 'RESPONSE', dns: {} } })).toBe('dns-response ');
    expect(flowTypeText({ l7: { type: 'REQUEST', kafka: { topic: 'deathstar-plans' } } })).toBe('kafka-request');
    expect(flowTypeText({ l7: { type: 'SAMPLE' } })).toBe('l7-sample');
    expect(flowTypeText({ l7: { http: {} } })).toBe('http-unknown_l7_type');
    expect(flowTypeText({ l7: { type: 9, http: {} }, event_type: { type: 129 } })).toBe('http-9');
  });

  it('prints capture points, socket translation points, and UNKNOWN otherwise', () => {
    expect(flowTypeText({ event_type: { type: 3 }, debug_capture_point: 'DBG_CAPTURE_DELIVERY' })).toBe('DBG_CAPTURE_DELIVERY');
    expect(flowTypeText({ event_type: { type: 3 } })).toBe('DBG_CAPTURE_POINT_UNKNOWN');
    expect(flowTypeText({ event_type: { type: 7 }, sock_xlate_point: 'SOCK_XLATE_POINT_PRE_DIRECTION_FWD' })).toBe('pre-xlate-fwd');
    expect(flowTypeText({ event_type: { type: 7 }, sock_xlate_point: 4 })).toBe('post-xlate-rev');
    expect(flowTypeText({ event_type: { type: 7 } })).toBe('SOCK_XLATE_POINT_UNKNOWN');
    expect(flowTypeText({ event_type: { type: 129 } })).toBe('UNKNOWN');
    expect(flowTypeText({})).toBe('UNKNOWN');
  });
});

describe('verdictText (getVerdict)', () => {
  const pv = (verdict: Flow['verdict']): Flow => ({ verdict, event_type: { type: 5 } });
  it('renames verdicts of policy-verdict events only', () => {
    expect(verdictText(pv('FORWARDED'))).toBe('ALLOWED');
    expect(verdictText(pv('REDIRECTED'))).toBe('ALLOWED');
    expect(verdictText(pv('DROPPED'))).toBe('DENIED');
    expect(verdictText(pv('ERROR'))).toBe('DENIED');
    expect(verdictText(pv('AUDIT'))).toBe('AUDITED');
    expect(verdictText(pv('TRACED'))).toBe('TRACED');
    expect(verdictText({ verdict: 'AUDIT', event_type: { type: 4 } })).toBe('AUDIT');
    expect(verdictText({ verdict: 'DROPPED', event_type: { type: 1 } })).toBe('DROPPED');
  });
  it('prints the zero name when absent and the number when unknown', () => {
    expect(verdictText({})).toBe('VERDICT_UNKNOWN');
    expect(verdictText({ verdict: 42 })).toBe('42');
    expect(enumText(Verdict, 7)).toBe('TRANSLATED');
  });
});

describe('summaryText (getSummary)', () => {
  it('appends the auth type unless DISABLED', () => {
    expect(summaryText({ Summary: 'TCP Flags: SYN' })).toBe('TCP Flags: SYN');
    expect(summaryText({ Summary: 'TCP Flags: SYN', auth_type: 'DISABLED' })).toBe('TCP Flags: SYN');
    expect(summaryText({ Summary: 'TCP Flags: SYN', auth_type: 'SPIRE' })).toBe('TCP Flags: SYN; Auth: SPIRE');
    expect(summaryText({ auth_type: 'TEST_ALWAYS_FAIL' })).toBe('; Auth: TEST_ALWAYS_FAIL');
    expect(summaryText({})).toBe('');
  });
});

describe('endpoint text (Hostname, GetHostNames, GetPorts)', () => {
  const parts = { ip: '10.0.0.1', port: '80', namespace: 'default', pod: '', service: '', names: [] as string[] };
  it('prefers pod, then service, then DNS names, then the IP', () => {
    expect(hostnameText({ ...parts, pod: 'xwing', service: 'svc', names: ['a.example'] })).toBe('default/xwing:80');
    expect(hostnameText({ ...parts, service: 'deathstar', names: ['a.example'] })).toBe('default/deathstar:80');
    expect(hostnameText({ ...parts, names: ['a.example', 'b.example'] })).toBe('a.example,b.example:80');
    expect(hostnameText(parts)).toBe('10.0.0.1:80');
    expect(hostnameText({ ...parts, pod: 'xwing' }, false)).toBe('10.0.0.1:80');
  });
  it('joins namespace and name like path.Join', () => {
    expect(hostnameText({ ...parts, namespace: '', pod: 'xwing' })).toBe('xwing:80');
    expect(hostnameText({ ...parts, namespace: 'a/b/..', pod: './xwing' })).toBe('a/xwing:80');
  });
  it('omits an empty or zero port and brackets IPv6', () => {
    expect(hostnameText({ ...parts, port: '' })).toBe('10.0.0.1');
    expect(hostnameText({ ...parts, port: '0' })).toBe('10.0.0.1');
    expect(hostnameText({ ...parts, ip: 'fd00::1' })).toBe('[fd00::1]:80');
    expect(hostnameText({ ...parts, ip: 'fd00::1', port: '' })).toBe('fd00::1');
  });
  it('takes ports from TCP, UDP and SCTP only', () => {
    expect(flowPorts({ l4: { UDP: { source_port: 53, destination_port: 5353 } } })).toEqual(['53', '5353']);
    expect(flowPorts({ l4: { SCTP: { source_port: 1 } } })).toEqual(['1', '0']);
    expect(flowPorts({ l4: { ICMPv4: { type: 8 } } })).toEqual(['', '']);
  });
  it('lets a service namespace replace the pod namespace, as the CLI does', () => {
    const f: Flow = {
      IP: { source: '10.0.0.1', destination: '10.0.0.2' },
      source: { namespace: 'default', pod_name: 'xwing' }, source_service: { namespace: 'rebels', name: 'xwing-svc' },
    };
    expect(hostNames(f)).toEqual(['rebels/xwing', '10.0.0.2']);
  });
  it('falls back to MAC addresses without an IP layer', () => {
    expect(hostNames({ ethernet: { source: 'aa:bb:cc:dd:ee:ff', destination: '11:22:33:44:55:66' } }))
      .toEqual(['aa:bb:cc:dd:ee:ff', '11:22:33:44:55:66']);
    expect(hostNames({})).toEqual(['', '']);
  });
});

describe('joinWithCutOff and goQuote', () => {
  it('cuts a long node list after 50 bytes but keeps at least one name', () => {
    const names = ['kind-control-plane', 'kind-worker', 'kind-worker2', 'kind-worker3', 'kind-worker4'];
    expect(joinWithCutOff(names, ', ', 50)).toBe('kind-control-plane, kind-worker, kind-worker2 (and 2 more)');
    expect(joinWithCutOff(['x'.repeat(80), 'y'], ', ', 50)).toBe(`${'x'.repeat(80)} (and 1 more)`);
    expect(joinWithCutOff(['a', 'b'], ', ', 50)).toBe('a, b');
    expect(joinWithCutOff([], ', ', 50)).toBe('');
  });
  it('quotes like strconv.Quote', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('say "hi"\\\n\t')).toBe('"say \\"hi\\"\\\\\\n\\t"');
    expect(goQuote('\x00\x7f é')).toBe('"\\x00\\x7f é"');
    expect(goQuote('\u200b')).toBe('"\\u200b"');
  });
});
