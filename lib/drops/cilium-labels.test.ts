import { describe, expect, it } from 'vitest';
import { commonLabels, labelValue, parseCiliumLabel, reservedIdentities, workloadSelector } from './cilium-labels';

describe('Cilium labels', () => {
  it('split source, key and value', () => {
    expect(parseCiliumLabel('k8s:app.kubernetes.io/name=a=b')).toEqual({ source: 'k8s', key: 'app.kubernetes.io/name', value: 'a=b' });
    expect(parseCiliumLabel('reserved:world')).toEqual({ source: 'reserved', key: 'world', value: '' });
    expect(parseCiliumLabel('app=api')).toEqual({ source: 'unspec', key: 'app', value: 'api' });
    expect(reservedIdentities(['reserved:host', 'reserved:kube-apiserver', 'k8s:app=x'])).toEqual(['host', 'kube-apiserver']);
    expect(labelValue(['k8s:io.kubernetes.pod.namespace=shop'], 'io.kubernetes.pod.namespace')).toBe('shop');
  });

  it('select a workload by its conventional labels, else by its own stable ones, never by Cilium\'s', () => {
    const internal = ['k8s:io.cilium.k8s.policy.serviceaccount=api', 'k8s:io.kubernetes.pod.namespace=shop', 'k8s:io.cilium.k8s.namespace.labels.team=x'];
    expect(workloadSelector([...internal, 'k8s:app=api', 'k8s:tier=backend'])).toEqual({ matchLabels: { app: 'api' }, identifying: true });
    expect(workloadSelector([...internal, 'k8s:app.kubernetes.io/name=api', 'k8s:app.kubernetes.io/instance=prod'])).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'prod' }, identifying: true,
    });
    expect(workloadSelector([...internal, 'k8s:tier=backend', 'k8s:pod-template-hash=5d4f', 'reserved:host'])).toEqual({ matchLabels: { tier: 'backend' }, identifying: false });
    expect(workloadSelector(internal)).toEqual({ matchLabels: {}, identifying: false });
  });

  it('keep the labels every sample carries', () => {
    expect(commonLabels([['a', 'b', 'c'], ['c', 'a'], ['a', 'c', 'd']])).toEqual(['a', 'c']);
    expect(commonLabels([])).toEqual([]);
  });
});
