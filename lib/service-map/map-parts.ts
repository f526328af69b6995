/**
 * The service map's input: rollup counts summed over a window and broken down per edge (client node
 * → server node) or per server node, one breakdown at a time. The database sums them (GROUPING SETS
 * over the rollup rows, server/store/service-map.ts) so that a day of high-cardinality rollups
 * (every dropped reply on its own ephemeral port) reaches the graph as a few thousand rows;
 * `serviceMapPartsOfRows` is the same summing over whole rollup rows, in memory, for tests and
 * small inputs.
 *
 * Only the breakdowns that can be long are cut in the database, and only to a superset of what the
 * graph keeps: ports per edge and names behind a node, by rank (ties kept), see MAX_EDGE_PORTS and
 * MAX_WORLD_NAMES.
 */

/** One endpoint as the rollups key it. */
export interface ServiceMapEndpointKey {
  cluster: string;
  namespace: string;
  /** Workload, else pod, else reserved identity name, else IP ('' when nothing names it). */
  entity: string;
}

/**
 * A breakdown row: flows of one edge with one combination of the low-cardinality columns (`summary`:
 * verdict, drop reason, L7 summary, denying policies, server service), of one edge to one port, or
 * (`name`) of one server node with one name behind it.
 */
export type ServiceMapPart =
  | {
    part: 'summary'; source: ServiceMapEndpointKey; target: ServiceMapEndpointKey; verdict: number; dropReason: number; l7: string;
    policies: string; service: string; flows: number;
  }
  | { part: 'port'; source: ServiceMapEndpointKey; target: ServiceMapEndpointKey; port: number; protocol: string; flows: number }
  | { part: 'name'; target: ServiceMapEndpointKey; name: string; flows: number };

/** One rollup key summed over a window (the edge_minute / edge_hour columns but `bucket`). */
export interface ServiceMapRollupRow {
  srcCluster: string;
  srcNamespace: string;
  srcEntity: string;
  dstCluster: string;
  dstNamespace: string;
  dstEntity: string;
  dstName: string;
  dstService: string;
  dstPort: number;
  protocol: string;
  verdict: number;
  dropReason: number;
  l7: string;
  policies: string;
  flows: number;
}

/** Ports kept per edge (most flows first). */
export const MAX_EDGE_PORTS = 20;
/** Names behind a world node kept per node (most flows first). */
export const MAX_WORLD_NAMES = 100;

/** The breakdown rows of whole rollup rows (uncut), summed per value. */
export function serviceMapPartsOfRows(rows: Iterable<ServiceMapRollupRow>): ServiceMapPart[] {
  const sums = new Map<string, ServiceMapPart>();
  const add = (p: ServiceMapPart) => {
    const { flows, ...key } = p;
    const id = JSON.stringify(key);
    const seen = sums.get(id);
    if (seen) seen.flows += flows;
    else sums.set(id, { ...p });
  };
  for (const r of rows) {
    if (!(r.flows > 0)) continue;
    const source = { cluster: r.srcCluster, namespace: r.srcNamespace, entity: r.srcEntity };
    const target = { cluster: r.dstCluster, namespace: r.dstNamespace, entity: r.dstEntity };
    const { flows } = r;
    add({ part: 'summary', source, target, verdict: r.verdict, dropReason: r.dropReason, l7: r.l7, policies: r.policies, service: r.dstService, flows });
    add({ part: 'port', source, target, port: r.dstPort, protocol: r.protocol, flows });
    add({ part: 'name', target, name: r.dstName, flows });
  }
  return [...sums.values()];
}
