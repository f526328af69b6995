import { describe, expect, it } from 'vitest';
import { DEFAULT_RING_CAPACITY, RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('defaults to Hubble per-node capacity', () => {
    expect(new RingBuffer().capacity).toBe(4095);
    expect(DEFAULT_RING_CAPACITY).toBe(4095);
  });

  it('rejects capacities that are not positive whole numbers', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(2.5)).toThrow(RangeError);
  });

  it('holds entries oldest first until full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.size).toBe(0);
    expect(ring.oldest()).toBeUndefined();
    expect(ring.push(1)).toBeUndefined();
    expect(ring.push(2)).toBeUndefined();
    expect(ring.toArray()).toEqual([1, 2]);
    expect([ring.oldest(), ring.newest(), ring.size]).toEqual([1, 2, 2]);
  });

  it('overwrites the oldest entry when full and keeps counting writes', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect([...ring]).toEqual([3, 4, 5]);
    expect([...ring.reversed()]).toEqual([5, 4, 3]);
    expect([ring.size, ring.totalWritten]).toEqual([3, 5]);
  });

  it('indexes from the oldest entry and refuses out-of-range positions', () => {
    const ring = new RingBuffer<string>(4);
    for (const s of ['a', 'b', 'c', 'd', 'e', 'f']) ring.push(s);
    expect([0, 1, 2, 3].map((i) => ring.at(i))).toEqual(['c', 'd', 'e', 'f']);
    expect(ring.at(4)).toBeUndefined();
    expect(ring.at(-1)).toBeUndefined();
    expect(ring.at(1.5)).toBeUndefined();
  });

  it('wraps correctly over many cycles', () => {
    const ring = new RingBuffer<number>(7);
    for (let i = 0; i < 1000; i++) ring.push(i);
    expect(ring.toArray()).toEqual([993, 994, 995, 996, 997, 998, 999]);
    expect(ring.totalWritten).toBe(1000);
  });

  it('clear empties the buffer but keeps the write count', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    ring.clear();
    expect([ring.size, ring.totalWritten, ring.toArray()]).toEqual([0, 3, []]);
    ring.push(9);
    expect(ring.toArray()).toEqual([9]);
  });
});
