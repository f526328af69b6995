import { describe, expect, it } from 'vitest';
import { Counter, Histogram } from './metrics-registry';
import { opsMetrics, timeBatchWrites, type OpsMetrics } from './ops-metrics';

const freshMetrics = (): OpsMetrics => ({
  batchWrites: new Counter('t_batch_writes_total', 'x'),
  batchWriteSeconds: new Histogram('t_batch_write_seconds', 'x', [0.01, 1]),
  httpSeconds: new Histogram('t_http_seconds', 'x', [1]),
});

describe('timeBatchWrites', () => {
  it('counts every attempt by outcome and times the successful ones, passing arguments and errors through', async () => {
    const metrics = freshMetrics();
    const seen: Array<[string, number]> = [];
    const boom = new Error('database unavailable');
    const write = timeBatchWrites(async (batch: string, attempt: number) => {
      seen.push([batch, attempt]);
      if (attempt === 0) throw boom;
      await new Promise((r) => setTimeout(r, 20));
    }, metrics);

    await expect(write('b1', 0)).rejects.toBe(boom);
    await write('b1', 1);
    await write('b2', 1);

    expect(seen).toEqual([['b1', 0], ['b1', 1], ['b2', 1]]);
    expect(metrics.batchWrites.samples()).toEqual([
      { labels: { outcome: 'error' }, value: 1 },
      { labels: { outcome: 'ok' }, value: 2 },
    ]);
    const byName = Object.fromEntries(metrics.batchWriteSeconds.samples().map((s) => [`${s.suffix}${s.labels?.le ?? ''}`, s.value]));
    expect(byName).toMatchObject({ '_bucket0.01': 0, _bucket1: 2, '_bucket+Inf': 2, _count: 2 });
    expect(byName._sum).toBeGreaterThanOrEqual(0.03);
  });
});

describe('opsMetrics', () => {
  it('is one set per process, shared through globalThis', () => {
    expect(opsMetrics()).toBe(opsMetrics());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('hubble-dashboard.ops-metrics')]).toBe(opsMetrics());
  });
});
