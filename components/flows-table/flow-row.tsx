import { memo } from 'react';
import type { FlowCells } from './flow-cells';

export const COLUMNS = ['Time', 'Source', 'Destination', 'Port/Protocol', 'L7', 'Verdict', 'Drop reason', 'Policy', 'Node'] as const;

interface FlowRowProps {
  index: number;
  cells: FlowCells;
  top: number;
  height: number;
  selected: boolean;
  /** The row Tab reaches: the selected one, or the first shown when none is. */
  tabStop: boolean;
  onActivate: (index: number) => void;
}

/** An endpoint's full text for its tooltip, with its cluster when the flow names one (Cluster Mesh). */
const endpointTitle = (text: string, cluster: string) => (cluster ? `${text}\ncluster ${cluster}` : text);

/** One flow, absolutely placed in the table body; cells clip to one line, the full text is in the title. */
export const FlowRow = memo(function FlowRow({ index, cells: c, top, height, selected, tabStop, onActivate }: FlowRowProps) {
  return (
    <div
      role="row" aria-rowindex={index + 2} aria-selected={selected} data-index={index} data-verdict={c.verdict}
      className="flows-row" style={{ top, height }} tabIndex={tabStop ? 0 : -1} onClick={() => onActivate(index)}
    >
      <div role="cell" className="mono" title={c.isoTime}>{c.time}</div>
      <div role="cell" className="mono" title={endpointTitle(c.source, c.sourceCluster)}>{c.source}</div>
      <div role="cell" className="mono" title={endpointTitle(c.destination, c.destinationCluster)}>{c.destination}</div>
      <div role="cell" className="mono">{c.portProtocol}</div>
      <div role="cell" className="mono" title={c.l7}>{c.l7}</div>
      <div role="cell" className="verdict" title={c.type}>{c.verdict}</div>
      <div role="cell" title={c.dropReasonHelp}>{c.dropReason}</div>
      <div role="cell" title={c.policy}>{c.policy}</div>
      <div role="cell" className="mono" title={c.node}>{c.node}</div>
    </div>
  );
});
