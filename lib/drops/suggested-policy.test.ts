import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DropGroupKey } from '../api/drop-groups';
import { dropGroupFacts } from './drop-group-facts';
import { cnp, dropFlow, HOST, podEndpoint, WORLD, type DropFlowInit } from './drop-test-flows';
import { suggestPolicy } from './suggested-policy';

const FRONTEND = podEndpoint('shop', 'frontend', ['app=frontend', 'tier=web']);
const API = podEndpoint('shop', 'api', ['app=api', 'tier=backend', 'version=v2']);
const CHECKOUT = podEndpoint('payments', 'checkout', ['app.kubernetes.io/name=checkout', 'pod-template-hash=5d4f']);
const FRAUD = podEndpoint('payments', 'fraud-check', ['app=fraud-check']);

function key(over: Partial<DropGroupKey>): DropGroupKey {
  return {
    source: { cluster: 'default', namespace: 'shop', entity: 'frontend' },
    destination: { cluster: 'default', namespace: 'shop', entity: 'api' },
    destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
    ...over,
  };
}

/** The suggestion for a key and its sample flows, with the YAML parsed back. */
function suggest(k: DropGroupKey, flows: DropFlowInit[]) {
  const s = suggestPolicy(k, dropGroupFacts(flows.map(dropFlow)));
  if (s.kind !== 'policy') throw new Error(`expected a policy, got: ${s.reason}`);
  return { ...s, doc: parse(s.yaml) };
}

