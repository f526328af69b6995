/**
 * The rows of the flows table: live flows (newest first) above the loaded pages (newest first),
 * read by index without copying either list, at most FLOW_ROWS_MAX of them.
 */
import type { FlowsPage } from '../../lib/api/flows-query';
import type { FlowsResponse } from '../../lib/flow/flow';

/** Rows the table holds at most; past this the oldest are not shown (and no more pages load). */
export const FLOW_ROWS_MAX = 100_000;

export interface FlowRows {
  /** Rows shown: live and loaded together, at most the cap. */
  count: number;
  /** How many of the first rows are live ones. */
  liveCount: number;
  /** Loaded or live rows left out by the cap. */
  hidden: number;
  at(index: number): FlowsResponse;
}

/** The flows of loaded pages in order, without node-status or lost-events responses (they have no row). */
export function pageFlows(pages: readonly FlowsPage[]): FlowsResponse[] {
  const out: FlowsResponse[] = [];
  for (const page of pages) for (const response of page.flows) if (response.flow) out.push(response);
  return out;
}

export function flowRows(live: readonly FlowsResponse[], loaded: readonly FlowsResponse[], max = FLOW_ROWS_MAX): FlowRows {
  const total = live.length + loaded.length;
  const count = Math.min(total, max);
  const liveCount = Math.min(live.length, count);
  return {
    count,
    liveCount,
    hidden: total - count,
    at: (index) => (index < liveCount ? live[index] : loaded[index - liveCount]),
  };
}

/**
 * A stable key for a flow's row (and the `flow=` of the page URL): its uuid, which every Hubble
 * since 1.13 sets; otherwise the fields that tell two flows apart in practice.
 */
export function flowRowKey(response: FlowsResponse): string {
  const flow = response.flow;
  if (!flow) return `event:${response.time ?? ''}:${response.node_name ?? ''}`;
  if (flow.uuid) return flow.uuid;
  const l4 = flow.l4?.TCP ?? flow.l4?.UDP ?? flow.l4?.SCTP;
  const ports = l4 ? `${l4.source_port ?? ''}>${l4.destination_port ?? ''}` : '';
  return [flow.time, flow.node_name, flow.IP?.source, flow.IP?.destination, ports, flow.verdict, flow.event_type?.type, flow.event_type?.sub_type]
    .map((part) => part ?? '').join('|');
}

/** The index of the row with `key`, looking at `hint` first (where it was); -1 when it is not there. */
export function findRowIndex(rows: FlowRows, key: string, hint?: number): number {
  if (hint !== undefined && hint >= 0 && hint < rows.count && flowRowKey(rows.at(hint)) === key) return hint;
  for (let i = 0; i < rows.count; i++) if (flowRowKey(rows.at(i)) === key) return i;
  return -1;
}
