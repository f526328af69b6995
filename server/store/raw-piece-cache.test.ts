import { describe, expect, it } from 'vitest';
import { RawPieceCache } from './raw-piece-cache';

const value = (size: number) => ({ size });
const deferred = <T,>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('RawPieceCache', () => {
  it('computes a key once for callers that ask at the same time, and counts its size once', async () => {
    const cache = new RawPieceCache<{ size: number }>({ ttlMs: 1000, maxSize: 100, concurrency: 2 });
    const gate = deferred<{ size: number }>();
    let computed = 0;
    const compute = () => (computed++, gate.promise);
    const both = Promise.all([cache.getOrCompute('a', 0, compute), cache.getOrCompute('a', 0, compute)]);
    gate.resolve(value(10));
    const [x, y] = await both;
    expect(computed).toBe(1);
    expect(x).toBe(y);
    expect(cache.heldSize).toBe(10);
    await cache.getOrCompute('a', 1, async () => value(10));
    expect(cache.heldSize).toBe(10);
  });

  it('replaces an entry without counting it twice, and drops the least recently used beyond maxSize', async () => {
    const cache = new RawPieceCache<{ size: number }>({ ttlMs: 1000, maxSize: 25, concurrency: 2 });
    await cache.getOrCompute('a', 0, async () => value(10));
    await cache.getOrCompute('b', 0, async () => value(10));
    expect(cache.get('a', 1)).toBeDefined(); // a is now the most recently used
    await cache.getOrCompute('c', 0, async () => value(10));
    expect(cache.heldSize).toBe(20);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('c', 1)).toBeDefined();
  });

  it('forgets entries past their time to live', async () => {
    const cache = new RawPieceCache<{ size: number }>({ ttlMs: 1000, maxSize: 100, concurrency: 2 });
    await cache.getOrCompute('a', 0, async () => value(5));
    expect(cache.get('a', 999)).toBeDefined();
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.heldSize).toBe(0);
  });

  it('never keeps an uncacheable piece, and runs at most `concurrency` computations at once over all callers', async () => {
    const cache = new RawPieceCache<{ size: number }>({ ttlMs: 1000, maxSize: 100, concurrency: 2 });
    let running = 0;
    let most = 0;
    const compute = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return value(1);
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => cache.getOrCompute(i % 2 ? `k${i}` : undefined, 0, compute)));
    expect(most).toBe(2);
    expect(cache.heldSize).toBe(4);
  });

  it('does not keep a failed computation, so the next caller tries again', async () => {
    const cache = new RawPieceCache<{ size: number }>({ ttlMs: 1000, maxSize: 100, concurrency: 1 });
    await expect(cache.getOrCompute('a', 0, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(cache.getOrCompute('a', 0, async () => value(3))).resolves.toEqual(value(3));
  });
});
