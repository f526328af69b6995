/**
 * The drop inbox's arithmetic over rollup slices: one slice per rollup bucket (a minute or an hour)
 * holding the DROPPED flows per drop-group key in it. From the slices of the window, of the previous
 * window and of the 24 h before, this counts every group, marks new ones, picks the first `limit`
 * in the asked order with a bounded heap (windows can hold hundreds of thousands of groups, mostly
 * one-off: replies dropped on ephemeral ports, scans), and draws sparklines for those only.
 */
import { sparklineBin, type SparklineLayout } from './drop-window';

/**
 * One rollup bucket's drops: `counts[i]` drops of the group whose key is `ids[i]`. Keys are small
 * integers from a dictionary (server/store/drop-slice-cache.ts), so that combining two days of
 * slices is arithmetic on typed arrays rather than hundreds of thousands of string look-ups.
 */
export interface DropSlice {
  bucketMs: number;
  ids: ArrayLike<number>;
  counts: ArrayLike<number>;
}

export type DropSliceSort = 'count' | 'novelty' | 'recency';

export interface CombineRequest {
  current: readonly DropSlice[];
  previous: readonly DropSlice[];
  /** The slices whose keys make a group not new. */
  lookback: readonly DropSlice[];
  /** Every id in the slices is below this. */
  keyCount: number;
  /** A key's text: the last tie-break, so the order is total. */
  keyText: (id: number) => string;
  layout: SparklineLayout;
  sort: DropSliceSort;
  limit: number;
}

export interface CombinedGroup {
  id: number;
  count: number;
  /** Start of the first and last bucket with drops. */
  firstMs: number;
  lastMs: number;
  sparkline: number[];
  previousCount: number;
  isNew: boolean;
}

export interface Combined {
  groups: CombinedGroup[];
  totalGroups: number;
  totalDrops: number;
}

/**
 * Per-key tallies indexed by key id, kept between requests: allocating and zeroing arrays as long as
 * the key dictionary on every refresh costs more than the counting. Every combine leaves the
 * entries it touched as it found them.
 */
export class DropTallies {
  count = new Float64Array(0);
  first = new Float64Array(0);
  last = new Float64Array(0);
  previous = new Float64Array(0);
  seen = new Uint8Array(0);
  /** Position of a kept group's sparkline, -1 for the others. */
  slot = new Int32Array(0);
  /** Ids with drops in the window, in the order first met: the first `size` entries. */
  ids = new Int32Array(0);
  size = 0;
  totalDrops = 0;

  /** Makes room for ids below `n`. */
  ensure(n: number): void {
    if (this.count.length >= n) return;
    const length = Math.max(n, Math.ceil(this.count.length * 1.5), 1024);
    this.count = new Float64Array(length);
    this.first = new Float64Array(length).fill(Infinity);
    this.last = new Float64Array(length).fill(-Infinity);
    this.previous = new Float64Array(length);
    this.seen = new Uint8Array(length);
    this.slot = new Int32Array(length).fill(-1);
    this.ids = new Int32Array(length);
  }
}

type Tallies = DropTallies;

/** Negative when `a` comes first. Ties end on the key text, so the order is total and stable. */
function comparator(t: Tallies, req: CombineRequest): (a: number, b: number) => number {
  const byKey = (a: number, b: number) => {
    const ka = req.keyText(a);
    const kb = req.keyText(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  const { count, last, previous, seen } = t;
  switch (req.sort) {
    case 'count':
      return (a, b) => count[b] - count[a] || last[b] - last[a] || byKey(a, b);
    case 'recency':
      return (a, b) => last[b] - last[a] || count[b] - count[a] || byKey(a, b);
    case 'novelty':
      return (a, b) => seen[a] - seen[b] || (count[b] + 1) / (previous[b] + 1) - (count[a] + 1) / (previous[a] + 1)
        || count[b] - count[a] || byKey(a, b);
  }
}

/** The first `limit` items in `cmp` order, sorted, with a max-heap of the kept ones (worst on top). */
export function firstInOrder<T>(items: Iterable<T>, limit: number, cmp: (a: T, b: T) => number): T[] {
  const heap: T[] = [];
  const worse = (i: number, j: number) => cmp(heap[i], heap[j]) > 0;
  const swap = (i: number, j: number) => { [heap[i], heap[j]] = [heap[j], heap[i]]; };
  for (const item of items) {
    if (limit <= 0) break;
    if (heap.length < limit) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (cmp(item, heap[0]) < 0) {
      heap[0] = item;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let w = i;
        if (l < heap.length && worse(l, w)) w = l;
        if (r < heap.length && worse(r, w)) w = r;
        if (w === i) break;
        swap(i, w);
        i = w;
      }
    }
  }
  return heap.sort(cmp);
}

function tally(req: CombineRequest, t: Tallies): void {
  t.ensure(req.keyCount);
  t.size = 0;
  t.totalDrops = 0;
  for (const s of req.current) {
    for (let i = 0; i < s.ids.length; i++) {
      const id = s.ids[i];
      // Rollup rows count at least one flow, so a zero count means "not met yet".
      if (t.count[id] === 0) t.ids[t.size++] = id;
      t.count[id] += s.counts[i];
      t.totalDrops += s.counts[i];
      if (s.bucketMs < t.first[id]) t.first[id] = s.bucketMs;
      if (s.bucketMs > t.last[id]) t.last[id] = s.bucketMs;
    }
  }
  for (const s of req.previous) for (let i = 0; i < s.ids.length; i++) t.previous[s.ids[i]] += s.counts[i];
  for (const s of req.lookback) for (let i = 0; i < s.ids.length; i++) t.seen[s.ids[i]] = 1;
}

/** Puts back what tally and the sparklines touched. */
function reset(req: CombineRequest, t: Tallies, kept: readonly number[]): void {
  for (let j = 0; j < t.size; j++) {
    const id = t.ids[j];
    t.count[id] = 0;
    t.first[id] = Infinity;
    t.last[id] = -Infinity;
  }
  for (const s of req.previous) for (let i = 0; i < s.ids.length; i++) t.previous[s.ids[i]] = 0;
  for (const s of req.lookback) for (let i = 0; i < s.ids.length; i++) t.seen[s.ids[i]] = 0;
  for (const id of kept) t.slot[id] = -1;
}

/**
 * Counts, orders and limits the groups of the window's slices, with sparklines for the ones kept.
 * `tallies` may be shared between calls (never between concurrent ones: this function is synchronous).
 */
export function combineDropSlices(req: CombineRequest, tallies = new DropTallies()): Combined {
  const t = tallies;
  tally(req, t);
  const kept = firstInOrder(t.ids.subarray(0, t.size), req.limit, comparator(t, req));
  const lines = kept.map(() => new Array<number>(req.layout.count).fill(0));
  kept.forEach((id, i) => { t.slot[id] = i; });
  for (const s of req.current) {
    const bin = sparklineBin(req.layout, s.bucketMs);
    for (let i = 0; i < s.ids.length; i++) {
      const at = t.slot[s.ids[i]];
      if (at >= 0) lines[at][bin] += s.counts[i];
    }
  }
  const groups = kept.map((id, i) => ({
    id, count: t.count[id], firstMs: t.first[id], lastMs: t.last[id], sparkline: lines[i], previousCount: t.previous[id], isNew: t.seen[id] === 0,
  }));
  const combined = { groups, totalGroups: t.size, totalDrops: t.totalDrops };
  reset(req, t, kept);
  return combined;
}
