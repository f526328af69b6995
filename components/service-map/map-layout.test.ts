import { describe, expect, it } from 'vitest';
import type { ServiceMapEdge, ServiceMapNode } from '../../lib/api/service-map';
import { layoutServiceMap, type MapLayout } from './map-layout';
import { BOX_GAP, CELL_H, CELL_W } from './map-layout-grid';
import { evolveServiceMap, syntheticServiceMap } from './testing/synthetic-graph';

const n = (namespace: string, name: string, kind: ServiceMapNode['kind'] = 'workload'): ServiceMapNode => ({
  id: `c1/${namespace}/${name}`, kind, name, namespace, cluster: 'c1', services: [], worldNames: [],
});
const e = (a: ServiceMapNode, b: ServiceMapNode): ServiceMapEdge => ({
  id: `${a.id}->${b.id}`, source: a.id, target: b.id, flows: 1, flowsPerS: 1, verdicts: [], ports: [], l7: [], dropReasons: [], policies: [],
});

const world = n('', 'world', 'world');
const ingress = n('ingress-nginx', 'controller');
const frontend = n('shop', 'frontend');
const api = n('shop', 'api');
const checkout = n('shop', 'checkout');
const cart = n('shop', 'cart');
const shopNodes = [world, ingress, frontend, api, checkout, cart];
const shopEdges = [e(world, ingress), e(ingress, frontend), e(frontend, api), e(api, checkout), e(api, cart), e(checkout, api)];

function expectNoOverlaps(layout: MapLayout) {
  const seen = new Set<string>();
  for (const [id, p] of layout.positions) {
    const key = `${p.x},${p.y}`;
    expect(seen.has(key), `${id} shares its place`).toBe(false);
    seen.add(key);
    const box = layout.boxes.get(layout.cells.get(id)!.box)!;
    expect(p.x).toBeGreaterThan(box.x);
    expect(p.x).toBeLessThan(box.x + box.width);
    expect(p.y).toBeGreaterThan(box.y);
    expect(p.y).toBeLessThan(box.y + box.height);
  }
  const boxes = [...layout.boxes.values()];
  for (const a of boxes) {
    for (const b of boxes) {
      if (a === b) continue;
      const apart = a.x + a.width + BOX_GAP <= b.x || b.x + b.width + BOX_GAP <= a.x || a.y + a.height + BOX_GAP <= b.y || b.y + b.height + BOX_GAP <= a.y;
      expect(apart, `${a.key} overlaps ${b.key}`).toBe(true);
    }
  }
}

