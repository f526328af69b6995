/**
 * The status of several relays as one (pure): /api/status's top level (server/ingest/relay-status-board.ts)
 * and the triage's picked clusters combine them alike.
 */
import { compareTimestamps, parseTimestamp } from '../time/timestamp';
import type { IngestStatus, RelayIngestStatus, RelayState } from './ingest-status';

/** Worst first: a stopped or broken relay is what the top-level state must show. */
const STATE_ORDER: readonly RelayState[] = ['stopped', 'reconnecting', 'connecting', 'connected'];

const sum = (list: readonly RelayIngestStatus[], pick: (s: RelayIngestStatus) => number | undefined): number | undefined =>
  list.some((s) => pick(s) !== undefined) ? list.reduce((n, s) => n + (pick(s) ?? 0), 0) : undefined;

/** The earliest (`sign` -1) or latest (+1) of some RFC 3339 times. */
function pickTime(times: ReadonlyArray<string | undefined>, sign: 1 | -1): string | undefined {
  let best: string | undefined;
  for (const t of times) {
    const ts = t ? parseTimestamp(t) : undefined;
    const bestTs = best ? parseTimestamp(best) : undefined;
    if (ts && (!bestTs || compareTimestamps(ts, bestTs) * sign > 0)) best = t;
  }
  return best;
}

/** The process's status from each relay's; pure. `list` is in configuration order and not empty. */
export function combineRelayStatuses(list: readonly RelayIngestStatus[]): IngestStatus {
  if (list.length === 1) {
    const { relay: _relay, ...only } = list[0];
    return { ...only, relays: [...list] };
  }
  const state = STATE_ORDER.find((st) => list.some((s) => s.state === st)) ?? 'connecting';
  const errors = list.filter((s) => s.lastError).map((s) => `${s.cluster}: ${s.lastError}`);
  const verdicts: Record<string, number> = {};
  for (const s of list) for (const [v, n] of Object.entries(s.verdicts)) verdicts[v] = (verdicts[v] ?? 0) + n;
  const stored = list.filter((s) => s.flowsStored !== undefined);
  return {
    relayAddr: list.map((s) => s.relayAddr).join(', '),
    demo: list.every((s) => s.demo),
    state,
    ...(errors.length && { lastError: errors.join('; ') }),
    sinceMs: Math.max(...list.filter((s) => s.state === state).map((s) => s.sinceMs)),
    flowsReceived: sum(list, (s) => s.flowsReceived) ?? 0,
    flowsPerS: sum(list, (s) => s.flowsPerS) ?? 0,
    lostEvents: sum(list, (s) => s.lostEvents) ?? 0,
    nodesConnected: sum(list, (s) => s.nodesConnected) ?? 0,
    nodesUnavailable: sum(list, (s) => s.nodesUnavailable) ?? 0,
    lastFlowTime: pickTime(list.map((s) => s.lastFlowTime), 1),
    ...(stored.length && {
      flowsStored: sum(stored, (s) => s.flowsStored),
      duplicateFlows: sum(stored, (s) => s.duplicateFlows),
      droppedFlows: sum(stored, (s) => s.droppedFlows),
      queuedFlows: sum(stored, (s) => s.queuedFlows),
      // The least advanced relay: a relay that stopped delivering must show as lag, not hide behind the others.
      newestStoredFlowTime: pickTime(stored.map((s) => s.newestStoredFlowTime), -1),
    }),
    verdicts,
    atMs: Math.max(...list.map((s) => s.atMs)),
    relays: [...list],
  };
}
