import { describe, expect, it } from 'vitest';
import type { TriageHealth } from '../../lib/api/triage';
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { comparedRate, completeness, formatDuration, formatRate, historyCovers, ingestLag, isRise, rateChange } from './triage-model';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');
const utc = (iso: string) => `${iso.slice(11, 16)} UTC`;

function health(over: Partial<TriageHealth> = {}): TriageHealth {
  return {
    window: { since: '2026-01-14T12:00:30.000Z', until: '2026-01-15T12:00:30.000Z' },
    relays: [{
      relay: 'r', sampledAt: '2026-01-15T12:00:20.000Z', connected: true, connectedNodes: 3, unavailableNodes: 0, flowsPerS: 10,
      numFlows: 1, maxFlows: 2, seenFlows: 3, connectedSince: '2026-01-15T10:00:00.000Z', newestStoredFlow: '2026-01-15T12:00:29.000Z',
    }],
    nodeEvents: [], gaps: [], outages: [], gapCount: 0, lostFlows: 0, dataSince: '2026-01-14T12:00:00.000Z',
    ...over,
  };
}

const ingest = (over: Partial<IngestStatus> = {}): IngestStatus => ({
  relayAddr: 'r', demo: true, state: 'connected', sinceMs: 0, flowsReceived: 10, flowsPerS: 5, lostEvents: 0, nodesConnected: 3,
  nodesUnavailable: 0, verdicts: {}, atMs: NOW_MS, flowsStored: 10, queuedFlows: 0, newestStoredFlowTime: '2026-01-15T12:00:28Z',
  ...over,
});

describe('rateChange', () => {
  it.each([
    [0, 0, 'none', '—'], [4, 0, 'new', 'new'], [0, 3, 'stopped', 'stopped'], [9, 3, 'up', '×3'], [4.5, 3, 'up', '×1.5'],
    [40, 3, 'up', '×13'], [4, 3, 'steady', '≈'], [2.1, 3, 'steady', '≈'], [1, 4, 'down', '−75%'],
  ])('%d now against %d before is %s (%s)', (now, before, kind, label) => {
    expect(rateChange(now, before)).toEqual({ kind, label });
  });

  it('calls only new and clearly higher rates a rise', () => {
    expect([rateChange(1, 0), rateChange(6, 2), rateChange(2, 2), rateChange(1, 2), rateChange(0, 2)].map(isRise))
      .toEqual([true, true, false, false, false]);
  });
});

describe('comparisons against stored history', () => {
  it('compares only with windows stored history reaches back to', () => {
    expect(historyCovers('2026-01-15T11:00:00Z', '2026-01-15T10:55:00Z')).toBe(false);
    expect(historyCovers('2026-01-15T10:55:00Z', '2026-01-15T10:55:00Z')).toBe(true);
    expect(historyCovers(null, '2026-01-15T10:55:00Z')).toBe(false);
    expect(comparedRate(4, 0, false)).toEqual({ kind: 'no-history', label: 'no history' });
    expect(isRise(comparedRate(4, 0, false))).toBe(false);
    expect(comparedRate(4, 0, true)).toEqual({ kind: 'new', label: 'new' });
  });
});

describe('formats', () => {
  it('rounds rates so that a small non-zero rate never reads as zero', () => {
    expect([0, 0.02, 0.24, 4.66, 38.4, 1240.2].map(formatRate)).toEqual(['0', '0.1', '0.2', '4.7', '38', '1,240']);
  });

  it('says how long in the largest useful units', () => {
    expect([0, 12_400, 240_000, 3 * 3_600_000 + 5 * 60_000, 52 * 3_600_000].map(formatDuration))
      .toEqual(['0 s', '12 s', '4 min', '3 h 05 min', '2 d 4 h']);
  });
});

describe('completeness', () => {
  it('is complete for the day without gaps, problems or late history', () => {
    expect(completeness(health(), ingest(), NOW_MS, utc)).toEqual({ level: 'ok', headline: 'Data complete for the last 24 h', details: [] });
  });

  it('is complete from where history starts when it starts within the day', () => {
    const c = completeness(health({ dataSince: '2026-01-15T11:40:00.000Z' }), ingest(), NOW_MS, utc);
    expect(c).toEqual({ level: 'ok', headline: 'Data complete since history starts, 20 min ago', details: [] });
  });

  it('warns about gaps with their count, the flows lost, and since when the data is whole', () => {
    const gaps = [
      { relay: 'r', kind: 'lost-events' as const, from: '2026-01-15T11:40:00.000Z', to: '2026-01-15T11:41:00.000Z', lostFlows: 120, detail: null },
      { relay: 'r', kind: 'relay-unreachable' as const, from: '2026-01-15T11:52:00.000Z', to: '2026-01-15T11:54:00.000Z', lostFlows: null, detail: null },
    ];
    expect(completeness(health({ gaps, gapCount: 2, lostFlows: 120 }), ingest(), NOW_MS, utc)).toEqual({
      level: 'warn',
      headline: 'Data complete for the last 6 min (since the last gap)',
      details: ['2 gaps in the last 24 h, 120 flows known lost (1 gap without a count).'],
    });
  });

  it('is bad while flows are being missed: collector not connected, relay down, nodes unavailable', () => {
    const relays = [{ ...health().relays[0], unavailableNodes: 2 }];
    const outages = [{ relay: 'r2', from: '2026-01-15T11:59:00.000Z', to: '2026-01-15T12:00:00.000Z', ongoing: true }];
    const c = completeness(health({ relays, outages }), ingest({ state: 'reconnecting', lastError: 'connection refused' }), NOW_MS, utc);
    expect(c).toEqual({
      level: 'bad',
      headline: 'Flows are being missed right now',
      details: [
        'The collector is reconnecting: connection refused.',
        'Relay r2 has not answered since 11:59 UTC.',
        '2 nodes unavailable: their flows are not being collected.',
      ],
    });
  });

  it('says so when nothing was stored in the day', () => {
    expect(completeness(health({ dataSince: null, relays: [] }), null, NOW_MS, utc).headline).toBe('No flows stored in the last 24 h');
  });
});

describe('ingestLag', () => {
  it('reports the newest stored flow\'s age and the queue; a lag matters only while flows arrive', () => {
    expect(ingestLag(ingest())).toEqual({ level: 'ok', text: 'Newest stored flow 2 s old, 0 flows waiting to be written.' });
    const late = ingest({ newestStoredFlowTime: '2026-01-15T11:58:00Z', queuedFlows: 5000 });
    expect(ingestLag(late)).toEqual({ level: 'warn', text: 'Newest stored flow 2 min old, 5,000 flows waiting to be written.' });
    expect(ingestLag(ingest({ newestStoredFlowTime: '2026-01-15T11:00:00Z', flowsPerS: 0 }))?.level).toBe('ok');
    expect(ingestLag(ingest({ flowsStored: undefined }))).toBeUndefined();
    expect(ingestLag(null)).toBeUndefined();
  });
});
