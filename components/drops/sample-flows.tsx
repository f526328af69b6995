import type { DropGroupDetail } from '../../lib/api/drops';
import { DROP_GROUP_SAMPLE_LIMIT } from '../../lib/api/drops';
import { flowCells, type FlowCells } from '../flows-table/flow-cells';

/** The group's newest flows in a compact table, with the hubble printer's own cell texts. */
export function SampleFlows({ d, timeZone }: { d: DropGroupDetail; timeZone: string }) {
  const rows = d.samples.map((s) => flowCells(s, timeZone)).filter((c): c is FlowCells => c !== undefined);
  return (
    <section className="drop-section" aria-labelledby="sample-flows-heading">
      <h2 id="sample-flows-heading">Sample flows</h2>
      {rows.length === 0 ? (
        <p className="muted">No flow of this group is stored for the window (raw flows are kept for the retention period only).</p>
      ) : (
        <>
          <p className="muted">
            The newest {rows.length} of the group&apos;s flows in the window
            {rows.length === DROP_GROUP_SAMPLE_LIMIT ? ` (this page shows at most ${DROP_GROUP_SAMPLE_LIMIT}; the link above shows them all)` : ''}.
          </p>
          <div className="table-scroll">
            <table className="flows-table" aria-label="Sample flows">
              <thead>
                <tr>
                  <th scope="col">Time</th><th scope="col">Source</th><th scope="col">Destination</th><th scope="col">Port/Protocol</th>
                  <th scope="col">Type</th><th scope="col">Policy</th><th scope="col">Node</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.key} data-verdict={c.verdict}>
                    <td className="mono nowrap" title={c.isoTime}>{c.time}</td>
                    <td className="mono">{c.source}</td>
                    <td className="mono">{c.destination}</td>
                    <td className="mono nowrap">{c.portProtocol}</td>
                    <td>{c.type}</td>
                    <td>{c.policy}</td>
                    <td className="mono">{c.node}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
