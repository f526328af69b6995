import { describe, expect, it } from 'vitest';
import { buildTopology, type Entity } from './topology';

const topo = buildTopology();

function ipInCidr(ip: string, cidr: string): boolean {
  const [base] = cidr.split('/');
  return ip.split('.').slice(0, 3).join('.') === base.split('.').slice(0, 3).join('.');
}

describe('demo topology', () => {
  it('has at least three nodes named cluster/node with IPs and distinct pod CIDRs', () => {
    expect(topo.nodes.length).toBeGreaterThanOrEqual(3);
    for (const n of topo.nodes) {
      expect(n.fullName).toBe(`demo/${n.name}`);
      expect(n.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(n.labels).toContain(`kubernetes.io/hostname=${n.name}`);
    }
    expect(topo.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['worker-1', 'worker-2', 'worker-3']));
    expect(new Set(topo.nodes.map((n) => n.podCidr)).size).toBe(topo.nodes.length);
  });

  it('has application namespaces plus kube-system and monitoring', () => {
    expect(topo.appNamespaces.length).toBeGreaterThanOrEqual(4);
    for (const ns of [...topo.appNamespaces, 'kube-system', 'monitoring']) expect(topo.namespaces).toContain(ns);
    expect([...topo.namespaces]).toEqual([...topo.namespaces].sort());
  });

  it('has at least 15 workloads of all three kinds, including the cluster infrastructure', () => {
    expect(topo.workloads.length).toBeGreaterThanOrEqual(15);
    expect(new Set(topo.workloads.map((w) => w.kind))).toEqual(new Set(['Deployment', 'StatefulSet', 'DaemonSet']));
    for (const [ns, name] of [['kube-system', 'coredns'], ['kube-system', 'cilium'], ['kube-system', 'hubble-relay'], ['monitoring', 'prometheus'], ['monitoring', 'node-exporter']]) {
      expect(topo.workload(ns, name).pods.length).toBeGreaterThan(0);
    }
    expect(topo.workload('kube-system', 'cilium').kind).toBe('DaemonSet');
    expect(topo.workload('kube-system', 'cilium').pods.length).toBe(topo.nodes.length);
  });

  it('names pods the way Kubernetes does', () => {
    for (const w of topo.workloads) {
      for (const [i, p] of w.pods.entries()) {
        if (w.kind === 'Deployment') expect(p.name).toMatch(new RegExp(`^${w.name}-[b-z2-9]{9,10}-[b-z2-9]{5}$`));
        if (w.kind === 'StatefulSet') expect(p.name).toBe(`${w.name}-${i}`);
        if (w.kind === 'DaemonSet') expect(p.name).toMatch(new RegExp(`^${w.name}-[b-z2-9]{5}$`));
      }
    }
    const names = topo.workloads.flatMap((w) => w.pods.map((p) => `${p.namespace}/${p.name}`));
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives pods IPs from their node\'s pod CIDR, unique endpoint IDs per node, and hostNetwork pods the node IP', () => {
    const ips = new Set<string>();
    const ids = new Set<string>();
    for (const w of topo.workloads) {
      for (const p of w.pods) {
        const node = topo.nodes[p.node];
        if (w.spec.hostNetwork) {
          expect(p.ip).toBe(node.ip);
          continue;
        }
        expect(ipInCidr(p.ip, node.podCidr)).toBe(true);
        expect(ips.has(p.ip)).toBe(false);
        ips.add(p.ip);
        const id = `${p.node}/${p.endpointId}`;
        expect(ids.has(id)).toBe(false);
        ids.add(id);
        expect(p.endpointId).toBeGreaterThan(0);
      }
    }
  });

  it('labels endpoints in Cilium form with identities >= 256 shared by a workload', () => {
    const identities = new Map<number, string>();
    for (const w of topo.workloads) {
      if (w.spec.hostNetwork) continue;
      expect(w.identity).toBeGreaterThanOrEqual(256);
      expect(identities.has(w.identity)).toBe(false);
      identities.set(w.identity, w.name);
      expect(w.labels).toEqual([...w.labels].sort());
      expect(w.labels).toContain(`k8s:io.kubernetes.pod.namespace=${w.namespace}`);
      expect(w.labels).toContain('k8s:io.cilium.k8s.policy.cluster=demo');
      expect(w.labels.some((l) => l.startsWith('k8s:io.cilium.k8s.policy.serviceaccount='))).toBe(true);
      for (const p of w.pods) {
        const local = p.ep[p.node];
        expect(local).toMatchObject({ ID: p.endpointId, identity: w.identity, cluster_name: 'demo', namespace: w.namespace, pod_name: p.name });
        expect(local.workloads).toEqual([{ name: w.name, kind: w.kind }]);
        const other = p.ep[(p.node + 1) % topo.nodes.length];
        expect(other.ID).toBeUndefined();
        expect(other.identity).toBe(w.identity);
      }
    }
    expect(topo.workload('shop', 'api').labels).toContain('k8s:app=api');
    expect(topo.workload('kube-system', 'coredns').labels).toContain('k8s:k8s-app=kube-dns');
  });

  it('uses the reserved identities for world, host, remote-node, kube-apiserver and health', () => {
    const byNode = (e: Entity, observer: number) => e.ep[observer];
    expect(byNode(topo.world('203.0.113.7'), 0)).toEqual({ identity: 2, labels: ['reserved:world'] });
    const worker = topo.nodes.find((n) => n.name === 'worker-1')!;
    expect(byNode(worker.host, worker.index)).toEqual({ identity: 1, labels: ['reserved:host'] });
    expect(byNode(worker.host, (worker.index + 1) % topo.nodes.length).identity).toBe(6);
    expect(byNode(topo.apiserver, worker.index)).toMatchObject({ identity: 7 });
    expect(byNode(topo.apiserver, worker.index).labels).toContain('reserved:kube-apiserver');
    expect(byNode(worker.health, worker.index)).toMatchObject({ identity: 4, labels: ['reserved:health'] });
    expect(byNode(worker.health, worker.index).ID).toBeGreaterThan(0);
  });

  it('has services with unique ClusterIPs, kube-dns backed by CoreDNS', () => {
    const dns = topo.service('kube-system', 'kube-dns');
    expect(dns.clusterIp).toBe('10.96.0.10');
    expect(dns.backends).toBe(topo.workload('kube-system', 'coredns').pods);
    expect(dns.ref).toEqual({ name: 'kube-dns', namespace: 'kube-system' });
    expect(topo.service('shop', 'api').dnsName).toBe('api.shop.svc.cluster.local.');
    const ips = topo.services.map((s) => s.clusterIp);
    expect(new Set(ips).size).toBe(ips.length);
    for (const ip of ips) expect(ip).toMatch(/^10\.96\.\d{1,3}\.\d{1,3}$/);
  });

  it('describes policies as Cilium reports them', () => {
    const p = topo.policy('shop', 'api-ingress');
    expect(p).toMatchObject({ name: 'api-ingress', namespace: 'shop', kind: 'CiliumNetworkPolicy' });
    expect(p.labels).toEqual(expect.arrayContaining([
      'k8s:io.cilium.k8s.policy.name=api-ingress', 'k8s:io.cilium.k8s.policy.namespace=shop',
      'k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy',
    ]));
    expect(p.revision).toMatch(/^\d+$/);
    expect(() => topo.policy('shop', 'nope')).toThrow();
  });

  it('is deterministic and follows the cluster name', () => {
    const other = buildTopology('prod-eu');
    expect(other.nodes[1].fullName).toBe('prod-eu/worker-1');
    expect(other.workload('shop', 'api').labels).toContain('k8s:io.cilium.k8s.policy.cluster=prod-eu');
    expect(buildTopology('demo')).toBe(topo);
    const strip = (t: typeof topo) => JSON.stringify(t.workloads.map((w) => [w.identity, w.pods.map((p) => [p.name, p.ip, p.endpointId])]));
    expect(strip(other)).toBe(strip(buildTopology('prod-eu')));
  });
});
