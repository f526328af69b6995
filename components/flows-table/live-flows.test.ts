import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { initialLiveFlows, liveFlowsReducer, type LiveFlowsAction, type LiveFlowsState } from './live-flows';

const flow = (uuid: string): FlowsResponse => ({ flow: { uuid, time: '2026-01-15T12:00:00Z' } });
const flows = (...uuids: string[]) => uuids.map(flow);
const ids = (list: readonly FlowsResponse[]) => list.map((r) => r.flow?.uuid);
const run = (state: LiveFlowsState, ...actions: LiveFlowsAction[]) => actions.reduce(liveFlowsReducer, state);

describe('liveFlowsReducer', () => {
  it('puts arriving flows on top, newest first, and counts the rows added above', () => {
    const s = run(initialLiveFlows(), { type: 'flows', flows: flows('a', 'b') }, { type: 'flows', flows: flows('c') });
    expect(ids(s.shown)).toEqual(['c', 'b', 'a']);
    expect(s.prepended).toBe(3);
  });

  it('returns the same object when nothing changed', () => {
    const s = run(initialLiveFlows(), { type: 'flows', flows: flows('a', 'b') });
    expect(liveFlowsReducer(s, { type: 'flows', flows: [] })).toBe(s);
    expect(liveFlowsReducer(s, { type: 'flows', flows: flows('a', 'b') })).toBe(s);
    expect(liveFlowsReducer(s, { type: 'flows', flows: [{ lost_events: { num_events_lost: '1' } }] })).toBe(s);
    expect(liveFlowsReducer(s, { type: 'resume' })).toBe(s);
    expect(liveFlowsReducer(s, { type: 'lost', count: 0 })).toBe(s);
    const paused = liveFlowsReducer(s, { type: 'pause' });
    expect(liveFlowsReducer(paused, { type: 'pause' })).toBe(paused);
    const empty = initialLiveFlows();
    expect(liveFlowsReducer(empty, { type: 'reset' })).toBe(empty);
  });

  it('drops repeats within a batch and of recent rows (a reconnected stream resends a few seconds)', () => {
    const s = run(initialLiveFlows(), { type: 'flows', flows: flows('a', 'b') }, { type: 'flows', flows: flows('b', 'c', 'c', 'd') });
    expect(ids(s.shown)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('holds flows while paused without moving the shown list, then shows them on resume', () => {
    const shown = run(initialLiveFlows(), { type: 'flows', flows: flows('a') });
    const paused = run(shown, { type: 'pause' }, { type: 'flows', flows: flows('b', 'c') }, { type: 'flows', flows: flows('c', 'a') });
    expect(paused.shown).toBe(shown.shown);
    expect(paused.prepended).toBe(shown.prepended);
    expect(ids(paused.pending)).toEqual(['c', 'b']);
    const resumed = liveFlowsReducer(paused, { type: 'resume' });
    expect(ids(resumed.shown)).toEqual(['c', 'b', 'a']);
    expect(resumed.pending).toEqual([]);
    expect(resumed.paused).toBe(false);
    expect(resumed.prepended).toBe(paused.prepended + 2);
  });

  it('keeps at most cap flows, letting the oldest go and counting them', () => {
    const s = run(initialLiveFlows(3), { type: 'flows', flows: flows('a', 'b') }, { type: 'flows', flows: flows('c', 'd', 'e') });
    expect(ids(s.shown)).toEqual(['e', 'd', 'c']);
    expect(s.dropped).toBe(2);
    const paused = run(s, { type: 'pause' }, { type: 'flows', flows: flows('f', 'g', 'h', 'i') });
    expect(ids(paused.pending)).toEqual(['i', 'h', 'g']);
    expect(paused.dropped).toBe(3);
    expect(ids(liveFlowsReducer(paused, { type: 'resume' }).shown)).toEqual(['i', 'h', 'g']);
  });

  it('counts flows the server skipped, and starts over on reset keeping pause and the prepend count', () => {
    const s = run(initialLiveFlows(), { type: 'flows', flows: flows('a') }, { type: 'lost', count: 4 }, { type: 'pause' });
    expect(s.lost).toBe(4);
    const reset = liveFlowsReducer(s, { type: 'reset', after: '2026-01-15T12:00:00Z' });
    expect(reset).toMatchObject({ shown: [], pending: [], lost: 0, dropped: 0, paused: true, prepended: 1, after: '2026-01-15T12:00:00Z' });
    expect(liveFlowsReducer(reset, { type: 'reset', after: '2026-01-15T12:00:00Z' })).toBe(reset);
    expect(liveFlowsReducer(reset, { type: 'reset', after: '2026-01-15T12:00:00Z', paused: false }).paused).toBe(false);
  });
});

describe('flows the server skipped', () => {
  it('counts flows skipped for the rate apart from flows skipped for a slow page', () => {
    const s = run(initialLiveFlows(), { type: 'lost', count: 4 }, { type: 'lost', count: 7, reason: 'rate' }, { type: 'lost', count: 1, reason: 'behind' });
    expect({ lost: s.lost, limited: s.limited }).toEqual({ lost: 5, limited: 7 });
  });
});
