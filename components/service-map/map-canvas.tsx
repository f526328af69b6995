'use client';

import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, type MouseEvent, type Ref } from 'react';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { edgeShapes, keepUnmovedShapes, type EdgeShape } from './edge-geometry';
import { edgeTrouble } from './edge-style';
import { MapBoxes, MapEdges, MapMarkers, MapNodes } from './map-elements';
import type { MapLayout } from './map-layout';
import type { MapZoom } from './map-view';
import type { MapSelection } from './use-map-view';
import { useMapZoom } from './use-map-zoom';

export interface MapCanvasHandle {
  /** Shows the whole map. */
  fit(): void;
  /** Centres a node at a readable scale. */
  focusNode(id: string): void;
}

interface MapCanvasProps {
  graph: ServiceMapResponse;
  layout: MapLayout;
  edgeLabels: ReadonlyMap<string, string>;
  /** Ids of the edges between clusters (map-index.ts), drawn dashed. */
  crossCluster: ReadonlySet<string>;
  selectedNode?: string;
  selectedEdge?: string;
  /** The view's data key: a new one is shown whole (or at `initialZoom` from the URL). */
  fitKey: string;
  initialZoom?: MapZoom;
  onSelect: (selection: MapSelection) => void;
  onZoomEnd: (zoom: MapZoom) => void;
  ref?: Ref<MapCanvasHandle>;
}

/** Edge shapes for a layout, reusing the objects of edges that did not move since the last tick. */
function useShapes(graph: ServiceMapResponse, layout: MapLayout): ReadonlyMap<string, EdgeShape> {
  const previous = useRef<ReadonlyMap<string, EdgeShape> | undefined>(undefined);
  return useMemo(() => {
    const shapes = keepUnmovedShapes(previous.current, edgeShapes(graph.edges, layout.positions));
    previous.current = shapes;
    return shapes;
  }, [graph.edges, layout.positions]);
}

/**
 * The map itself: an SVG whose elements React owns (boxes, edges, nodes), zoomed and panned by
 * d3-zoom (use-map-zoom.ts). Clicks are read from the element hit (`data-edge`, `data-node`), one handler
 * for all of them.
 */
export function MapCanvas({ graph, layout, edgeLabels, crossCluster, selectedNode, selectedEdge, fitKey, initialZoom, onSelect, onZoomEnd, ref }: MapCanvasProps) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const gRef = useRef<SVGGElement>(null);
  const zoom = useMapZoom(viewportRef, svgRef, gRef, onZoomEnd);
  const shapes = useShapes(graph, layout);
  const boxes = useMemo(() => [...layout.boxes.values()].filter((b) => layout.shown.has(b.key)), [layout]);
  const bounds = { x: 0, y: 0, width: layout.width, height: layout.height };
  const boundsRef = useRef(bounds);
  boundsRef.current = bounds;
  const positionsRef = useRef(layout.positions);
  positionsRef.current = layout.positions;

  useImperativeHandle(ref, () => ({
    fit: () => zoom.fit(boundsRef.current, true),
    focusNode: (id) => {
      const p = positionsRef.current.get(id);
      if (p) zoom.focus(p.x, p.y);
    },
  }), [zoom]);

  const fitted = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (fitted.current === fitKey) return;
    fitted.current = fitKey;
    if (initialZoom) zoom.restore(initialZoom);
    else zoom.fit(boundsRef.current);
  }, [fitKey, initialZoom, zoom]);

  // A User Timing mark per drawn graph: the browser benchmark measures from it, and so can devtools.
  // Only the latest is kept: a live map left open for days would otherwise pile them up.
  useLayoutEffect(() => {
    performance.clearMarks('service-map:commit');
    performance.mark('service-map:commit', { detail: { nodes: graph.nodes.length, edges: graph.edges.length } });
  }, [graph]);

  const drops = useMemo(() => graph.edges.filter((e) => edgeTrouble(e).dropped > 0).length, [graph.edges]);
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as Element;
    const edge = target.closest('[data-edge]')?.getAttribute('data-edge');
    const node = target.closest('[data-node]')?.getAttribute('data-node');
    onSelect(edge ? { edge } : node ? { node } : undefined);
  };

  return (
    <div ref={viewportRef} className="map-viewport" onClick={onClick}>
      <svg
        ref={svgRef} className="map-canvas" role="img"
        aria-label={`Service map: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${drops} with drops`}
      >
        <MapMarkers />
        <g ref={gRef}>
          <MapBoxes boxes={boxes} />
          <MapEdges edges={graph.edges} shapes={shapes} labels={edgeLabels} crossCluster={crossCluster} selectedEdge={selectedEdge} selectedNode={selectedNode} />
          <MapNodes nodes={graph.nodes} positions={layout.positions} selectedNode={selectedNode} />
        </g>
      </svg>
    </div>
  );
}
