import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WriteQueue', () => {
  it('writes items one at a time, in order', async () => {
    const written: number[] = [];
    let active = 0;
    let maxActive = 0;
    const q = new WriteQueue<number>({
      maxQueued: 10,
      write: async (n) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await tick();
        written.push(n);
        active--;
      },
    });
    for (let i = 0; i < 5; i++) q.push(i);
    expect(await q.close(5_000)).toEqual([]);
    expect(written).toEqual([0, 1, 2, 3, 4]);
    expect(maxActive).toBe(1);
  });

  it('retries the same item until it succeeds, never skipping it', async () => {
    const attempts: Array<[number, number]> = [];
    const retries: number[] = [];
    const recovered: boolean[] = [];
    const q = new WriteQueue<number>({
      maxQueued: 10,
      retryBaseMs: 1,
      retryCapMs: 2,
      write: async (n, attempt) => {
        attempts.push([n, attempt]);
        if (n === 1 && attempt < 3) throw new Error('database unavailable');
      },
      onRetry: (_err, attempt) => retries.push(attempt),
      onWritten: (_n, r) => recovered.push(r),
    });
    q.push(0);
    q.push(1);
    q.push(2);
    expect(await q.close(5_000)).toEqual([]);
    expect(attempts).toEqual([[0, 0], [1, 0], [1, 1], [1, 2], [1, 3], [2, 0]]);
    expect(retries).toEqual([1, 2, 3]);
    expect(recovered).toEqual([false, true, false]);
  });

  it('reports full at its bound and lets a waiting producer go on once there is room', async () => {
    const release: Array<() => void> = [];
    const q = new WriteQueue<number>({ maxQueued: 2, write: () => new Promise<void>((r) => release.push(r)) });
    q.push(1);
    expect(q.full).toBe(false);
    q.push(2);
    expect(q.full).toBe(true);
    let resumed = false;
    const waiting = q.waitForRoom().then(() => { resumed = true; });
    await tick();
    expect(resumed).toBe(false);
    release.shift()?.();
    await waiting;
    expect(resumed).toBe(true);
    expect(q.length).toBe(1);
  });

  it('waitForRoom resolves when its signal aborts', async () => {
    const q = new WriteQueue<number>({ maxQueued: 1, write: () => new Promise<void>(() => undefined) });
    q.push(1);
    const abort = new AbortController();
    const waiting = q.waitForRoom(abort.signal);
    abort.abort();
    await waiting;
    expect(q.full).toBe(true);
  });

  it('close() gives up after its timeout and returns what was never written', async () => {
    const q = new WriteQueue<number>({
      maxQueued: 10, retryBaseMs: 1, retryCapMs: 5,
      write: async () => { throw new Error('down'); },
    });
    q.push(1);
    q.push(2);
    expect(await q.close(50)).toEqual([1, 2]);
    expect(() => q.push(3)).toThrow(/closed/);
  });
});
