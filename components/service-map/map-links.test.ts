import { describe, expect, it } from 'vitest';
import type { ServiceMapNode } from '../../lib/api/service-map';
import { splitShellWords } from '../../lib/api/shell-words';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { flowsViewFromSearch } from '../flows-table/flows-query';
import { combineFilters, edgeFlowsHref, nodeFlowsHref } from './map-links';

const node = (namespace: string, name: string, kind: ServiceMapNode['kind'] = 'workload'): ServiceMapNode => ({
  id: `kind/${namespace}/${name}`, kind, name, namespace, cluster: 'kind', services: [], worldNames: [],
});
const frontend = node('shop', 'frontend');
const api = node('shop', 'api');
const world = node('', 'world', 'world');
const window = { since: '2026-01-15T11:55:00Z', until: '2026-01-15T12:00:00Z' };

const viewOf = (href: string) => {
  const url = new URL(href, 'http://x');
  expect(url.pathname).toBe('/flows');
  return flowsViewFromSearch(url.searchParams);
};
const filtersOf = (q: string) => parseObserveArgs(splitShellWords(q)).filters;

describe('links from the map to the flows table', () => {
  it('opens the dropped requests of an edge over the map window', () => {
    const view = viewOf(edgeFlowsHref(frontend, api, '', window, { dropped: true }));
    expect(view.since).toBe(window.since);
    expect(view.until).toBe(window.until);
    expect(filtersOf(view.q)).toEqual({
      whitelist: [{
        source_cluster_name: ['kind'], source_pod: ['shop/'], source_workload: [{ name: 'frontend' }],
        destination_cluster_name: ['kind'], destination_pod: ['shop/'], destination_workload: [{ name: 'api' }],
        verdict: ['DROPPED'],
      }],
      blacklist: [],
    });
  });

  it('selects a node as source or destination, and reserved identities by label', () => {
    const q = viewOf(nodeFlowsHref(world, '', window)).q;
    expect(filtersOf(q).whitelist).toEqual([
      { source_cluster_name: ['kind'], source_label: ['reserved:world'] },
      { destination_cluster_name: ['kind'], destination_label: ['reserved:world'] },
    ]);
  });

  it('ANDs the map filter into each selector and keeps its exclusions', () => {
    const set = combineFilters([{ source_pod: ['shop/'] }], '--protocol tcp --not --http-status 200');
    expect(set.whitelist).toEqual([{ protocol: ['tcp'], source_pod: ['shop/'] }]);
    expect(set.blacklist).toEqual([{ http_status_code: ['200'] }]);
    // Two map filters (ORed) give two merged entries; a field both constrain keeps the selector's.
    const ored = combineFilters([{ source_pod: ['shop/'] }], `--from-pod data/ --allowlist '{"protocol":["tcp"]}'`);
    expect(ored.whitelist).toEqual([{ source_pod: ['shop/'] }, { protocol: ['tcp'], source_pod: ['shop/'] }]);
    // Flags that do not parse add nothing.
    expect(combineFilters([{ verdict: ['DROPPED'] }], '--bogus').whitelist).toEqual([{ verdict: ['DROPPED'] }]);
  });

  it('opens an edge between clusters with its clusters as --from-cluster and --to-cluster, under a --cluster map filter', () => {
    const west = { ...frontend, id: 'west/shop/frontend', cluster: 'west' };
    const east = { ...api, id: 'east/shop/api', cluster: 'east' };
    const q = viewOf(edgeFlowsHref(west, east, '--cluster west', window)).q;
    expect(q).toMatch(/--from-cluster west\b.*--to-cluster east\b/);
    expect(filtersOf(q).whitelist).toEqual([{
      source_cluster_name: ['west'], source_pod: ['shop/'], source_workload: [{ name: 'frontend' }],
      destination_cluster_name: ['east'], destination_pod: ['shop/'], destination_workload: [{ name: 'api' }],
    }]);
  });
});
