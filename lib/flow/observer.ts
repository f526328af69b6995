/**
 * The Observer API's requests and answers in lib's model (JSON names, timestamps as RFC 3339),
 * shared by the relay client, the Observer servers (demo cluster and history) and the CLI.
 */
import type { FlowFilter } from '../filter/flow-filter';
import type { NodeStateName, EnumValue } from './enums';
import type { FlowsResponse } from './flow';

/** GetFlowsRequest. `number` is clamped to Number.MAX_SAFE_INTEGER (`--all` sends 2^64−1). */
export interface FlowsQuery {
  number?: number;
  first?: boolean;
  follow?: boolean;
  whitelist?: FlowFilter[];
  blacklist?: FlowFilter[];
  since?: string;
  until?: string;
}

export interface ServerStatus {
  num_flows?: string;
  max_flows?: string;
  seen_flows?: string;
  uptime_ns?: string;
  num_connected_nodes?: number;
  num_unavailable_nodes?: number;
  unavailable_nodes?: string[];
  version?: string;
  flows_rate?: number;
}

export interface ObserverNode {
  name?: string;
  version?: string;
  address?: string;
  state?: EnumValue<NodeStateName>;
  tls?: { enabled?: boolean; server_name?: string };
  uptime_ns?: string;
  num_flows?: string;
  max_flows?: string;
  seen_flows?: string;
}

export interface ObserverNamespace {
  cluster?: string;
  namespace?: string;
}

/**
 * What an Observer gRPC server serves from: the demo cluster over per-node ring buffers, the store
 * over history. server/hubble/observer-server.ts does the protobuf.
 */
export interface ObserverBackend {
  /**
   * The responses of one GetFlows call: node status, flows and lost-event notices, in the order to
   * send them. Ends when the query is satisfied (never, with `follow`, until `signal` aborts).
   * Throws InvalidQueryError or lib/filter's FilterError — either on the call or on the first
   * iteration — for a request the client must fix.
   */
  getFlows(query: FlowsQuery, signal: AbortSignal): AsyncIterable<FlowsResponse>;
  serverStatus(): Promise<ServerStatus>;
  getNodes(): Promise<ObserverNode[]>;
  getNamespaces(): Promise<ObserverNamespace[]>;
}

/** A request the backend refuses as malformed; the server answers INVALID_ARGUMENT with the message. */
export class InvalidQueryError extends Error {
  override name = 'InvalidQueryError';
}
