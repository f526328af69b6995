/**
 * The pieces of the map layout (map-layout.ts): layers and cells inside one box, box sizes, and
 * rows of boxes. Pure; every order is by code units, never by locale, so coordinates are the same
 * on every machine.
 */
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';

export const CELL_W = 170;
export const CELL_H = 64;
export const BOX_PAD = 16;
export const BOX_HEADER = 30;
export const BOX_GAP = 48;

export interface LayoutBox {
  key: string;
  label: string;
  x: number;
  y: number;
  cols: number;
  rows: number;
  width: number;
  height: number;
}

export interface LayoutCell {
  box: string;
  col: number;
  row: number;
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const boxWidth = (cols: number) => cols * CELL_W + 2 * BOX_PAD;
export const boxHeight = (rows: number) => BOX_HEADER + rows * CELL_H + BOX_PAD;

/**
 * Longest-path layers over the edges inside a box: a node sits one layer right of its rightmost
 * caller. Cycles are cut at the edges that close them in a depth-first walk taken in name order.
 */
export function layers(ids: readonly string[], edges: readonly ServiceMapEdge[]): Map<string, number> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (e.source !== e.target && out.has(e.target)) out.get(e.source)?.push(e.target);
  for (const list of out.values()) list.sort(compareText);
  const seen = new Set<string>();
  const order: string[] = [];
  // Iterative post-order walk: a box may hold hundreds of nodes in one chain.
  for (const root of ids) {
    if (seen.has(root)) continue;
    seen.add(root);
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const targets = out.get(top.id)!;
      if (top.next < targets.length) {
        const child = targets[top.next++];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push({ id: child, next: 0 });
        }
      } else {
        order.push(top.id);
        stack.pop();
      }
    }
  }
  order.reverse();
  const position = new Map(order.map((id, i) => [id, i]));
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of order) {
    for (const next of out.get(id)!) {
      // Only edges forward in the topological order count; the others close cycles.
      if (position.get(next)! > position.get(id)!) layer.set(next, Math.max(layer.get(next)!, layer.get(id)! + 1));
    }
  }
  return layer;
}

/** Rows of a fresh box: as many as its largest layer, capped near the square root of its size. */
function rowsFor(layer: ReadonlyMap<string, number>): number {
  const sizes = new Map<number, number>();
  for (const l of layer.values()) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  return Math.min(Math.max(1, ...sizes.values()), Math.max(2, Math.ceil(Math.sqrt(layer.size))));
}

/** Nodes of each layer, in layer order, each layer ordered by the mean row of its callers placed before it. */
function orderedLayers(ids: readonly string[], layer: ReadonlyMap<string, number>, edges: readonly ServiceMapEdge[], rows: number): string[][] {
  const callers = new Map<string, string[]>();
  for (const e of edges) {
    if (!layer.has(e.source) || !layer.has(e.target)) continue;
    const list = callers.get(e.target);
    if (list) list.push(e.source);
    else callers.set(e.target, [e.source]);
  }
  const byLayer = new Map<number, string[]>();
  for (const id of ids) {
    const list = byLayer.get(layer.get(id)!);
    if (list) list.push(id);
    else byLayer.set(layer.get(id)!, [id]);
  }
  const rowOf = new Map<string, number>();
  const out: string[][] = [];
  for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
    const centre = (id: string) => {
      const placed = (callers.get(id) ?? []).map((c) => rowOf.get(c)).filter((r): r is number => r !== undefined);
      return placed.length ? placed.reduce((s, r) => s + r, 0) / placed.length : Infinity;
    };
    const members = byLayer.get(l)!.map((id) => ({ id, c: centre(id) }));
    members.sort((a, b) => (a.c === b.c ? compareText(a.id, b.id) : a.c === Infinity ? 1 : b.c === Infinity ? -1 : a.c - b.c));
    members.forEach(({ id }, i) => rowOf.set(id, i % rows));
    out.push(members.map((m) => m.id));
  }
  return out;
}

/**
 * Cells of a fresh box: a group of columns per layer, each node near its callers' rows, wrapped at
 * `rows`. A box with more layers than a square-ish box has columns (long call chains, or cycles
 * cut into many layers) fills its columns with the layers in order instead, so callers stay left
 * of or above what they call without the box growing into a long strip.
 */
export function freshCells(key: string, nodes: readonly ServiceMapNode[], edges: readonly ServiceMapEdge[]) {
  const ids = nodes.map((n) => n.id).sort(compareText);
  const layer = layers(ids, edges);
  let rows = rowsFor(layer);
  const maxCols = Math.max(3, Math.ceil(Math.sqrt(ids.length) * 1.6));
  let ordered = orderedLayers(ids, layer, edges, rows);
  const compact = ordered.reduce((s, l) => s + Math.ceil(l.length / rows), 0) > maxCols;
  if (compact) {
    rows = Math.ceil(ids.length / maxCols);
    ordered = orderedLayers(ids, layer, edges, rows);
  }
  const cells = new Map<string, LayoutCell>();
  let col = 0;
  let next = 0;
  for (const members of ordered) {
    members.forEach((id, i) => {
      if (compact) {
        cells.set(id, { box: key, col: Math.floor(next / rows), row: next % rows });
        next++;
        return;
      }
      const inCol = i % rows;
      const colSize = Math.min(rows, members.length - (i - inCol));
      cells.set(id, { box: key, col: col + Math.floor(i / rows), row: inCol + Math.floor((rows - colSize) / 2) });
    });
    col += Math.ceil(members.length / rows);
  }
  return { cells, cols: Math.max(1, compact ? Math.ceil(ids.length / rows) : col), rows };
}

/** Positions boxes shelf by shelf. Sizes only grow, so a box moves only when one before it grew. */
export function placeShelves(boxes: Map<string, LayoutBox>, shelves: readonly (readonly string[])[]) {
  let y = 0;
  let width = 0;
  for (const shelf of shelves) {
    let x = 0;
    let height = 0;
    for (const key of shelf) {
      const box = boxes.get(key)!;
      if (box.x !== x || box.y !== y) boxes.set(key, { ...box, x, y });
      x += box.width + BOX_GAP;
      height = Math.max(height, box.height);
    }
    width = Math.max(width, x - BOX_GAP);
    y += height + BOX_GAP;
  }
  return { width: Math.max(0, width), height: Math.max(0, y - BOX_GAP) };
}

/** Appends boxes to the last shelf while they fit in `shelfWidth`, else starts a new shelf. */
export function appendToShelves(shelves: string[][], boxes: ReadonlyMap<string, LayoutBox>, keys: readonly string[], shelfWidth: number) {
  for (const key of keys) {
    const last = shelves[shelves.length - 1];
    const used = last ? last.reduce((s, k) => s + boxes.get(k)!.width + BOX_GAP, 0) : 0;
    if (last && used + boxes.get(key)!.width <= shelfWidth) last.push(key);
    else shelves.push([key]);
  }
}

/** The width rows of boxes aim for: a layout about 1.6 times as wide as high, and no narrower than its widest box. */
export function shelfWidthFor(boxes: readonly LayoutBox[]): number {
  const area = boxes.reduce((s, b) => s + (b.width + BOX_GAP) * (b.height + BOX_GAP), 0);
  return Math.max(Math.sqrt(area * 1.6), ...boxes.map((b) => b.width));
}
