import { describe, expect, it } from 'vitest';
import { Backoff, DEFAULT_BACKOFF, fullJitterDelayMs } from './backoff';

const max = () => 0.999_999_999;

describe('fullJitterDelayMs', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    const ceilings = Array.from({ length: 10 }, (_, attempt) => fullJitterDelayMs(attempt, 500, 30_000, max) + 1);
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('spreads delays over [0, ceiling) with the random value', () => {
    expect(fullJitterDelayMs(3, 500, 30_000, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(fullJitterDelayMs(3, 500, 30_000, () => 0.25)).toBe(1000);
  });

  it('stays finite for huge attempt numbers', () => {
    expect(fullJitterDelayMs(10_000, 500, 30_000, max)).toBe(29_999);
  });
});

describe('Backoff', () => {
  it('defaults to 500 ms base and a 30 s cap', () => {
    expect(DEFAULT_BACKOFF).toMatchObject({ baseMs: 500, capMs: 30_000 });
    const b = new Backoff({}, max);
    const delays = Array.from({ length: 8 }, () => b.nextDelayMs());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999]);
    expect(b.attempts).toBe(8);
  });

  it('is deterministic for the same random sequence', () => {
    const seq = (values: number[]) => () => values.shift() ?? 0;
    const a = new Backoff({}, seq([0.1, 0.9, 0.3]));
    const b = new Backoff({}, seq([0.1, 0.9, 0.3]));
    const run = (x: Backoff) => [x.nextDelayMs(), x.nextDelayMs(), x.nextDelayMs()];
    expect(run(a)).toEqual(run(b));
    expect(run(new Backoff({}, seq([0.1, 0.9, 0.3])))).toEqual([50, 900, 600]);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000 }, max);
    b.nextDelayMs();
    b.nextDelayMs();
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.nextDelayMs()).toBe(99);
  });

  it('starts over only after a connection that stayed up long enough', () => {
    const b = new Backoff({ baseMs: 100, capMs: 10_000, healthyAfterMs: 5000 }, max);
    b.nextDelayMs();
    b.nextDelayMs();
    b.connectionEnded(4999);
    expect(b.attempts).toBe(2);
    expect(b.nextDelayMs()).toBe(399);
    b.connectionEnded(5000);
    expect(b.attempts).toBe(0);
    expect(b.nextDelayMs()).toBe(99);
  });

  it('rejects nonsense settings', () => {
    expect(() => new Backoff({ baseMs: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ baseMs: 1000, capMs: 500 })).toThrow('backoff needs 0 < baseMs <= capMs');
    expect(() => new Backoff({ healthyAfterMs: -1 })).toThrow(RangeError);
  });
});
