import { describe, expect, it } from 'vitest';
import { combineDropSlices, DropTallies, firstInOrder, type CombineRequest, type DropSlice } from './drop-slices';
import { MINUTE_MS } from './drop-window';

const T = Date.UTC(2026, 10, 26, 10, 0, 0);
const KEYS = ['a', 'b', 'c', 'd'];
const slice = (minute: number, entries: Record<string, number>): DropSlice => ({
  bucketMs: T + minute * MINUTE_MS,
  ids: Int32Array.from(Object.keys(entries).map((k) => KEYS.indexOf(k))),
  counts: Float64Array.from(Object.values(entries)),
});

function request(over: Partial<CombineRequest> = {}): CombineRequest {
  return {
    current: [slice(0, { a: 5, b: 1 }), slice(3, { a: 2, c: 4 }), slice(5, { d: 1 })],
    previous: [slice(-10, { a: 7, c: 1 })],
    lookback: [slice(-100, { a: 1 }), slice(-20, { b: 3 })],
    keyCount: KEYS.length,
    keyText: (id) => KEYS[id],
    layout: { fromMs: T, binMs: 2 * MINUTE_MS, count: 3 },
    sort: 'count',
    limit: 10,
    ...over,
  };
}

const keysOf = (r: ReturnType<typeof combineDropSlices>) => r.groups.map((g) => KEYS[g.id]);

describe('combineDropSlices', () => {
  it('counts each group with its bounds, sparkline, previous count and novelty', () => {
    const r = combineDropSlices(request());
    expect(r).toMatchObject({ totalGroups: 4, totalDrops: 13 });
    expect(r.groups[0]).toEqual({ id: 0, count: 7, firstMs: T, lastMs: T + 3 * MINUTE_MS, sparkline: [5, 2, 0], previousCount: 7, isNew: false });
    expect(r.groups.find((g) => g.id === 2)).toMatchObject({ count: 4, previousCount: 1, isNew: true, sparkline: [0, 4, 0] });
    expect(r.groups.find((g) => g.id === 3)).toMatchObject({ sparkline: [0, 0, 1], isNew: true });
  });

  it('orders by count, recency or novelty, ties by key, and limits after counting', () => {
    expect(keysOf(combineDropSlices(request()))).toEqual(['a', 'c', 'd', 'b']);
    expect(keysOf(combineDropSlices(request({ sort: 'recency' })))).toEqual(['d', 'a', 'c', 'b']);
    // New first (c: 5/2, d: 2/1), then the rest by rise: b (2/1) before a (8/8).
    expect(keysOf(combineDropSlices(request({ sort: 'novelty' })))).toEqual(['c', 'd', 'b', 'a']);
    expect(combineDropSlices(request({ limit: 1 }))).toMatchObject({ totalGroups: 4, totalDrops: 13, groups: [{ id: 0 }] });
  });

  it('leaves shared tallies clean for the next call', () => {
    const tallies = new DropTallies();
    const first = combineDropSlices(request(), tallies);
    combineDropSlices(request({ current: [slice(1, { b: 9 })], previous: [], lookback: [] }), tallies);
    expect(combineDropSlices(request(), tallies)).toEqual(first);
    expect(combineDropSlices(request({ current: [] }), tallies)).toEqual({ groups: [], totalGroups: 0, totalDrops: 0 });
  });
});

describe('firstInOrder', () => {
  it('keeps exactly what a full sort would put first', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const items = Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 50));
      const limit = Math.floor(random() * 40);
      const cmp = (a: number, b: number) => b - a;
      expect(firstInOrder(items, limit, cmp)).toEqual([...items].sort(cmp).slice(0, limit));
    }
  });
});
