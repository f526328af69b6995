/**
 * The contract of `GET /api/service-map`, shared by the route handler and the map page:
 *
 *   /api/service-map?q=<hubble observe flags>&since=&until=&namespace=a&namespace=b&hide=host&hide=kube-dns&cluster=
 *
 * The graph is aggregated from the edge rollup tables (edge_minute for windows up to 6 h, edge_hour
 * beyond), never from raw flows. An edge is a client talking to a server port: replies are counted
 * on the edge of the request they answer (see server/store/edge-counts.ts).
 */

/** What a node stands for. Workloads fall back to their pod, then to their identity or address. */
export type ServiceMapNodeKind = 'workload' | 'world' | 'host' | 'remote-node' | 'kube-apiserver' | 'kube-dns' | 'other';

/** Traffic a view can hide, each one a toggle on the map. */
export type ServiceMapNoise = 'host' | 'kube-dns' | 'remote-node' | 'monitoring';

export interface ServiceMapNode {
  /** Stable across windows and reloads: `<cluster>/<namespace>/<name>` ('' parts kept). */
  id: string;
  kind: ServiceMapNodeKind;
  /** Workload, pod, identity or address name. */
  name: string;
  /** '' outside namespaces (world, host, remote-node, ...). */
  namespace: string;
  cluster: string;
  /** Services (`namespace/name`) this node was reached through. */
  services: string[];
  /** For world: the FQDNs and networks reached behind it, most flows first. */
  worldNames: string[];
}

export interface ServiceMapCount {
  key: string;
  flows: number;
}

export interface ServiceMapEdge {
  /** `<source id>-><target id>`. */
  id: string;
  source: string;
  target: string;
  flows: number;
  /** flows / window seconds. */
  flowsPerS: number;
  /** Verdict name (FORWARDED, DROPPED, ...) → flows. */
  verdicts: ServiceMapCount[];
  /** `<port>/<protocol>` (e.g. `8080/TCP`) → flows. */
  ports: ServiceMapCount[];
  /** HTTP methods, HTTP status classes (`2xx`...), DNS rcodes by name, Kafka error codes, as summaries → flows. */
  l7: ServiceMapCount[];
  /** Drop reason name (lib/flow/drop-reasons.ts) → flows. */
  dropReasons: ServiceMapCount[];
  /** Denying policies `namespace/name` → flows. */
  policies: ServiceMapCount[];
}

/** One step of the timeline under the map. */
export interface ServiceMapTimelinePoint {
  /** Bucket start, RFC 3339. */
  time: string;
  flows: number;
  drops: number;
}

export interface ServiceMapResponse {
  /** The resolved window, RFC 3339. */
  since: string;
  until: string;
  resolution: 'minute' | 'hour';
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
  timeline: ServiceMapTimelinePoint[];
  /** True when the node or edge cap cut the graph (the largest edges are kept). */
  truncated: boolean;
}
