'use client';

import { memo, useMemo } from 'react';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import type { EdgeShape } from './edge-geometry';
import { hitBand, NODE_RADIUS } from './edge-geometry';
import { edgeTrouble, edgeWidth, type EdgeTone } from './edge-style';
import type { LayoutBox, Point } from './map-layout';
import { nodeTitle } from './map-names';

interface EdgeLineProps {
  id: string;
  label: string;
  tone: EdgeTone;
  width: number;
  selected: boolean;
  dim: boolean;
  /** Ends in different clusters: drawn dashed, whatever its tone, and said so in its tooltip. */
  cross: boolean;
  shape: EdgeShape;
}

/** The dash of an edge between clusters, in user space like the stroke widths. */
const CROSS_CLUSTER_DASH = '7 5';

/**
 * One edge: the visible stroke, and a transparent band on top that takes the pointer (a 1 px line
 * is hard to hit). Props are primitives or stable objects so a live tick re-renders only the
 * edges whose numbers changed.
 */
const EdgeLine = memo(function EdgeLine({ id, label, tone, width, selected, dim, cross, shape }: EdgeLineProps) {
  const className = `map-edge tone-${tone}${selected ? ' selected' : ''}${dim ? ' dim' : ''}${cross ? ' cross-cluster' : ''}`;
  const hit = <title>{cross ? `${label}\nbetween clusters` : label}</title>;
  const dash = cross ? CROSS_CLUSTER_DASH : undefined;
  const crossAttr = cross ? '' : undefined;
  if (shape.loop) {
    return (
      <>
        <circle
          className={className} cx={shape.cx} cy={shape.cy} r={shape.r} strokeWidth={width} strokeDasharray={dash} data-tone={tone}
          data-label={label} data-cross-cluster={crossAttr}
        />
        <circle className="map-edge-hit" cx={shape.cx} cy={shape.cy} r={shape.r} data-edge={id} data-label={label} data-cross-cluster={crossAttr}>{hit}</circle>
      </>
    );
  }
  return (
    <>
      <line
        className={className} x1={shape.x1} y1={shape.y1} x2={shape.x2} y2={shape.y2} strokeWidth={width} strokeDasharray={dash}
        markerEnd={`url(#map-arrow-${tone})`} data-tone={tone} data-label={label} data-cross-cluster={crossAttr}
      />
      <polygon className="map-edge-hit" points={hitBand(shape)} data-edge={id} data-label={label} data-cross-cluster={crossAttr}>{hit}</polygon>
    </>
  );
});

interface MapEdgesProps {
  edges: readonly ServiceMapEdge[];
  shapes: ReadonlyMap<string, EdgeShape>;
  labels: ReadonlyMap<string, string>;
  /** Ids of the edges between clusters. */
  crossCluster: ReadonlySet<string>;
  selectedEdge?: string;
  /** With a node selected, the edges that do not touch it are dimmed. */
  selectedNode?: string;
}

const TONE_ORDER: Readonly<Record<EdgeTone, number>> = { ok: 0, error: 1, drop: 2 };

/** Edges with drops are drawn last, on top of the rest: they must stay visible and clickable. */
export const MapEdges = memo(function MapEdges({ edges, shapes, labels, crossCluster, selectedEdge, selectedNode }: MapEdgesProps) {
  const ordered = useMemo(() => [...edges].sort((a, b) => TONE_ORDER[edgeTrouble(a).tone] - TONE_ORDER[edgeTrouble(b).tone]), [edges]);
  return (
    <g className="map-edges">
      {ordered.map((e) => {
        const shape = shapes.get(e.id);
        if (!shape) return null;
        // The name only: counts change on every live tick and would re-render every edge; the
        // panel and the edge table hold the numbers.
        const label = labels.get(e.id) ?? e.id;
        return (
          <EdgeLine
            key={e.id} id={e.id} label={label} tone={edgeTrouble(e).tone} width={edgeWidth(e.flowsPerS)} shape={shape} cross={crossCluster.has(e.id)}
            selected={e.id === selectedEdge} dim={selectedNode !== undefined && e.source !== selectedNode && e.target !== selectedNode}
          />
        );
      })}
    </g>
  );
});

const shortName = (text: string, max = 22) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The second line under a node: the service it is reached through when named differently, or what is behind world. */
function subtitle(n: ServiceMapNode): string {
  if (n.kind === 'world' && n.worldNames.length) return n.worldNames.length === 1 ? n.worldNames[0] : `${n.worldNames[0]} +${n.worldNames.length - 1}`;
  const service = n.services.find((s) => s.slice(s.indexOf('/') + 1) !== n.name);
  return service ? `svc ${service.slice(service.indexOf('/') + 1)}` : '';
}

interface NodeMarkProps {
  id: string;
  kind: ServiceMapNode['kind'];
  name: string;
  sub: string;
  title: string;
  x: number;
  y: number;
  selected: boolean;
}

/** One node; primitive props, so a live tick that hands over new but equal node objects skips it. */
const NodeMark = memo(function NodeMark({ id, kind, name, sub, title, x, y, selected }: NodeMarkProps) {
  return (
    <g className={`map-node kind-${kind}${selected ? ' selected' : ''}`} transform={`translate(${x},${y})`} data-node={id}>
      <title>{title}</title>
      <circle r={NODE_RADIUS} />
      <text className="map-node-name" y={NODE_RADIUS + 13}>{shortName(name)}</text>
      {sub && <text className="map-node-sub" y={NODE_RADIUS + 25}>{shortName(sub, 26)}</text>}
    </g>
  );
});

export const MapNodes = memo(function MapNodes({ nodes, positions, selectedNode }: {
  nodes: readonly ServiceMapNode[];
  positions: ReadonlyMap<string, Point>;
  selectedNode?: string;
}) {
  return (
    <g className="map-nodes">
      {nodes.map((n) => {
        const p = positions.get(n.id);
        return p ? (
          <NodeMark
            key={n.id} id={n.id} kind={n.kind} name={n.name} sub={subtitle(n)} title={nodeTitle(n)} x={p.x} y={p.y}
            selected={n.id === selectedNode}
          />
        ) : null;
      })}
    </g>
  );
});

export const MapBoxes = memo(function MapBoxes({ boxes }: { boxes: readonly LayoutBox[] }) {
  return (
    <g className="map-boxes">
      {boxes.map((b) => (
        <g key={b.key} transform={`translate(${b.x},${b.y})`}>
          <rect className="map-box" width={b.width} height={b.height} rx={8} />
          <text className="map-box-label" x={12} y={20}>{b.label}</text>
        </g>
      ))}
    </g>
  );
});

/** Arrowheads, one per tone, sized in user space so thick edges do not get giant heads. */
export function MapMarkers() {
  return (
    <defs>
      {(['ok', 'error', 'drop'] as const).map((tone) => (
        <marker
          key={tone} id={`map-arrow-${tone}`} className={`map-arrow tone-${tone}`} viewBox="0 0 10 10" refX={9} refY={5}
          markerWidth={9} markerHeight={9} markerUnits="userSpaceOnUse" orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      ))}
    </defs>
  );
}
