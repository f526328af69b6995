/**
 * The filter bar's time range: presets and custom durations count back from when the view is
 * applied (`since` a Go duration, no `until`); an absolute range pins both ends (RFC 3339 UTC).
 */
import { ObserveTimeError, parseObserveTime } from '../../lib/time/observe-time';

/** The preset ranges; `since` is a Go duration as `hubble observe --since` takes it (no `d` unit). */
export const TIME_PRESETS: ReadonlyArray<{ since: string; label: string }> = [
  { since: '5m', label: 'Last 5 minutes' },
  { since: '15m', label: 'Last 15 minutes' },
  { since: '1h', label: 'Last hour' },
  { since: '6h', label: 'Last 6 hours' },
  { since: '24h', label: 'Last 24 hours' },
  { since: '168h', label: 'Last 7 days' },
];

/** How far back a duration reaches, in ms; undefined for an absolute time or an invalid value. */
export function durationMs(since: string): number | undefined {
  try {
    const t = parseObserveTime(since);
    return t.kind === 'relative' ? Number(t.agoNs / 1_000_000n) : undefined;
  } catch (e) {
    if (e instanceof ObserveTimeError) return undefined;
    throw e;
  }
}

/** Whether `since` is a point in time rather than a duration (what an absolute range holds). */
export function isAbsoluteTime(since: string): boolean {
  try {
    return parseObserveTime(since).kind !== 'relative';
  } catch (e) {
    if (e instanceof ObserveTimeError) return false;
    throw e;
  }
}

/** The absolute range equal to a duration ending at `nowMs`, to whole seconds: what "Absolute" starts from. */
export function absoluteFromDuration(since: string, nowMs: number): { since: string; until: string } {
  const end = Math.floor(nowMs / 1000) * 1000;
  const back = durationMs(since) ?? 3_600_000;
  return { since: new Date(end - back).toISOString().replace('.000Z', 'Z'), until: new Date(end).toISOString().replace('.000Z', 'Z') };
}
