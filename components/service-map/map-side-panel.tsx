'use client';

import { EdgePanel } from './map-edge-panel';
import type { GraphIndex } from './map-index';
import type { LinkWindow, LookupWindow } from './map-links';
import { NodePanel } from './map-node-panel';
import type { MapSelection } from './use-map-view';

interface MapSidePanelProps {
  node?: string;
  edge?: string;
  index: GraphIndex;
  mapQ: string;
  window: LinkWindow;
  lookup: LookupWindow;
  onSelect: (selection: MapSelection) => void;
}

/** The details of the selected node or edge, beside the map. */
export function MapSidePanel({ node, edge, index, mapQ, window, lookup, onSelect }: MapSidePanelProps) {
  const label = node ? 'Node details' : 'Edge details';
  const shownNode = node ? index.nodes.get(node) : undefined;
  const shownEdge = edge ? index.edges.get(edge) : undefined;
  return (
    <aside className="map-panel" aria-label={label}>
      <div className="map-panel-head">
        <span className="muted">{label}</span>
        <button type="button" onClick={() => onSelect(undefined)} aria-label="Close details">Close</button>
      </div>
      {shownNode && <NodePanel node={shownNode} index={index} mapQ={mapQ} window={window} lookup={lookup} onSelectEdge={(id) => onSelect({ edge: id })} />}
      {shownEdge && (
        <EdgePanel
          edge={shownEdge} source={index.nodes.get(shownEdge.source)} target={index.nodes.get(shownEdge.target)} mapQ={mapQ} window={window}
          onSelectNode={(id) => onSelect({ node: id })}
        />
      )}
      {!shownNode && !shownEdge && (
        <p className="muted">
          The selected {node ? 'node' : 'edge'} has no flows in this window{node || edge ? <> (<span className="mono">{node ?? edge}</span>)</> : null}.
        </p>
      )}
    </aside>
  );
}
