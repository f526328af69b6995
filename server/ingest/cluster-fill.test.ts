import { describe, expect, it } from 'vitest';
import type { Endpoint, FlowsResponse } from '../../lib/flow/flow';
import { flowsResponseToJson } from '../../lib/flow/jsonpb';
import { clusterOfNodeName, fillEndpointCluster, fillNodeCluster, fillResponseCluster } from './cluster-fill';

const pod: Endpoint = { ID: 12, identity: 4711, namespace: 'shop', labels: ['k8s:app=api'], pod_name: 'api-0' };

describe('fillEndpointCluster', () => {
  it.each<[string, Endpoint, string | undefined]>([
    ['a local pod', pod, 'east'],
    ['an endpoint with only a namespace', { identity: 300, namespace: 'shop' }, 'east'],
    ['reserved:host by identity', { identity: 1, labels: ['reserved:host'] }, 'east'],
    ['reserved:health by label', { labels: ['reserved:health'] }, 'east'],
    ['reserved:init', { identity: 5 }, 'east'],
    ['reserved:ingress', { identity: 8, labels: ['reserved:ingress'] }, 'east'],
    ['a pod whose labels name its cluster', { identity: 70000, namespace: 'shop', labels: ['k8s:io.cilium.k8s.policy.cluster=west'] }, 'west'],
    ['world', { identity: 2, labels: ['reserved:world'] }, undefined],
    ['a remote node (maybe in another cluster)', { identity: 6, labels: ['reserved:remote-node'] }, undefined],
    ['the kube-apiserver seen from another node', { identity: 7, labels: ['reserved:kube-apiserver', 'reserved:remote-node'] }, undefined],
    ['an empty endpoint', {}, undefined],
  ])('%s', (_, ep, expected) => {
    expect(fillEndpointCluster(ep, 'east')?.cluster_name).toBe(expected);
    if (expected === undefined) expect(fillEndpointCluster(ep, 'east')).toBe(ep);
  });

  it('leaves an endpoint that names a cluster alone, another cluster included (a cross-cluster flow)', () => {
    const remote = { ...pod, ID: undefined, cluster_name: 'west' };
    expect(fillEndpointCluster(remote, 'east')).toBe(remote);
  });

  it('places cluster_name where Hubble prints it, and does not change the original', () => {
    const before = JSON.stringify(pod);
    expect(JSON.stringify(fillEndpointCluster(pod, 'east'))).toBe(
      '{"ID":12,"identity":4711,"cluster_name":"east","namespace":"shop","labels":["k8s:app=api"],"pod_name":"api-0"}');
    expect(JSON.stringify(pod)).toBe(before);
    expect(JSON.stringify(fillEndpointCluster({ identity: 1 }, 'east'))).toBe('{"identity":1,"cluster_name":"east"}');
  });
});

describe('node names', () => {
  it('prefixes a name without a cluster, and only then', () => {
    expect(fillNodeCluster('worker-1', 'east')).toBe('east/worker-1');
    expect(fillNodeCluster('west/worker-1', 'east')).toBe('west/worker-1');
    expect(fillNodeCluster('', 'east')).toBe('');
    expect(fillNodeCluster(undefined, 'east')).toBeUndefined();
    expect(clusterOfNodeName('east/worker-1')).toBe('east');
    expect(clusterOfNodeName('worker-1')).toBeUndefined();
  });
});

describe('fillResponseCluster', () => {
  const flowResponse = (over: Partial<NonNullable<FlowsResponse['flow']>> = {}): FlowsResponse => ({
    flow: {
      time: '2026-11-26T10:00:00.000000001Z', uuid: 'u1', verdict: 'FORWARDED', node_name: 'worker-1',
      source: pod, destination: { identity: 2, labels: ['reserved:world'] }, ...over,
    },
    node_name: 'worker-1', time: '2026-11-26T10:00:00.000000001Z',
  });

  it('fills the local side and the node names, leaving world as it is', () => {
    const filled = fillResponseCluster(flowResponse(), 'east');
    expect(filled.flow?.source?.cluster_name).toBe('east');
    expect(filled.flow?.destination).toEqual({ identity: 2, labels: ['reserved:world'] });
    expect(filled.flow?.node_name).toBe('east/worker-1');
    expect(filled.node_name).toBe('east/worker-1');
  });

  it('keeps a cross-cluster flow as received: the remote side names its own cluster', () => {
    const response = flowResponse({ node_name: 'west/worker-2', source: { ...pod, cluster_name: 'west' }, destination: { ...pod, cluster_name: 'east' } });
    const received = { ...response, node_name: 'west/worker-2' };
    expect(fillResponseCluster(received, 'west')).toBe(received);
  });

  it('returns the same response when nothing is missing, so the common case costs no copy', () => {
    const response = flowResponse({ node_name: 'east/worker-1', source: { ...pod, cluster_name: 'east' } });
    const complete = { ...response, node_name: 'east/worker-1' };
    expect(fillResponseCluster(complete, 'east')).toBe(complete);
  });

  it("takes the local cluster from the observing node's prefix when it names one, the relay's name otherwise", () => {
    const filled = fillResponseCluster(flowResponse({ node_name: 'kind-kind/worker-1', destination: { identity: 1, labels: ['reserved:host'] } }), 'default');
    expect(filled.flow?.source?.cluster_name).toBe('kind-kind');
    expect(filled.flow?.destination?.cluster_name).toBe('kind-kind');
    expect(filled.flow?.node_name).toBe('kind-kind/worker-1');
  });

  it('prefixes node status and lost-events node names', () => {
    const status: FlowsResponse = { node_status: { state_change: 'NODE_CONNECTED', node_names: ['worker-1', 'east/worker-2'] }, time: 't' };
    expect(fillResponseCluster(status, 'east').node_status).toEqual({ state_change: 'NODE_CONNECTED', node_names: ['east/worker-1', 'east/worker-2'] });
    const lost: FlowsResponse = { lost_events: { source: 'PERF_EVENT_RING_BUFFER', num_events_lost: '3' }, node_name: 'worker-3' };
    expect(fillResponseCluster(lost, 'east').node_name).toBe('east/worker-3');
  });

  it('gives stored columns and the kept jsonpb the same cluster (the original object is untouched)', () => {
    const response = flowResponse();
    const before = flowsResponseToJson(response);
    const json = flowsResponseToJson(fillResponseCluster(response, 'east'));
    expect(json).toContain('"cluster_name":"east","namespace":"shop"');
    expect(json).toContain('"node_name":"east/worker-1"');
    expect(flowsResponseToJson(response)).toBe(before);
  });
});
