'use client';

import { memo, useMemo, useState } from 'react';
import type { ServiceMapEdge } from '../../lib/api/service-map';
import { dropReasonText } from '../../lib/flow/drop-reasons';
import { edgeTrouble, formatRate } from './edge-style';
import { compareEdgesByTrouble, type GraphIndex } from './map-index';

const FIRST_ROWS = 30;

interface MapEdgeTableProps {
  edges: readonly ServiceMapEdge[];
  index: GraphIndex;
  selectedEdge?: string;
  onSelectEdge: (id: string) => void;
}

const keys = (list: ServiceMapEdge['ports'], format: (k: string) => string = (k) => k) => list.slice(0, 3).map((c) => format(c.key)).join(', ')
  + (list.length > 3 ? ` +${list.length - 3}` : '');

/**
 * The map's edges as a table, drops first: what a screen reader or a keyboard uses instead of the
 * picture, and the quickest read of where traffic is refused.
 */
export const MapEdgeTable = memo(function MapEdgeTable({ edges, index, selectedEdge, onSelectEdge }: MapEdgeTableProps) {
  const [all, setAll] = useState(false);
  const sorted = useMemo(() => [...edges].sort(compareEdgesByTrouble), [edges]);
  const shown = all ? sorted : sorted.slice(0, FIRST_ROWS);
  return (
    <section className="map-edge-section" aria-label="Edges">
      <h2>Edges <span className="muted">({edges.length.toLocaleString('en-US')}, drops first)</span></h2>
      <div className="table-scroll">
        <table className="flows-table map-edge-table" aria-label="Service map edges">
          <thead>
            <tr>
              <th>Edge</th><th>Flows</th><th>Rate</th><th>Dropped</th><th>Drop reasons</th><th>Denying policies</th><th>Ports</th><th>L7</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} data-tone={edgeTrouble(e).tone} data-selected={e.id === selectedEdge || undefined}>
                <td><button type="button" className="link-button" onClick={() => onSelectEdge(e.id)}>{index.edgeLabels.get(e.id)}</button></td>
                <td className="num">{e.flows.toLocaleString('en-US')}</td>
                <td className="num">{formatRate(e.flowsPerS)}</td>
                <td className="num dropped">{edgeTrouble(e).dropped.toLocaleString('en-US')}</td>
                <td>{keys(e.dropReasons, dropReasonText)}</td>
                <td>{keys(e.policies)}</td>
                <td>{keys(e.ports)}</td>
                <td>{keys(e.l7)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sorted.length > FIRST_ROWS && (
        <button type="button" onClick={() => setAll(!all)}>{all ? `Show the first ${FIRST_ROWS}` : `Show all ${sorted.length.toLocaleString('en-US')} edges`}</button>
      )}
    </section>
  );
});
