/**
 * `hubble observe -o compact` (the CLI default), one response at a time, as hubble CLI v1.17.0
 * prints it with colours off:
 * `TIME[ [NODE]]: SRC SRC_ID ARROW DST DST_ID TYPE VERDICT (SUMMARY)`.
 */
import type { FlowsResponse, NodeStatusEvent } from '../flow/flow';
import { NodeState } from '../flow/enums';
import {
  enumText, flowTypeText, goQuote, hostNames, identityText, joinWithCutOff, lostEventFields, summaryText, timestampText,
  verdictText, type PrinterOptions,
} from './flow-fields';

export type { PrinterOptions } from './flow-fields';

/** The CLI's `nodeNamesCutOff`. */
export const NODE_NAMES_CUTOFF = 50;

/**
 * One response in compact form, without the trailing newline; '' when the CLI prints nothing.
 *
 * - flow: `WriteProtoFlow`. A reply (`is_reply` true) swaps the sides and points `<-`, so the
 *   initiator stays on the left; `is_reply` absent prints `<>`.
 * - lost events: `EVENTS LOST: HUBBLE_RING_BUFFER CPU(0) 1` (no timestamp).
 * - node status: the line the CLI writes to stderr (see `nodeStatusLine`).
 */
export function formatCompact(response: FlowsResponse, opts: PrinterOptions): string {
  if (response.flow) {
    const f = response.flow;
    let [src, dst] = hostNames(f, opts.ipTranslation ?? true);
    let srcId = identityText(f.source?.identity);
    let dstId = identityText(f.destination?.identity);
    let arrow = '->';
    if (f.is_reply === undefined) arrow = '<>';
    else if (f.is_reply) {
      [src, dst, srcId, dstId] = [dst, src, dstId, srcId];
      arrow = '<-';
    }
    const node = opts.printNodeName ? ` [${f.node_name ?? ''}]` : '';
    return `${timestampText(f.time, opts)}${node}: ${src} ${srcId} ${arrow} ${dst} ${dstId} `
      + `${flowTypeText(f)} ${verdictText(f)} (${summaryText(f)})`;
  }
  if (response.node_status) return nodeStatusLine(response, opts);
  if (response.lost_events) {
    const { source, cpu, count } = lostEventFields(response.lost_events);
    return `EVENTS LOST: ${source} CPU(${cpu}) ${count}`;
  }
  return '';
}

/** Whether the CLI prints a node status event: errors and unavailable nodes always, the rest with --debug. */
export function printsNodeStatus(status: NodeStatusEvent, debug = false): boolean {
  const state = enumText(NodeState, status.state_change);
  return debug || state === 'NODE_ERROR' || state === 'NODE_UNAVAILABLE';
}

/** protobuf-go's one-line text form of a NodeStatusEvent, which `%+v` prints (defaults omitted). */
function nodeStatusProtoText(s: NodeStatusEvent): string {
  const parts: string[] = [];
  const state = enumText(NodeState, s.state_change);
  if (state !== 'UNKNOWN_NODE_STATE') parts.push(`state_change:${state}`);
  for (const name of s.node_names ?? []) parts.push(`node_names:${goQuote(name)}`);
  if (s.message) parts.push(`message:${goQuote(s.message)}`);
  return parts.join(' ');
}

/**
 * The line `-o compact` and `-o table` write to stderr for a node status event, e.g.
 * `May  1 12:00:00.000 [relay]: 2 nodes are unavailable: a, b`; '' when the CLI skips it.
 * The prefix always carries the response's node name, `--print-node-name` or not.
 */
export function nodeStatusLine(response: FlowsResponse, opts: PrinterOptions): string {
  const s = response.node_status;
  if (!s || !printsNodeStatus(s, opts.debug)) return '';
  const names = s.node_names ?? [];
  const nodes = joinWithCutOff(names, ', ', NODE_NAMES_CUTOFF);
  const prefix = `${timestampText(response.time, opts)} [${response.node_name ?? ''}]`;
  switch (enumText(NodeState, s.state_change)) {
    case 'NODE_CONNECTED': return `${prefix}: Receiving flows from ${names.length} nodes: ${nodes}`;
    case 'NODE_UNAVAILABLE': return `${prefix}: ${names.length} nodes are unavailable: ${nodes}`;
    case 'NODE_GONE': return `${prefix}: ${names.length} nodes removed from cluster: ${nodes}`;
    case 'NODE_ERROR': return `${prefix}: Error ${goQuote(s.message ?? '')} on ${names.length} nodes: ${nodes}`;
    default: return `${prefix}: unknown node status event: ${nodeStatusProtoText(s)}`;
  }
}
