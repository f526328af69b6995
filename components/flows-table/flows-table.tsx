import type { FlowsResponse } from '../../lib/flow/flow';
import { flowCells, type FlowCells } from './flow-cells';

const COLUMNS = ['Time', 'Source', 'Destination', 'Port/Protocol', 'L7', 'Verdict', 'Drop reason', 'Policy', 'Node'] as const;

/** Flows as a table, in the order given (newest first from the API). */
export function FlowsTable({ flows, timeZone }: { flows: FlowsResponse[]; timeZone: string }) {
  const rows = flows.flatMap((f, i) => flowCells(f, i, timeZone) ?? []);
  return (
    <div className="table-scroll">
      <table className="flows-table" aria-label="Flows">
        <thead>
          <tr>{COLUMNS.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => <FlowRow key={r.key} cells={r} />)}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">No flows match in this time range.</p>}
    </div>
  );
}

function FlowRow({ cells: c }: { cells: FlowCells }) {
  return (
    <tr data-verdict={c.verdict}>
      <td className="mono nowrap" title={c.isoTime}>{c.time}</td>
      <td className="mono">{c.source}</td>
      <td className="mono">{c.destination}</td>
      <td className="mono nowrap">{c.portProtocol}</td>
      <td className="mono">{c.l7}</td>
      <td className="verdict" title={c.type}>{c.verdict}</td>
      <td title={c.dropReasonHelp}>{c.dropReason}</td>
      <td>{c.policy}</td>
      <td className="mono nowrap">{c.node}</td>
    </tr>
  );
}
