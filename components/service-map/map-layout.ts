/**
 * Where every node of the service map goes: one box per cluster and namespace (world, host,
 * remote-node and kube-apiserver share an "outside namespaces" box per cluster), nodes on a grid
 * inside their box in layers (callers left of what they call), boxes packed in rows, cluster by
 * cluster. With more than one cluster a box is labelled `cluster / namespace`, so `shop` of east
 * and `shop` of west are two boxes that say so. Pure and deterministic: the same graph
 * gives the same coordinates on every machine, so a shared link draws what its author saw.
 *
 * A live view passes its previous layout back in: nodes keep their cells, new nodes take free cells
 * in their box, and a full box grows by a column, so ticks never reshuffle the picture.
 */
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { graphClusters } from '../../lib/service-map/clusters';
import {
  appendToShelves, BOX_HEADER, BOX_PAD, boxHeight, boxWidth, CELL_H, CELL_W, compareText, freshCells, placeShelves,
  shelfWidthFor, type LayoutBox, type LayoutCell,
} from './map-layout-grid';

export type { LayoutBox, LayoutCell } from './map-layout-grid';

export interface Point {
  x: number;
  y: number;
}

export interface MapLayout {
  boxes: ReadonlyMap<string, LayoutBox>;
  /** Box keys per row of boxes, top to bottom, left to right. */
  shelves: readonly (readonly string[])[];
  /** Every node placed so far, present or not: a node that comes back gets its old cell. */
  cells: ReadonlyMap<string, LayoutCell>;
  /** Centres of the nodes of the graph laid out last. */
  positions: ReadonlyMap<string, Point>;
  /** Keys of the boxes holding nodes of the graph laid out last. */
  shown: ReadonlySet<string>;
  /** Width a row of boxes aims for, fixed when the layout is first made. */
  shelfWidth: number;
  width: number;
  height: number;
}

export interface GraphPart {
  nodes: readonly ServiceMapNode[];
  edges: readonly ServiceMapEdge[];
}

export const boxKeyOf = (n: Pick<ServiceMapNode, 'cluster' | 'namespace'>) => `${n.cluster}/${n.namespace}`;

export function boxLabel(n: Pick<ServiceMapNode, 'cluster' | 'namespace'>, clusters: number): string {
  const name = n.namespace || 'outside namespaces';
  return clusters > 1 && n.cluster ? `${n.cluster} / ${name}` : name;
}

/**
 * Cluster by cluster (those outside any first), and in each the box outside namespaces first
 * (world and host are everyone's neighbours), then namespaces by name: one cluster's boxes sit
 * together, so the edges between clusters are the long ones.
 */
function compareNodes(a: ServiceMapNode, b: ServiceMapNode): number {
  const byCluster = compareText(a.cluster, b.cluster);
  if (byCluster) return byCluster;
  if (!a.namespace !== !b.namespace) return a.namespace ? 1 : -1;
  return compareText(a.namespace, b.namespace) || compareText(a.id, b.id);
}

const cellKey = (c: Pick<LayoutCell, 'col' | 'row'>) => `${c.col},${c.row}`;

/**
 * Gives cells to the nodes of an existing box that have none (or whose cell another node holds):
 * cells never used first, then cells of nodes gone from the graph, then a new column.
 */
function placeNewcomers(box: LayoutBox, nodes: readonly ServiceMapNode[], cells: Map<string, LayoutCell>, owners: Map<string, string[]>): LayoutBox {
  const taken = new Set<string>();
  const newcomers: string[] = [];
  for (const n of nodes) {
    const cell = cells.get(n.id);
    if (cell && !taken.has(cellKey(cell))) taken.add(cellKey(cell));
    else newcomers.push(n.id);
  }
  if (newcomers.length === 0) return box;
  const present = new Set(nodes.map((n) => n.id));
  let { cols } = box;
  const free = (reuse: boolean) => {
    for (let col = 0; col < cols; col++) {
      for (let row = 0; row < box.rows; row++) {
        const key = cellKey({ col, row });
        if (taken.has(key)) continue;
        const holders = owners.get(key) ?? [];
        if (holders.length === 0 || (reuse && holders.every((id) => !present.has(id)))) return { col, row, holders };
      }
    }
    return undefined;
  };
  for (const id of newcomers) {
    let cell = free(false) ?? free(true);
    if (!cell) {
      cols += 1;
      cell = { col: cols - 1, row: 0, holders: [] };
    }
    for (const gone of cell.holders) cells.delete(gone);
    const placed = { box: box.key, col: cell.col, row: cell.row };
    cells.set(id, placed);
    owners.set(cellKey(placed), [id]);
    taken.add(cellKey(placed));
  }
  return cols === box.cols ? box : { ...box, cols, width: boxWidth(cols) };
}

function groupByBox(nodes: readonly ServiceMapNode[]): Map<string, ServiceMapNode[]> {
  const groups = new Map<string, ServiceMapNode[]>();
  for (const n of [...nodes].sort(compareNodes)) {
    const key = boxKeyOf(n);
    const list = groups.get(key);
    if (list) list.push(n);
    else groups.set(key, [n]);
  }
  return groups;
}

/** Lays out `graph`, keeping the places of `previous` (the same view's last layout) when given. */
export function layoutServiceMap(graph: GraphPart, previous?: MapLayout): MapLayout {
  const clusters = graphClusters(graph.nodes).length;
  const groups = groupByBox(graph.nodes);
  const boxes = new Map(previous?.boxes ?? []);
  const cells = new Map(previous?.cells ?? []);
  const shelves = (previous?.shelves ?? []).map((s) => [...s]);
  const owners = new Map<string, Map<string, string[]>>();
  for (const [id, c] of cells) {
    const inBox = owners.get(c.box) ?? owners.set(c.box, new Map()).get(c.box)!;
    inBox.set(cellKey(c), [...(inBox.get(cellKey(c)) ?? []), id]);
  }
  const added: LayoutBox[] = [];
  for (const [key, nodes] of groups) {
    const label = boxLabel(nodes[0], clusters);
    const box = boxes.get(key);
    if (box) {
      boxes.set(key, { ...placeNewcomers(box, nodes, cells, owners.get(key) ?? new Map()), label });
      continue;
    }
    const fresh = freshCells(key, nodes, graph.edges);
    for (const [id, cell] of fresh.cells) cells.set(id, cell);
    const made = { key, label, x: 0, y: 0, cols: fresh.cols, rows: fresh.rows, width: boxWidth(fresh.cols), height: boxHeight(fresh.rows) };
    boxes.set(key, made);
    added.push(made);
  }
  const shelfWidth = previous?.shelfWidth ?? shelfWidthFor(added);
  appendToShelves(shelves, boxes, added.map((b) => b.key), shelfWidth);
  const size = placeShelves(boxes, shelves);
  const positions = new Map<string, Point>();
  for (const n of graph.nodes) {
    const cell = cells.get(n.id)!;
    const box = boxes.get(cell.box)!;
    positions.set(n.id, { x: box.x + BOX_PAD + cell.col * CELL_W + CELL_W / 2, y: box.y + BOX_HEADER + cell.row * CELL_H + CELL_H / 2 });
  }
  return { boxes, shelves, cells, positions, shown: new Set(groups.keys()), shelfWidth, ...size };
}
