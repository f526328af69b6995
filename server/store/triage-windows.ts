/**
 * The windows the triage view reads, all derived from one clock reading and aligned to the rollup
 * buckets (server/store/edge-counts.ts).
 */
import { TRIAGE_HISTORY_HOURS, TRIAGE_NEW_MINUTES, TRIAGE_RATE_MINUTES, type TriageWindow } from '../../lib/api/triage';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A window as epoch ms, [sinceMs, untilMs). */
export interface MsWindow {
  sinceMs: number;
  untilMs: number;
}

/** Every window the triage reads, derived from one clock reading. */
export interface TriageWindows {
  nowMs: number;
  /** Whole minutes of the drop rate, and the same minutes 1 h and 24 h before. */
  rateNow: MsWindow;
  rateHourAgo: MsWindow;
  rateDayAgo: MsWindow;
  /** The last TRIAGE_NEW_MINUTES whole minutes and the minute in progress (new groups, top pairs). */
  recent: MsWindow;
  /** The last TRIAGE_HISTORY_HOURS, for health and the timeline. */
  history: MsWindow;
}

const shift = (w: MsWindow, byMs: number): MsWindow => ({ sinceMs: w.sinceMs - byMs, untilMs: w.untilMs - byMs });

/**
 * The windows for `nowMs`. Rollup buckets hold whole minutes (hours), so windows start on bucket
 * boundaries; the rate windows also end on one, so that "now" is not a partly filled minute
 * compared with full ones.
 */
export function triageWindows(nowMs: number): TriageWindows {
  const minuteMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const rateNow = { sinceMs: minuteMs - TRIAGE_RATE_MINUTES * MINUTE_MS, untilMs: minuteMs };
  const recentSinceMs = minuteMs - TRIAGE_NEW_MINUTES * MINUTE_MS;
  return {
    nowMs,
    rateNow,
    rateHourAgo: shift(rateNow, HOUR_MS),
    rateDayAgo: shift(rateNow, 24 * HOUR_MS),
    recent: { sinceMs: recentSinceMs, untilMs: nowMs },
    history: { sinceMs: nowMs - TRIAGE_HISTORY_HOURS * HOUR_MS, untilMs: nowMs },
  };
}

/** A window as the API states it. */
export function windowText(w: MsWindow): TriageWindow {
  return { since: new Date(w.sinceMs).toISOString(), until: new Date(w.untilMs).toISOString() };
}
