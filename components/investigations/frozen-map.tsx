'use client';

import { useMemo, useRef, useState } from 'react';
import type { MapInvestigationView } from '../../lib/api/investigation-view';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { MapCanvas, type MapCanvasHandle } from '../service-map/map-canvas';
import { MapEdgeTable } from '../service-map/map-edge-table';
import { indexGraph } from '../service-map/map-index';
import { MapSidePanel } from '../service-map/map-side-panel';
import { useMapLayout } from '../service-map/use-map-layout';
import type { MapSelection } from '../service-map/use-map-view';

interface FrozenMapProps {
  map: ServiceMapResponse;
  view: MapInvestigationView;
  /** The map's filter flags, for the side panel's links to flows. */
  q: string;
}

const FROZEN_KEY = 'frozen';
const noop = () => undefined;

/**
 * The service map as it was shared, drawn from the stored graph (not from today's rollups), with
 * the selection it had; the reader can select other nodes and edges without changing the record.
 */
export function FrozenMap({ map, view, q }: FrozenMapProps) {
  const layout = useMapLayout(map, FROZEN_KEY, false, false);
  const index = useMemo(() => indexGraph(map), [map]);
  const [selection, setSelection] = useState<MapSelection>(view.node ? { node: view.node } : view.edge ? { edge: view.edge } : undefined);
  const canvas = useRef<MapCanvasHandle>(null);
  const frozenWindow = useMemo(() => ({ since: map.since, until: map.until }), [map.since, map.until]);
  const node = selection && 'node' in selection ? selection.node : undefined;
  const edge = selection && 'edge' in selection ? selection.edge : undefined;
  return (
    <section className={`map-page${selection ? ' with-panel' : ''}`} aria-label="Frozen service map">
      <p className="muted">
        {map.nodes.length.toLocaleString()} nodes, {map.edges.length.toLocaleString()} edges at {map.resolution} resolution
        {map.truncated ? '; the map was cut to its largest edges when it was shared' : ''}.
        {view.hide?.length ? ` Hidden: ${view.hide.join(', ')}.` : ''}
        {view.namespaces?.length ? ` Namespaces: ${view.namespaces.join(', ')}.` : ''}
      </p>
      <div className="map-stage">
        {layout && (
          <MapCanvas
            ref={canvas} graph={map} layout={layout} edgeLabels={index.edgeLabels} crossCluster={index.crossCluster} selectedNode={node} selectedEdge={edge}
            fitKey={FROZEN_KEY} initialZoom={view.zoom} onSelect={setSelection} onZoomEnd={noop}
          />
        )}
        {selection && (
          <MapSidePanel node={node} edge={edge} index={index} mapQ={q} window={frozenWindow} lookup={frozenWindow} onSelect={setSelection} />
        )}
      </div>
      <MapEdgeTable edges={map.edges} index={index} selectedEdge={edge} onSelectEdge={(id) => setSelection({ edge: id })} />
    </section>
  );
}
