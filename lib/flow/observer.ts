/**
 * The Observer API's requests and answers in lib's model (JSON names, timestamps as RFC 3339),
 * shared by the relay client, the Observer servers (demo cluster and history) and the CLI.
 */
import type { FlowFilter } from '../filter/flow-filter';
import type { NodeStateName, EnumValue } from './enums';

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
