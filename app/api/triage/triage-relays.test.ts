import { describe, expect, it } from 'vitest';
import type { IngestStatus, RelayIngestStatus } from '../../../lib/ingest/ingest-status';
import { ingestOfClusters, relaysOfClusters } from './triage-relays';

const relay = (cluster: string, relayName: string, over: Partial<RelayIngestStatus> = {}): RelayIngestStatus => ({
  cluster, relay: relayName, relayAddr: `${cluster}.example:4245`, demo: false, state: 'connected', sinceMs: 1, flowsReceived: 10,
  flowsPerS: 2, lostEvents: 0, nodesConnected: 1, nodesUnavailable: 0, verdicts: { FORWARDED: 10 }, atMs: 5, ...over,
});

const EAST = relay('east', 'east', { flowsReceived: 100 });
const WEST = relay('west', 'west', { state: 'reconnecting', lastError: 'connection refused', flowsReceived: 7 });
const NORTH = relay('north', 'north', { flowsReceived: 1 });
const MESH: IngestStatus = { ...EAST, relayAddr: 'all', flowsReceived: 108, relays: [EAST, WEST, NORTH] };

describe('the relays of picked clusters', () => {
  it('are every relay without a pick, else the live relays of those clusters and the names they would be recorded under', () => {
    expect(relaysOfClusters([], MESH)).toBeUndefined();
    expect(relaysOfClusters(['west'], MESH)).toEqual(['west']);
    // A single relay named by its address is recorded under the address: only the live status knows its cluster.
    const single: IngestStatus = { ...EAST, relays: [relay('default', 'relay.example:4245')] };
    expect(relaysOfClusters(['default'], single)).toEqual(['default', 'relay.example:4245']);
    expect(relaysOfClusters(['east', 'south'], undefined)).toEqual(['east', 'south']);
  });

  it('narrow the live status to those relays, combined as /api/status combines them', () => {
    expect(ingestOfClusters([], MESH)).toBe(MESH);
    expect(ingestOfClusters(['east', 'west', 'north'], MESH)).toBe(MESH);
    const west = ingestOfClusters(['west'], MESH);
    expect(west).toMatchObject({ cluster: 'west', state: 'reconnecting', flowsReceived: 7, relays: [WEST] });
    const two = ingestOfClusters(['east', 'west'], MESH);
    expect(two).toMatchObject({ state: 'reconnecting', flowsReceived: 107, lastError: 'west: connection refused' });
    expect(two?.relays?.map((r) => r.cluster)).toEqual(['east', 'west']);
  });

  it('are none (null) when no picked cluster is followed here, or no collector runs', () => {
    expect(ingestOfClusters(['south'], MESH)).toBeNull();
    expect(ingestOfClusters(['east'], undefined)).toBeNull();
    expect(ingestOfClusters([], undefined)).toBeNull();
    // A status without `relays` (one collector) says its cluster at the top level, or nothing.
    const { relays: _relays, cluster: _cluster, relay: _relay, ...bare } = { ...MESH, relay: '' };
    expect(ingestOfClusters(['east'], { ...bare, cluster: 'east' })).toEqual({ ...bare, cluster: 'east' });
    expect(ingestOfClusters(['west'], { ...bare, cluster: 'east' })).toBeNull();
    expect(ingestOfClusters(['east'], bare)).toBeNull();
  });
});
