import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { GapRecord } from '../store/ingest-records';
import { Batcher, type IngestBatch } from './batcher';
import { mergeLostEvents } from './gap-tracker';

const flow = (i: number): FlowsResponse => ({ flow: { time: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, uuid: `u${i}` } });
const lost = (n: number, to: string): GapRecord => ({ relay: 'r', kind: 'lost-events', fromTime: '2026-01-01T00:00:00Z', toTime: to, lostFlows: n, detail: 'HUBBLE_RING_BUFFER on a' });

describe('Batcher', () => {
  let batches: IngestBatch[];
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = (maxFlows = 3, maxDelayMs = 250) => new Batcher({ maxFlows, maxDelayMs, onBatch: (b) => batches.push(b) });

  it('seals a batch as soon as it holds maxFlows flows', () => {
    const b = make(3);
    for (let i = 0; i < 7; i++) b.addFlow(flow(i));
    expect(batches.map((x) => x.flows.map((f) => f.flow?.uuid))).toEqual([['u0', 'u1', 'u2'], ['u3', 'u4', 'u5']]);
    expect(b.pendingFlows).toBe(1);
  });

  it('seals a partial batch maxDelayMs after its first entry', () => {
    const b = make(100, 250);
    b.addFlow(flow(1));
    vi.advanceTimersByTime(200);
    b.addFlow(flow(2));
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(batches).toHaveLength(1);
    expect(batches[0].flows).toHaveLength(2);
    // The next batch gets its own full delay.
    b.addFlow(flow(3));
    vi.advanceTimersByTime(249);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(2);
  });

  it('carries gaps and node events, and seals them on the timer even without flows', () => {
    const b = make(100, 250);
    b.addNodeEvents([{ time: 1, relay: 'r', node: 'n', state: 'NODE_CONNECTED' }]);
    b.addGap(lost(3, '2026-01-01T00:00:01Z'), mergeLostEvents);
    b.addGap({ ...lost(4, '2026-01-01T00:00:02Z'), detail: 'HUBBLE_RING_BUFFER on b' }, mergeLostEvents);
    vi.advanceTimersByTime(250);
    expect(batches).toHaveLength(1);
    expect(batches[0].nodeEvents).toHaveLength(1);
    expect(batches[0].gaps).toEqual([{ ...lost(7, '2026-01-01T00:00:02Z'), detail: 'HUBBLE_RING_BUFFER on a, HUBBLE_RING_BUFFER on b' }]);
  });

  it('flush() seals what is open and is a no-op when nothing is', () => {
    const b = make(100);
    b.flush();
    expect(batches).toHaveLength(0);
    b.addFlow(flow(1));
    b.flush();
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
  });

  it('while the writer is busy, keeps filling the batch past maxDelayMs until released or full', () => {
    let busy = true;
    const b = new Batcher({ maxFlows: 5, maxDelayMs: 250, holdWhile: () => busy, onBatch: (x) => batches.push(x) });
    b.addFlow(flow(1));
    vi.advanceTimersByTime(1000);
    b.addFlow(flow(2));
    expect(batches).toHaveLength(0);
    // The writer becomes idle and releases what waited.
    busy = false;
    b.releaseIfDue();
    expect(batches.map((x) => x.flows.length)).toEqual([2]);
    // Not due yet: release does nothing, and the delay applies again when idle.
    b.addFlow(flow(3));
    b.releaseIfDue();
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(batches.map((x) => x.flows.length)).toEqual([2, 1]);
    // Held batches are still sealed at maxFlows.
    busy = true;
    for (let i = 0; i < 6; i++) b.addFlow(flow(10 + i));
    vi.advanceTimersByTime(1000);
    expect(batches.map((x) => x.flows.length)).toEqual([2, 1, 5]);
    b.flush();
    expect(batches.map((x) => x.flows.length)).toEqual([2, 1, 5, 1]);
  });
});