describe('layoutServiceMap', () => {
  it('gives the same coordinates for the same graph, whatever order the nodes and edges come in', () => {
    const a = layoutServiceMap({ nodes: shopNodes, edges: shopEdges });
    const b = layoutServiceMap({ nodes: [...shopNodes].reverse(), edges: [...shopEdges].reverse() });
    expect([...b.positions].sort()).toEqual([...a.positions].sort());
    const big = syntheticServiceMap({ nodes: 400, edges: 2000, seed: 7 });
    const first = layoutServiceMap(big);
    const again = layoutServiceMap({ nodes: [...big.nodes].reverse(), edges: [...big.edges].reverse() });
    expect(Object.fromEntries(again.positions)).toEqual(Object.fromEntries(first.positions));
  });

  it('boxes namespaces, puts nodes outside namespaces first, and callers left of what they call', () => {
    const layout = layoutServiceMap({ nodes: shopNodes, edges: shopEdges });
    expect(layout.shelves.flat()).toEqual(['c1/', 'c1/ingress-nginx', 'c1/shop']);
    expect(layout.boxes.get('c1/')!.label).toBe('outside namespaces');
    const x = (node: ServiceMapNode) => layout.positions.get(node.id)!.x;
    expect(x(frontend)).toBeLessThan(x(api));
    expect(x(api)).toBeLessThan(x(checkout));
    expect(x(checkout)).toBe(x(cart));
    expectNoOverlaps(layout);
  });

  it('lays out 400 nodes and 2,000 edges without overlaps, in a wide rather than tall picture', () => {
    const layout = layoutServiceMap(syntheticServiceMap({ nodes: 400, edges: 2000, seed: 3 }));
    expect(layout.positions.size).toBe(400);
    expectNoOverlaps(layout);
    expect(layout.width / layout.height).toBeGreaterThan(0.8);
  });

  it('keeps every node in place on live ticks and places new nodes in free cells', () => {
    let graph = syntheticServiceMap({ nodes: 120, edges: 400, seed: 5 });
    let layout = layoutServiceMap(graph);
    for (let tick = 1; tick <= 20; tick++) {
      const next = evolveServiceMap(graph, tick);
      const nextLayout = layoutServiceMap(next, layout);
      for (const [id, cell] of layout.cells) {
        if (next.nodes.some((node) => node.id === id)) expect(nextLayout.cells.get(id)).toEqual(cell);
      }
      expectNoOverlaps(nextLayout);
      graph = next;
      layout = nextLayout;
    }
  });

  it('grows a full box by a column, moving only the boxes after it on its row', () => {
    const before = layoutServiceMap({ nodes: shopNodes, edges: shopEdges });
    const shop = before.boxes.get('c1/shop')!;
    const extra = Array.from({ length: shop.cols * shop.rows }, (_, i) => n('shop', `new-${i}`));
    const after = layoutServiceMap({ nodes: [...shopNodes, ...extra], edges: shopEdges }, before);
    expect(after.boxes.get('c1/shop')!.cols).toBeGreaterThan(shop.cols);
    for (const node of shopNodes) expect(after.positions.get(node.id)).toEqual(before.positions.get(node.id));
    expectNoOverlaps(after);
  });

  it('gives a node that comes back its old cell, and lets newcomers reuse cells of nodes gone', () => {
    const first = layoutServiceMap({ nodes: shopNodes, edges: shopEdges });
    const withoutCart = layoutServiceMap({ nodes: shopNodes.filter((x) => x !== cart), edges: [] }, first);
    expect(withoutCart.positions.has(cart.id)).toBe(false);
    const back = layoutServiceMap({ nodes: shopNodes, edges: [] }, withoutCart);
    expect(back.positions.get(cart.id)).toEqual(first.positions.get(cart.id));

    const shop = first.boxes.get('c1/shop')!;
    const fill = Array.from({ length: shop.cols * shop.rows - 4 }, (_, i) => n('shop', `fill-${i}`));
    const full = layoutServiceMap({ nodes: [...shopNodes.filter((x) => x !== cart), ...fill, n('shop', 'late')], edges: [] }, withoutCart);
    expect(full.boxes.get('c1/shop')!.cols).toBe(shop.cols);
    expect(full.positions.get('c1/shop/late')).toEqual(first.positions.get(cart.id));
  });

  it('wraps a wide layer into columns near the square root of the box size', () => {
    const hub = n('data', 'kafka');
    const clients = Array.from({ length: 16 }, (_, i) => n('data', `client-${String(i).padStart(2, '0')}`));
    const layout = layoutServiceMap({ nodes: [hub, ...clients], edges: clients.map((c) => e(c, hub)) });
    const box = layout.boxes.get('c1/data')!;
    expect(box.rows).toBe(5);
    expect(box.cols).toBe(5);
    expect(layout.positions.get(hub.id)!.x - layout.positions.get(clients[0].id)!.x).toBe(4 * CELL_W);
    expect(layout.positions.get(hub.id)!.y % CELL_H).toBe(layout.positions.get(clients[0].id)!.y % CELL_H);
  });
});

describe('long call chains', () => {
  it('fold into a square-ish box, callers before what they call in column order', () => {
    const chain = Array.from({ length: 25 }, (_, i) => n('jobs', `step-${String(i).padStart(2, '0')}`));
    const layout = layoutServiceMap({ nodes: chain, edges: chain.slice(1).map((b, i) => e(chain[i], b)) });
    const box = layout.boxes.get('c1/jobs')!;
    expect(box.cols).toBeLessThanOrEqual(8);
    expect(box.cols * box.rows).toBeGreaterThanOrEqual(25);
    const order = chain.map((x) => layout.cells.get(x.id)!).map((c) => c.col * box.rows + c.row);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expectNoOverlaps(layout);
  });
});
