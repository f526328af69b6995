import { describe, expect, it } from 'vitest';
import type { ServiceMapNode } from '../api/service-map';
import { graphClusters, isCrossCluster } from './clusters';

const n = (cluster: string, namespace: string, name: string): Pick<ServiceMapNode, 'cluster' | 'namespace' | 'name'> => ({ cluster, namespace, name });
const world = n('', '', 'world');
const westFrontend = n('west', 'shop', 'frontend');
const westApi = n('west', 'shop', 'api');
const eastApi = n('east', 'shop', 'api');
const nodes = [world, westFrontend, westApi, eastApi, n('east', '', 'host')];

describe('clusters of a map', () => {
  it('names the clusters of the nodes, without the endpoints outside any', () => {
    expect(graphClusters(nodes)).toEqual(['east', 'west']);
    expect(graphClusters([world, westApi])).toEqual(['west']);
  });

  it('calls an edge cross-cluster only between two named, different clusters', () => {
    expect(isCrossCluster(westFrontend, eastApi)).toBe(true);
    expect(isCrossCluster(westFrontend, westApi)).toBe(false);
    expect(isCrossCluster(world, westFrontend)).toBe(false);
  });
});
