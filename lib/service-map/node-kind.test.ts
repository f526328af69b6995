import { describe, expect, it } from 'vitest';
import type { ServiceMapNoise } from '../api/service-map';
import { isNoise, serviceMapNodeKind } from './node-kind';

describe('serviceMapNodeKind', () => {
  it.each([
    ['', 'world', 'world'], ['', 'world-ipv4', 'world'], ['', 'world-ipv6', 'world'], ['', 'host', 'host'],
    ['', 'remote-node', 'remote-node'], ['', 'kube-apiserver', 'kube-apiserver'], ['', 'health', 'other'],
    ['', '10.0.0.7', 'other'], ['', '', 'other'], ['', 'constructor', 'other'], ['', 'coredns', 'other'],
    ['kube-system', 'coredns', 'kube-dns'], ['kube-system', 'kube-dns', 'kube-dns'],
    ['kube-system', 'coredns-5d78c9869d-abcde', 'kube-dns'], ['kube-system', 'corednsx', 'workload'],
    ['kube-system', 'hubble-relay', 'workload'], ['default', 'coredns', 'workload'], ['shop', 'host', 'workload'],
  ])('%s/%s is %s', (namespace, entity, kind) => {
    expect(serviceMapNodeKind(namespace, entity)).toBe(kind);
  });
});

describe('isNoise', () => {
  const hidden = (namespace: string, entity: string) =>
    (['host', 'kube-dns', 'remote-node', 'monitoring'] as ServiceMapNoise[]).filter((n) => isNoise(n, namespace, entity));

  it.each([
    ['', 'host', ['host']], ['', 'remote-node', ['remote-node']], ['kube-system', 'coredns', ['kube-dns']],
    ['monitoring', 'node-exporter', ['monitoring']], ['monitoring', 'anything', ['monitoring']], ['observability', 'loki', ['monitoring']],
    ['shop', 'prometheus', ['monitoring']], ['shop', 'prometheus-k8s-0', ['monitoring']], ['tools', 'grafana-agent', ['monitoring']],
    ['shop', 'alertmanager-main', ['monitoring']], ['shop', 'kube-state-metrics', ['monitoring']],
    ['shop', 'prometheusx', []], ['shop', 'my-grafana', []], ['', 'prometheus', []], ['shop', 'api', []], ['', 'world', []],
  ])('%s/%s is hidden by %j', (namespace, entity, noise) => {
    expect(hidden(namespace, entity)).toEqual(noise);
  });
});
