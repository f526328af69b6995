import { describe, expect, it } from 'vitest';
import { dropGroupFacts, MAX_ADDRESSES } from './drop-group-facts';
import { cnp, dropFlow, podEndpoint, WORLD } from './drop-test-flows';

const FRONTEND = podEndpoint('shop', 'frontend', ['app=frontend']);
const API = podEndpoint('shop', 'api', ['app=api']);

describe('dropGroupFacts', () => {
  it('reads direction, denying policies with kinds, and both sides\' common labels', () => {
    const facts = dropGroupFacts([
      dropFlow({ source: FRONTEND, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] }),
      dropFlow({ source: { ...FRONTEND, labels: [...FRONTEND.labels!, 'k8s:canary=true'] }, destination: API, ingressDeniedBy: [{ name: 'api-ingress', namespace: 'shop' }] }),
    ]);
    expect(facts.direction).toBe('ingress');
    expect(facts.policies).toEqual([{ name: 'api-ingress', namespace: 'shop', kind: 'CiliumNetworkPolicy', direction: 'ingress', flows: 2 }]);
    expect(facts.source.labels).toEqual(FRONTEND.labels);
    expect(facts.destination.ips).toEqual(['10.0.2.20']);
  });

  it('takes a reply\'s sides the other way round, and the traffic direction when no policy is named', () => {
    const reply = dropFlow({ source: API, destination: FRONTEND, srcIp: '10.0.2.20', dstIp: '10.0.1.10', direction: 'EGRESS' });
    reply.flow!.is_reply = true;
    const facts = dropGroupFacts([reply]);
    expect(facts.source.labels).toEqual(FRONTEND.labels);
    expect(facts.destination.ips).toEqual(['10.0.2.20']);
    expect(facts.direction).toBe('egress');
    expect(dropGroupFacts([dropFlow({ source: FRONTEND, destination: API }), dropFlow({ source: FRONTEND, destination: API, direction: 'EGRESS' })]).direction).toBe('unknown');
  });

  it('keeps the most frequent addresses, says when there were more, and collects ICMP types', () => {
    const flows = Array.from({ length: MAX_ADDRESSES + 2 }, (_, i) => dropFlow({ source: FRONTEND, destination: WORLD, dstIp: `192.0.2.${i}`, l4: { ICMPv4: { type: 8 } } }));
    flows.push(dropFlow({ source: FRONTEND, destination: WORLD, dstIp: '192.0.2.5', l4: { ICMPv4: {} } }));
    const facts = dropGroupFacts(flows);
    expect(facts.destination.ips[0]).toBe('192.0.2.5');
    expect(facts.destination.ips).toHaveLength(MAX_ADDRESSES);
    expect(facts.destination.moreIps).toBe(true);
    expect(facts.icmpTypes).toEqual([0, 8]);
    expect(dropGroupFacts([{ node_status: { message: 'x' } }]).samples).toBe(0);
  });
});