describe('suggestPolicy', () => {
  it('allows an ingress drop in the destination namespace, selecting both sides by their app labels', () => {
    const s = suggest(key({}), [{ source: FRONTEND, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] }]);
    expect(s.doc).toEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'allow-frontend-to-api-8080-tcp', namespace: 'shop' },
      spec: {
        description: 'Allows shop/frontend to shop/api on 8080/TCP, dropped as POLICY_DENIED by shop/api-ingress.',
        endpointSelector: { matchLabels: { app: 'api' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'frontend' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      },
    });
    expect(s.direction).toBe('ingress');
    expect(s.warnings).toEqual([]);
    expect(s.yaml.startsWith('# Suggested by Hubble Flow Dashboard')).toBe(true);
  });

  it('names the source namespace for a source in another namespace, and skips per-rollout labels', () => {
    const k = key({ source: { cluster: 'default', namespace: 'payments', entity: 'checkout' } });
    const s = suggest(k, [{ source: CHECKOUT, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] }]);
    expect(s.doc.spec.ingress[0].fromEndpoints).toEqual([
      { matchLabels: { 'app.kubernetes.io/name': 'checkout', 'k8s:io.kubernetes.pod.namespace': 'payments' } },
    ]);
  });

  it('names the source cluster for a source in another cluster', () => {
    const remote = podEndpoint('shop', 'frontend', ['app=frontend'], 'east');
    const k = key({ source: { cluster: 'east', namespace: 'shop', entity: 'frontend' } });
    const s = suggest(k, [{ source: remote, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] }]);
    expect(s.doc.spec.ingress[0].fromEndpoints[0].matchLabels).toEqual({ app: 'frontend', 'k8s:io.cilium.k8s.policy.cluster': 'east' });
  });

  it('allows egress to an FQDN with toFQDNs in the source namespace, plus the DNS rule toFQDNs needs', () => {
    const k = key({
      source: { cluster: 'default', namespace: 'payments', entity: 'fraud-check' }, destination: { cluster: '', namespace: '', entity: 'world' },
      destinationName: 'api.partner.example', port: 443, policies: 'payments/fraud-egress',
    });
    const s = suggest(k, [{
      source: FRAUD, destination: WORLD, dstIp: '203.0.113.7', direction: 'EGRESS', destinationNames: ['api.partner.example'],
      l4: { TCP: { destination_port: 443 } }, egressDeniedBy: [cnp('payments', 'fraud-egress')],
    }]);
    expect(s.direction).toBe('egress');
    expect(s.doc.metadata).toEqual({ name: 'allow-fraud-check-to-api.partner.example-443-tcp'.replace(/\./g, '-'), namespace: 'payments' });
    expect(s.doc.spec.endpointSelector).toEqual({ matchLabels: { app: 'fraud-check' } });
    expect(s.doc.spec.egress).toEqual([
      { toFQDNs: [{ matchName: 'api.partner.example' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchName: 'api.partner.example' }] } }],
      },
    ]);
    expect(s.notes.join(' ')).toMatch(/toFQDNs only works when Cilium sees the pod's DNS lookups/);
    expect(s.warnings).toEqual([]);
  });

  it('allows egress to a world network with toCIDR for the addresses seen, and warns when too many were', () => {
    const k = key({
      source: { cluster: 'default', namespace: 'payments', entity: 'fraud-check' }, destination: { cluster: '', namespace: '', entity: 'world' },
      destinationName: '198.51.100.0/24', port: 443, policies: 'payments/fraud-egress',
    });
    const flow = (dstIp: string): DropFlowInit => ({ source: FRAUD, destination: WORLD, dstIp, direction: 'EGRESS', egressDeniedBy: [cnp('payments', 'fraud-egress')] });
    const few = suggest(k, [flow('198.51.100.9'), flow('198.51.100.9'), flow('198.51.100.4')]);
    expect(few.doc.spec.egress[0].toCIDR).toEqual(['198.51.100.9/32', '198.51.100.4/32']);
    expect(few.warnings).toEqual([]);
    const many = suggest(k, Array.from({ length: 9 }, (_, i) => flow(`198.51.100.${i + 1}`)));
    expect(many.doc.spec.egress[0].toCIDR).toEqual(['198.51.100.0/24']);
    expect(many.warnings.join(' ')).toMatch(/whole network 198\.51\.100\.0\/24/);
  });

  it('warns that the world entity is broad when an ingress source from outside cannot be narrowed to addresses', () => {
    const k = key({ source: { cluster: '', namespace: '', entity: 'world' } });
    const flows = Array.from({ length: 9 }, (_, i): DropFlowInit => ({ source: WORLD, destination: API, srcIp: `192.0.2.${i + 1}`, ingressDeniedBy: [cnp('shop', 'api-ingress')] }));
    const s = suggest(k, flows);
    expect(s.doc.spec.ingress[0].fromEntities).toEqual(['world']);
    expect(s.warnings.join(' ')).toMatch(/only selector available is the world entity/);
  });

  it('uses entities for reserved identities and icmps for ICMP', () => {
    const k = key({ source: { cluster: '', namespace: '', entity: 'remote-node' }, port: 0, protocol: 'ICMPv4' });
    const s = suggest(k, [
      { source: { identity: 6, labels: ['reserved:remote-node'] }, destination: API, l4: { ICMPv4: { type: 8 } }, ingressDeniedBy: [cnp('shop', 'api-ingress')] },
      { source: { identity: 6, labels: ['reserved:remote-node'] }, destination: API, l4: { ICMPv4: {} }, ingressDeniedBy: [cnp('shop', 'api-ingress')] },
    ]);
    expect(s.doc.spec.ingress).toEqual([{ fromEntities: ['remote-node'], icmps: [{ fields: [{ type: 0, family: 'IPv4' }, { type: 8, family: 'IPv4' }] }] }]);
  });

  it('warns when a side has no labels of its own or no app label', () => {
    const bare = { ...FRONTEND, labels: FRONTEND.labels!.filter((l) => !l.startsWith('k8s:app=') && !l.startsWith('k8s:tier=')) };
    const tierOnly = { ...API, labels: API.labels!.filter((l) => !l.startsWith('k8s:app=')) };
    const s = suggest(key({}), [{ source: bare, destination: tierOnly, ingressDeniedBy: [cnp('shop', 'api-ingress')] }]);
    expect(s.doc.spec.ingress[0].fromEndpoints).toEqual([{ matchLabels: {} }]);
    expect(s.doc.spec.endpointSelector.matchLabels).toEqual({ tier: 'backend', version: 'v2' });
    expect(s.warnings.join('\n')).toMatch(/source pods carry no labels of their own, so this rule allows every pod in namespace shop/);
    expect(s.warnings.join('\n')).toMatch(/destination has no app label/);
  });

  it('guesses the direction, with a warning, when the flows do not say', () => {
    const s = suggest(key({ policies: '' }), [{ source: FRONTEND, destination: API, direction: 'UNKNOWN' }]);
    expect(s.direction).toBe('ingress');
    expect(s.warnings[0]).toMatch(/do not say which side's policy denied them/);
  });

  it('keeps hostile label values and names as data: the YAML parses back to exactly them', () => {
    const evil = 'x\n  evil: true # }{ "\'';
    const src = { ...FRONTEND, labels: [`k8s:app=${evil}`, 'k8s:io.kubernetes.pod.namespace=shop'] };
    const s = suggest(key({ source: { cluster: 'default', namespace: 'shop', entity: 'front\nend: x' } }), [{ source: src, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] }]);
    expect(s.doc.spec.ingress[0].fromEndpoints[0].matchLabels).toEqual({ app: evil });
    expect(s.doc.metadata.name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(Object.keys(s.doc.spec)).toEqual(['description', 'endpointSelector', 'ingress']);
  });

  it('suggests nothing for explicit denies, non-policy drops, non-pod subjects, or without samples', () => {
    const facts = dropGroupFacts([dropFlow({ source: FRONTEND, destination: API, ingressDeniedBy: [cnp('shop', 'api-ingress')] })]);
    const deny = suggestPolicy(key({ dropReason: 'POLICY_DENY' }), facts);
    expect(deny).toMatchObject({ kind: 'none', reason: expect.stringMatching(/Deny rules win over every allow rule/) });
    expect(suggestPolicy(key({ dropReason: 'CT_MAP_INSERTION_FAILED' }), facts)).toMatchObject({ kind: 'none', reason: expect.stringMatching(/not caused by a network policy/) });
    expect(suggestPolicy(key({}), dropGroupFacts([]))).toMatchObject({ kind: 'none', reason: expect.stringMatching(/No sample flow/) });
    const toHost = key({ destination: { cluster: '', namespace: '', entity: 'host' } });
    const hostFacts = dropGroupFacts([dropFlow({ source: FRONTEND, destination: HOST, ingressDeniedBy: [cnp('', 'host-fw')] })]);
    expect(suggestPolicy(toHost, hostFacts)).toMatchObject({ kind: 'none', reason: expect.stringMatching(/host is not a pod/) });
  });
});
