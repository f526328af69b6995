import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../lib/api/shell-words';
import { compileFilters } from '../../lib/filter/match';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import type { Endpoint, Flow, FlowsResponse } from '../../lib/flow/flow';
import { nodePodFlags, nodePods } from './node-pods';

const side = (cluster: string, namespace: string, pod: string): Endpoint => ({ ...(cluster ? { cluster_name: cluster } : {}), namespace, pod_name: pod });
const flow = (source: Endpoint, destination: Endpoint): Flow => ({ time: '2026-11-26T10:00:00Z', verdict: 'FORWARDED', source, destination });
const response = (f: Flow): FlowsResponse => ({ flow: f, time: f.time });

const EAST_API = { cluster: 'east', namespace: 'shop', name: 'api' };
const WEST_API = { cluster: 'west', namespace: 'shop', name: 'api' };

const FLOWS = [
  flow(side('east', 'shop', 'frontend-6d4f9c7b8-x2x9q'), side('east', 'shop', 'api-7c9d8f6b5-abcde')),
  flow(side('west', 'shop', 'frontend-5b7c8d9e4-qwert'), side('west', 'shop', 'api-5f6g7h8j9-zzzzz')),
  // Across the mesh: the east client's pod is east's, the west server's pod is west's.
  flow(side('east', 'shop', 'api-7c9d8f6b5-fghij'), side('west', 'shop', 'api-5f6g7h8j9-yyyyy')),
  // Another workload whose name extends this one's, and another namespace.
  flow(side('east', 'shop', 'api-v2-6d4f9c7b8-kkkkk'), side('east', 'data', 'api-7c9d8f6b5-mmmmm')),
].map(response);

describe('a workload node\'s pods', () => {
  it('lists only the pods in the node\'s own cluster, though both clusters run shop/api', () => {
    expect(nodePods(FLOWS, EAST_API)).toEqual(['api-7c9d8f6b5-abcde', 'api-7c9d8f6b5-fghij']);
    expect(nodePods(FLOWS, WEST_API)).toEqual(['api-5f6g7h8j9-yyyyy', 'api-5f6g7h8j9-zzzzz']);
    expect(nodePods(FLOWS, { ...EAST_API, cluster: 'north' })).toEqual([]);
  });

  it('lists pods of flows that name no cluster for a node without one', () => {
    const old = [response(flow(side('', 'shop', 'frontend-1'), side('', 'shop', 'api-7c9d8f6b5-old11')))];
    expect(nodePods(old, { cluster: '', namespace: 'shop', name: 'api' })).toEqual(['api-7c9d8f6b5-old11']);
    expect(nodePods([...old, ...FLOWS], { cluster: '', namespace: 'shop', name: 'api' })).toEqual(['api-7c9d8f6b5-old11']);
  });

  it('asks for the flows with a side in the node\'s cluster and pod prefix', () => {
    expect(nodePodFlags(EAST_API)).toBe('--cluster east --pod shop/api-');
    expect(nodePodFlags({ cluster: '', namespace: 'shop', name: 'api' })).toBe('--pod shop/api-');
    const match = compileFilters(parseObserveArgs(splitShellWords(nodePodFlags(WEST_API))).filters);
    expect(FLOWS.map((r) => match(r.flow!))).toEqual([false, true, true, false]);
  });
});
