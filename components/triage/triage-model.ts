/**
 * What the triage page concludes from a TriageResponse, kept pure so each judgement is tested case
 * by case: how a drop rate changed, whether the data is complete, and the words for both.
 */
import type { TriageGap, TriageHealth, TriageRelay } from '../../lib/api/triage';
import type { IngestStatus } from '../../lib/ingest/ingest-status';

/** How a rate compares with an earlier one. */
export type RateChangeKind = 'new' | 'up' | 'steady' | 'down' | 'stopped' | 'none' | 'no-history';

export interface RateChange {
  kind: RateChangeKind;
  /** Short marker: "new", "×3", "−60%", "≈", "stopped", "—", "no history". */
  label: string;
}

/** A change by this factor or more either way is worth a marker; less is "about the same". */
const CHANGE_FACTOR = 1.5;

const ratio = (r: number) => (r < 10 ? String(Math.round(r * 10) / 10) : String(Math.round(r)));

/** How `now` compares with `before` (both rates, ≥ 0). */
export function rateChange(now: number, before: number): RateChange {
  if (now === 0 && before === 0) return { kind: 'none', label: '—' };
  if (before === 0) return { kind: 'new', label: 'new' };
  if (now === 0) return { kind: 'stopped', label: 'stopped' };
  const r = now / before;
  if (r >= CHANGE_FACTOR) return { kind: 'up', label: `×${ratio(r)}` };
  if (r <= 1 / CHANGE_FACTOR) return { kind: 'down', label: `−${Math.round((1 - r) * 100)}%` };
  return { kind: 'steady', label: '≈' };
}

/** Whether stored history reaches back to `sinceIso`, so that a comparison there has data to go by. */
export function historyCovers(dataSince: string | null, sinceIso: string): boolean {
  return dataSince !== null && Date.parse(dataSince) <= Date.parse(sinceIso);
}

/** rateChange against an earlier window, or "no history" when nothing was stored back then. */
export function comparedRate(now: number, before: number, covered: boolean): RateChange {
  return covered ? rateChange(now, before) : { kind: 'no-history', label: 'no history' };
}

/** A rise worth on-call's attention: dropping now, and new or clearly up. */
export const isRise = (c: RateChange) => c.kind === 'new' || c.kind === 'up';

/** A rate for people: "0", "0.2", "4.6", "38", "1,240". */
export function formatRate(perMin: number): string {
  if (perMin === 0) return '0';
  if (perMin < 10) return String(Math.round(perMin * 10) / 10 || 0.1);
  return Math.round(perMin).toLocaleString('en-US');
}

/** "12 s", "4 min", "3 h 05 min", "2 d 4 h": how long, at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export type Level = 'ok' | 'warn' | 'bad';

export interface Completeness {
  level: Level;
  /** One line: is the data complete. */
  headline: string;
  /** Why, one fact a line, the worst first. */
  details: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Formats an RFC 3339 time for a sentence (the page passes the viewer's local clock time). */
export type TimeFormat = (iso: string) => string;

/** Facts that make the data incomplete right now (a relay down, nodes unavailable, the collector stopped). */
function currentProblems(relays: readonly TriageRelay[], health: TriageHealth, ingest: IngestStatus | null, time: TimeFormat): string[] {
  const out: string[] = [];
  if (ingest && ingest.state !== 'connected') {
    out.push(`The collector is ${ingest.state}${ingest.lastError ? `: ${ingest.lastError}` : ''}.`);
  }
  for (const o of health.outages.filter((x) => x.ongoing)) out.push(`Relay ${o.relay} has not answered since ${time(o.from)}.`);
  const unavailable = relays.reduce((n, r) => n + (r.connected ? (r.unavailableNodes ?? 0) : 0), 0);
  if (unavailable > 0) out.push(`${plural(unavailable, 'node')} unavailable: their flows are not being collected.`);
  return out;
}

/** The gaps in words: how many, what they lost, and since when the data has been whole. */
function gapFacts(gaps: readonly TriageGap[], health: TriageHealth): string[] {
  const unknown = gaps.filter((g) => g.lostFlows === null).length;
  const lost = health.lostFlows > 0 ? `${plural(health.lostFlows, 'flow')} known lost` : 'no flow count known';
  const unknownText = unknown > 0 ? ` (${plural(unknown, 'gap')} without a count)` : '';
  return [`${plural(health.gapCount, 'gap')} in the last 24 h, ${lost}${unknownText}.`];
}

/**
 * Whether the stored flows of the last day are complete: "bad" while flows are being missed right
 * now, "warn" when the day has gaps, "ok" otherwise. `nowMs` is the triage's moment.
 */
export function completeness(health: TriageHealth, ingest: IngestStatus | null, nowMs: number, time: TimeFormat): Completeness {
  const problems = currentProblems(health.relays, health, ingest, time);
  const lastGapEnd = health.gaps.reduce((max, g) => Math.max(max, Date.parse(g.to)), -Infinity);
  if (problems.length > 0) {
    const details = [...problems, ...(health.gapCount > 0 ? gapFacts(health.gaps, health) : [])];
    return { level: 'bad', headline: 'Flows are being missed right now', details };
  }
  if (health.gapCount > 0) {
    return {
      level: 'warn',
      headline: `Data complete for the last ${formatDuration(nowMs - lastGapEnd)} (since the last gap)`,
      details: gapFacts(health.gaps, health),
    };
  }
  const since = health.dataSince === null ? undefined : Date.parse(health.dataSince);
  const windowSince = Date.parse(health.window.since);
  if (since === undefined) return { level: 'warn', headline: 'No flows stored in the last 24 h', details: [] };
  // History that starts within the day is complete from its start, not for the whole day.
  if (since - windowSince > 60_000) {
    return { level: 'ok', headline: `Data complete since history starts, ${formatDuration(nowMs - since)} ago`, details: [] };
  }
  return { level: 'ok', headline: 'Data complete for the last 24 h', details: [] };
}

/** How far the stored flows trail the collector: the newest stored flow's age and the queue. */
export function ingestLag(ingest: IngestStatus | null): { level: Level; text: string } | undefined {
  if (!ingest || ingest.flowsStored === undefined) return undefined;
  const queued = ingest.queuedFlows ?? 0;
  if (!ingest.newestStoredFlowTime) return { level: 'ok', text: `No flow stored yet, ${plural(queued, 'flow')} waiting.` };
  const lagMs = ingest.atMs - Date.parse(ingest.newestStoredFlowTime);
  // Quiet clusters have old newest flows too; a lag only matters while flows keep arriving.
  const behind = lagMs > 60_000 && (ingest.flowsPerS > 0 || queued > 0);
  return {
    level: behind ? 'warn' : 'ok',
    text: `Newest stored flow ${formatDuration(lagMs)} old, ${plural(queued, 'flow')} waiting to be written.`,
  };
}
