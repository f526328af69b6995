import { describe, expect, it } from 'vitest';
import { parseDropGroupParams, type DropGroupKey } from '../../lib/api/drop-groups';
import { splitShellWords } from '../../lib/api/shell-words';
import { compileFilters } from '../../lib/filter/match';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import type { FlowFilterSet } from '../../lib/filter/flow-filter';
import type { Flow } from '../../lib/flow/flow';
import { dropsViewFromSearch } from '../drops/drops-query';
import { flowsViewFromSearch } from '../flows-table/flows-query';
import { mapViewFromSearch } from '../service-map/map-view';
import {
  allFlowsHref, clusterFlags, dropsHref, endpointLabel, endpointTitle, groupFlowsHref, groupHref, namespaceDropsHref, namespaceInboxHref,
  namespaceMapHref, nodeFlowsHref, pairFlowsHref,
} from './triage-links';

const W = { since: '2026-01-15T11:45:00.000Z' };
const KEY: DropGroupKey = {
  source: { cluster: 'demo', namespace: 'shop', entity: 'frontend' },
  destination: { cluster: 'demo', namespace: 'shop', entity: 'api' },
  destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
};

const matchesFilters = (flow: Flow, set: FlowFilterSet) => compileFilters(set)(flow);
const view = (href: string) => flowsViewFromSearch(new URL(href, 'http://x').searchParams);
const filtersOf = (href: string) => parseObserveArgs(splitShellWords(view(href).q)).filters;

const drop = (src: [string, string], dst: [string, string], port: number): Flow => ({
  verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED',
  source: { cluster_name: 'demo', namespace: src[0], pod_name: `${src[1]}-1`, workloads: [{ name: src[1], kind: 'Deployment' }] },
  destination: { cluster_name: 'demo', namespace: dst[0], pod_name: `${dst[1]}-1`, workloads: [{ name: dst[1], kind: 'Deployment' }] },
  l4: { TCP: { source_port: 40000, destination_port: port } },
});

describe('triage links', () => {
  it('opens the drops of a namespace on either side with the --namespace flag', () => {
    const href = namespaceDropsHref('shop', W);
    expect(view(href)).toMatchObject({ q: '--namespace shop --verdict DROPPED', since: W.since });
    const filters = filtersOf(href);
    expect(matchesFilters(drop(['web', 'x'], ['shop', 'api'], 80), filters)).toBe(true);
    expect(matchesFilters(drop(['shop', 'x'], ['web', 'y'], 80), filters)).toBe(true);
    expect(matchesFilters(drop(['web', 'x'], ['data', 'y'], 80), filters)).toBe(false);
    expect(view(namespaceDropsHref('', W)).q).toBe('--verdict DROPPED');
  });

  it('opens a group\'s page with its key, and its flows with flags that select exactly its requests', () => {
    const page = new URL(groupHref(KEY, W), 'http://x');
    expect(page.pathname).toBe('/drops/group');
    expect(parseDropGroupParams(page.searchParams)).toEqual(KEY);
    expect(page.searchParams.get('since')).toBe(W.since);

    const filters = filtersOf(groupFlowsHref(KEY, W));
    expect(matchesFilters(drop(['shop', 'frontend'], ['shop', 'api'], 8080), filters)).toBe(true);
    expect(matchesFilters(drop(['shop', 'frontend'], ['shop', 'api'], 9090), filters)).toBe(false);
    expect(matchesFilters(drop(['shop', 'cart'], ['shop', 'api'], 8080), filters)).toBe(false);
  });

  it('opens a pair\'s drops on any port', () => {
    const filters = filtersOf(pairFlowsHref(KEY.source, KEY.destination, W));
    expect(matchesFilters(drop(['shop', 'frontend'], ['shop', 'api'], 9090), filters)).toBe(true);
    expect(matchesFilters({ ...drop(['shop', 'frontend'], ['shop', 'api'], 9090), verdict: 'FORWARDED' }, filters)).toBe(false);
  });

  it('links the map and the inbox of a namespace, and a node\'s flows around a moment', () => {
    expect(namespaceMapHref('shop')).toBe('/map?namespace=shop');
    expect(namespaceInboxHref('shop')).toBe('/drops?namespace=shop');
    expect(namespaceInboxHref('')).toBe('/drops');
    expect(view(nodeFlowsHref('demo/worker-1', '2026-01-15T11:55:00.000Z'))).toMatchObject({
      q: '--node-name demo/worker-1', since: '2026-01-15T11:50:00.000Z', until: '2026-01-15T12:00:00.000Z',
    });
  });

  it('carries picked clusters as --cluster flags, pairing a namespace with its cluster on each side as the rate counts it', () => {
    const href = namespaceDropsHref('shop', W, ['west']);
    expect(view(href).q).toBe('--cluster west --namespace shop --verdict DROPPED');
    const filters = filtersOf(href);
    const across = (src: [string, string], dst: [string, string]): Flow => {
      const f = drop([src[1], 'x'], [dst[1], 'y'], 80);
      return { ...f, source: { ...f.source, cluster_name: src[0] }, destination: { ...f.destination, cluster_name: dst[0] } };
    };
    expect(matchesFilters(across(['west', 'shop'], ['west', 'shop']), filters)).toBe(true);
    expect(matchesFilters(across(['east', 'data'], ['west', 'shop']), filters)).toBe(true);
    // Counted for shop in east and for data in west, not for shop in west.
    expect(matchesFilters(across(['east', 'shop'], ['west', 'data']), filters)).toBe(false);
    expect(matchesFilters(across(['east', 'shop'], ['east', 'shop']), filters)).toBe(false);

    expect(view(namespaceDropsHref('', W, ['east', 'west'])).q).toBe('--cluster east --cluster west --verdict DROPPED');
    expect(view(dropsHref(W, ['west'])).q).toBe('--cluster west --verdict DROPPED');
    expect(view(allFlowsHref(W, ['west']))).toMatchObject({ q: '--cluster west', since: W.since });
    expect(view(allFlowsHref(W)).q).toBe('');
    expect(splitShellWords(clusterFlags(["it's", 'a b']))).toEqual(['--cluster', "it's", '--cluster', 'a b']);
  });

  it('opens the inbox and the map of a namespace in the picked clusters', () => {
    const inbox = dropsViewFromSearch(new URL(namespaceInboxHref('shop', ['west']), 'http://x').searchParams);
    expect(inbox.q).toBe('--cluster west --namespace shop');
    expect(dropsViewFromSearch(new URL(namespaceInboxHref('', ['west']), 'http://x').searchParams).q).toBe('--cluster west');
    const map = mapViewFromSearch(new URL(namespaceMapHref('shop', ['west']), 'http://x').searchParams);
    expect(map).toMatchObject({ q: '--cluster west', namespaces: ['shop'] });
  });

  it('names endpoints by namespace and entity, with the cluster in the tooltip', () => {
    expect(endpointLabel(KEY.source)).toBe('shop/frontend');
    expect(endpointLabel({ cluster: '', namespace: '', entity: 'world' })).toBe('world');
    expect(endpointTitle(KEY.source)).toBe('shop/frontend in cluster demo');
  });
});
