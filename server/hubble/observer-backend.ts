/**
 * What an Observer gRPC server serves from. The demo cluster (server/demo) implements it over
 * in-memory per-node buffers; the history server will implement it over the store. Both speak
 * lib's model; server/hubble/observer-server.ts does the protobuf.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery, ObserverNamespace, ObserverNode, ServerStatus } from '../../lib/flow/observer';

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
