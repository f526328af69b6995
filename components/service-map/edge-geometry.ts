/**
 * The line each edge is drawn as: from the rim of its source node to the rim of its target (where
 * the arrowhead ends), shifted sideways when the reverse edge exists too, so A → B and B → A stay
 * two visible, clickable lines; a node calling itself gets a small loop.
 */
import type { ServiceMapEdge } from '../../lib/api/service-map';
import type { Point } from './map-layout';

export const NODE_RADIUS = 10;
/** Sideways shift of each edge of a two-way pair. */
export const PAIR_OFFSET = 4;
const LOOP_RADIUS = 9;

export type EdgeShape =
  | { loop: false; x1: number; y1: number; x2: number; y2: number }
  | { loop: true; cx: number; cy: number; r: number };

const round = (v: number) => Math.round(v * 10) / 10;

/** The shape of every edge whose two nodes have positions, by edge id. */
export function edgeShapes(edges: readonly Pick<ServiceMapEdge, 'id' | 'source' | 'target'>[], positions: ReadonlyMap<string, Point>): Map<string, EdgeShape> {
  const pairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
  const out = new Map<string, EdgeShape>();
  for (const e of edges) {
    const a = positions.get(e.source);
    const b = positions.get(e.target);
    if (!a || !b) continue;
    if (e.source === e.target) {
      out.set(e.id, { loop: true, cx: round(a.x + NODE_RADIUS), cy: round(a.y - NODE_RADIUS), r: LOOP_RADIUS });
      continue;
    }
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy) || 1;
    const ux = dx / length;
    const uy = dy / length;
    // To the right of the direction of travel: the two edges of a pair part ways.
    const shift = pairs.has(`${e.target}\u0000${e.source}`) ? PAIR_OFFSET : 0;
    const ox = -uy * shift;
    const oy = ux * shift;
    const trim = Math.min(NODE_RADIUS + 2, length / 3);
    out.set(e.id, {
      loop: false,
      x1: round(a.x + ux * trim + ox), y1: round(a.y + uy * trim + oy),
      x2: round(b.x - ux * trim + ox), y2: round(b.y - uy * trim + oy),
    });
  }
  return out;
}

/** Half the width of the band around a line that takes clicks for it. */
export const HIT_HALF_WIDTH = 6;

/**
 * The band around a line edge that takes the pointer, as polygon points: a filled shape, unlike a
 * wide transparent stroke, has a real bounding box even when the line is exactly horizontal or
 * vertical (what browsers and test tools use to decide an element is visible and clickable).
 */
export function hitBand(s: Extract<EdgeShape, { loop: false }>, half = HIT_HALF_WIDTH): string {
  const length = Math.hypot(s.x2 - s.x1, s.y2 - s.y1) || 1;
  const nx = (-(s.y2 - s.y1) / length) * half;
  const ny = ((s.x2 - s.x1) / length) * half;
  return [[s.x1 + nx, s.y1 + ny], [s.x2 + nx, s.y2 + ny], [s.x2 - nx, s.y2 - ny], [s.x1 - nx, s.y1 - ny]]
    .map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
}

const sameShape = (a: EdgeShape, b: EdgeShape) => (a.loop
  ? b.loop && a.cx === b.cx && a.cy === b.cy && a.r === b.r
  : !b.loop && a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2);

/**
 * `next` with the shape objects of `previous` wherever they did not move, so memoized edges see
 * the same props on a live tick and skip re-rendering.
 */
export function keepUnmovedShapes(previous: ReadonlyMap<string, EdgeShape> | undefined, next: Map<string, EdgeShape>): Map<string, EdgeShape> {
  if (!previous) return next;
  for (const [id, shape] of next) {
    const old = previous.get(id);
    if (old && old !== shape && sameShape(old, shape)) next.set(id, old);
  }
  return next;
}
