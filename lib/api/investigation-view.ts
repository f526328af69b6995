/**
 * The kind-specific part of an investigation, checked before it is stored: the view state each kind
 * of view hands to Share, and for the map the graph exactly as it was drawn (a ServiceMapResponse),
 * so the frozen link can draw it again once the rollups behind it have been trimmed.
 */
import { DropReason, type DropReasonName } from '../flow/drop-reasons';
import type { EdgeEndpoint } from '../filter/edge-filter';
import type { DropGroupKey } from './drop-groups';
import type { ServiceMapNoise, ServiceMapResponse } from './service-map';

/** The views that can be shared. */
export const INVESTIGATION_KINDS = ['flows', 'map', 'drop-group'] as const;
export type InvestigationKind = (typeof INVESTIGATION_KINDS)[number];

/** The flows table: the flow open in the detail drawer, if any (its row key). */
export interface FlowsInvestigationView {
  flow?: string;
}

/** The service map: what was in scope and selected (the /map page's URL state). */
export interface MapInvestigationView {
  namespaces?: string[];
  hide?: ServiceMapNoise[];
  cluster?: string;
  /** The selected ServiceMapNode id. */
  node?: string;
  /** The selected ServiceMapEdge id. */
  edge?: string;
  /** Centre of the viewport in layout coordinates, and the zoom scale. */
  zoom?: { x: number; y: number; k: number };
}

/** A drop group: its key (lib/api/drop-groups.ts). */
export interface DropGroupInvestigationView {
  group: DropGroupKey;
}

/**
 * The view state stored with an investigation. The fields above are checked; other fields a view
 * adds later are kept as they are (the object is stored as JSON, size-capped).
 */
export type InvestigationViewState = Record<string, unknown> & (FlowsInvestigationView | MapInvestigationView | Partial<DropGroupInvestigationView>);

/** A view state or map snapshot that cannot be stored; the message names the field at fault. */
export class InvestigationViewError extends Error {
  override name = 'InvestigationViewError';
}

/** The largest view state and map snapshot accepted, in bytes of JSON. */
export const INVESTIGATION_VIEW_MAX_BYTES = 64 * 1024;
export const INVESTIGATION_MAP_MAX_BYTES = 4 * 1024 * 1024;

const NOISE: readonly ServiceMapNoise[] = ['host', 'kube-dns', 'remote-node', 'monitoring'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const jsonBytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

function fail(message: string): never {
  throw new InvestigationViewError(message);
}

function expectString(v: unknown, where: string): string {
  return typeof v === 'string' ? v : fail(`${where}: expected a string`);
}

function expectCount(v: unknown, where: string): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(`${where}: expected a number of flows`);
}

function checkEndpoint(v: unknown, where: string): EdgeEndpoint {
  if (!isObject(v)) fail(`${where}: expected { cluster, namespace, entity }`);
  return { cluster: expectString(v.cluster, `${where}.cluster`), namespace: expectString(v.namespace, `${where}.namespace`), entity: expectString(v.entity, `${where}.entity`) };
}

/** A DropGroupKey as sent by a client; throws InvestigationViewError. */
export function checkDropGroupKey(v: unknown, where = 'view.group'): DropGroupKey {
  if (!isObject(v)) fail(`${where}: expected the drop group's key`);
  const port = v.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail(`${where}.port: expected 0 to 65535`);
  const reason = v.dropReason;
  if (typeof reason !== 'string' || !(DropReason.names as readonly string[]).includes(reason)) fail(`${where}.dropReason: unknown drop reason ${JSON.stringify(reason)}`);
  return {
    source: checkEndpoint(v.source, `${where}.source`),
    destination: checkEndpoint(v.destination, `${where}.destination`),
    destinationName: expectString(v.destinationName ?? '', `${where}.destinationName`),
    port,
    protocol: expectString(v.protocol ?? '', `${where}.protocol`),
    dropReason: reason as DropReasonName,
    policies: expectString(v.policies ?? '', `${where}.policies`),
  };
}

function checkMapView(view: Record<string, unknown>): void {
  if (view.namespaces !== undefined && !isStringArray(view.namespaces)) fail('view.namespaces: expected a list of namespaces');
  if (view.hide !== undefined && !(isStringArray(view.hide) && view.hide.every((h) => (NOISE as readonly string[]).includes(h)))) {
    fail(`view.hide: expected some of ${NOISE.join(', ')}`);
  }
  for (const key of ['cluster', 'node', 'edge'] as const) {
    if (view[key] !== undefined) expectString(view[key], `view.${key}`);
  }
  const zoom = view.zoom;
  if (zoom !== undefined && !(isObject(zoom) && [zoom.x, zoom.y, zoom.k].every((n) => typeof n === 'number' && Number.isFinite(n)))) {
    fail('view.zoom: expected { x, y, k }');
  }
}

