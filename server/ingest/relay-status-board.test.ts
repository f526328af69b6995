import { describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { combineRelayStatuses } from '../../lib/ingest/combine-relay-statuses';
import { RelayStatusBoard } from './relay-status-board';

const status = (over: Partial<IngestStatus> = {}): IngestStatus => ({
  relayAddr: '127.0.0.1:1', demo: true, state: 'connected', sinceMs: 1_000, flowsReceived: 10, flowsPerS: 5, lostEvents: 1,
  nodesConnected: 4, nodesUnavailable: 0, lastFlowTime: '2026-11-26T10:00:02Z', flowsStored: 9, duplicateFlows: 1, droppedFlows: 0,
  queuedFlows: 1, newestStoredFlowTime: '2026-11-26T10:00:01Z', verdicts: { FORWARDED: 8, DROPPED: 2 }, atMs: 5_000, ...over,
});

describe('RelayStatusBoard', () => {
  it('publishes a single relay exactly as before, with its cluster and a one-entry relays list', () => {
    const published: IngestStatus[] = [];
    const board = new RelayStatusBoard([{ cluster: 'demo', relay: 'demo' }], (s) => published.push(s));
    board.reporter({ cluster: 'demo', relay: 'demo' })(status());
    expect(published).toEqual([{ ...status(), cluster: 'demo', relays: [{ ...status(), cluster: 'demo', relay: 'demo' }] }]);
  });

  it('combines several relays: sums, the worst state, each failing cluster named, the least advanced newest flow', () => {
    const published: IngestStatus[] = [];
    const relays = [{ cluster: 'east', relay: 'east' }, { cluster: 'west', relay: 'west' }];
    const board = new RelayStatusBoard(relays, (s) => published.push(s));
    board.reporter(relays[1])(status({
      relayAddr: '127.0.0.1:2', state: 'reconnecting', lastError: 'relay unreachable', sinceMs: 3_000, flowsReceived: 5,
      newestStoredFlowTime: '2026-11-26T09:59:00Z', lastFlowTime: '2026-11-26T09:59:30Z', verdicts: { FORWARDED: 5 }, atMs: 5_100,
    }));
    board.reporter(relays[0])(status());
    const combined = published[published.length - 1];
    expect(combined).toMatchObject({
      relayAddr: '127.0.0.1:1, 127.0.0.1:2', demo: true, state: 'reconnecting', lastError: 'west: relay unreachable', sinceMs: 3_000,
      flowsReceived: 15, flowsPerS: 10, lostEvents: 2, nodesConnected: 8, flowsStored: 18, duplicateFlows: 2, queuedFlows: 2,
      lastFlowTime: '2026-11-26T10:00:02Z', newestStoredFlowTime: '2026-11-26T09:59:00Z', verdicts: { FORWARDED: 13, DROPPED: 2 }, atMs: 5_100,
    });
    expect(combined.cluster).toBeUndefined();
    expect(combined.relays?.map((r) => [r.cluster, r.relay, r.state])).toEqual([['east', 'east', 'connected'], ['west', 'west', 'reconnecting']]);
  });

  it('is connected only when every relay is, and stopped as soon as one stops', () => {
    const two = (a: IngestStatus['state'], b: IngestStatus['state']) => combineRelayStatuses([
      { ...status({ state: a }), cluster: 'east', relay: 'east' }, { ...status({ state: b }), cluster: 'west', relay: 'west' },
    ]).state;
    expect(two('connected', 'connected')).toBe('connected');
    expect(two('connected', 'connecting')).toBe('connecting');
    expect(two('stopped', 'connected')).toBe('stopped');
  });

  it('leaves the storage counters out when no relay stores', () => {
    const bare = status({ flowsStored: undefined, duplicateFlows: undefined, droppedFlows: undefined, queuedFlows: undefined, newestStoredFlowTime: undefined });
    const combined = combineRelayStatuses([{ ...bare, cluster: 'a', relay: 'a' }, { ...bare, cluster: 'b', relay: 'b' }]);
    expect(combined).not.toHaveProperty('flowsStored');
    expect(combined).not.toHaveProperty('newestStoredFlowTime');
  });
});