/** Checks a view state for its kind and returns it (the drop group's key normalized); throws InvestigationViewError. */
export function checkInvestigationView(kind: InvestigationKind, v: unknown): InvestigationViewState {
  const view = v === undefined || v === null ? {} : v;
  if (!isObject(view)) fail('view: expected a JSON object');
  if (jsonBytes(view) > INVESTIGATION_VIEW_MAX_BYTES) fail(`view: larger than ${INVESTIGATION_VIEW_MAX_BYTES / 1024} KiB`);
  switch (kind) {
    case 'flows':
      if (view.flow !== undefined) expectString(view.flow, 'view.flow');
      return view;
    case 'map':
      checkMapView(view);
      return view;
    case 'drop-group':
      return { ...view, group: checkDropGroupKey(view.group) };
  }
}

function checkCounts(v: unknown, where: string): void {
  if (!Array.isArray(v)) fail(`${where}: expected a list of { key, flows }`);
  v.forEach((c, i) => {
    if (!isObject(c)) fail(`${where}[${i}]: expected { key, flows }`);
    expectString(c.key, `${where}[${i}].key`);
    expectCount(c.flows, `${where}[${i}].flows`);
  });
}

function checkNodes(nodes: unknown): Set<string> {
  if (!Array.isArray(nodes)) fail('map.nodes: expected a list');
  const ids = new Set<string>();
  nodes.forEach((n, i) => {
    if (!isObject(n)) fail(`map.nodes[${i}]: expected a node`);
    for (const key of ['id', 'kind', 'name', 'namespace', 'cluster']) expectString(n[key], `map.nodes[${i}].${key}`);
    for (const key of ['services', 'worldNames']) if (!isStringArray(n[key])) fail(`map.nodes[${i}].${key}: expected a list of strings`);
    ids.add(n.id as string);
  });
  return ids;
}

function checkEdges(edges: unknown, nodeIds: Set<string>): void {
  if (!Array.isArray(edges)) fail('map.edges: expected a list');
  edges.forEach((e, i) => {
    const where = `map.edges[${i}]`;
    if (!isObject(e)) fail(`${where}: expected an edge`);
    expectString(e.id, `${where}.id`);
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(expectString(e[end], `${where}.${end}`))) fail(`${where}.${end}: no node ${JSON.stringify(e[end])} in map.nodes`);
    }
    expectCount(e.flows, `${where}.flows`);
    expectCount(e.flowsPerS, `${where}.flowsPerS`);
    for (const key of ['verdicts', 'ports', 'l7', 'dropReasons', 'policies']) checkCounts(e[key], `${where}.${key}`);
  });
}

/**
 * A service-map snapshot as sent by a client: the shape lib/api/service-map.ts describes, edges
 * between listed nodes, at most INVESTIGATION_MAP_MAX_BYTES. Returned as given (fields the map
 * adds later are kept); throws InvestigationViewError naming the first fault.
 */
export function checkMapSnapshot(v: unknown): ServiceMapResponse {
  if (!isObject(v)) fail('map: expected the service map response (nodes, edges, timeline)');
  if (jsonBytes(v) > INVESTIGATION_MAP_MAX_BYTES) fail(`map: larger than ${INVESTIGATION_MAP_MAX_BYTES / (1024 * 1024)} MiB`);
  expectString(v.since, 'map.since');
  expectString(v.until, 'map.until');
  if (v.resolution !== 'minute' && v.resolution !== 'hour') fail('map.resolution: expected minute or hour');
  checkEdges(v.edges, checkNodes(v.nodes));
  if (!Array.isArray(v.timeline)) fail('map.timeline: expected a list');
  v.timeline.forEach((p, i) => {
    if (!isObject(p)) fail(`map.timeline[${i}]: expected { time, flows, drops }`);
    expectString(p.time, `map.timeline[${i}].time`);
    expectCount(p.flows, `map.timeline[${i}].flows`);
    expectCount(p.drops, `map.timeline[${i}].drops`);
  });
  if (typeof v.truncated !== 'boolean') fail('map.truncated: expected true or false');
  return v as unknown as ServiceMapResponse;
}
