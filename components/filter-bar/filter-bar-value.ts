/**
 * What the filter bar edits and hands to the view, and the check it runs before handing it over:
 * the very parser GET /api/flows answers with, so an error shows (naming its flag or parameter)
 * before Apply instead of after a round trip.
 */
import { parseFlowsQuery } from '../../lib/api/flows-query';
import { isAbsoluteTime } from './time-range-model';
import type { TimeRangeValue } from './time-range';

/**
 * The view's filters: `q` the `hubble observe` flags as typed; `since` a duration (presets, custom)
 * or an RFC 3339 time; `until` only for an absolute range (RFC 3339 UTC), else the view pins "now"
 * when it applies; `limit` flows per page.
 */
export interface FilterBarValue {
  q: string;
  since: string;
  until?: string;
  limit: number;
}

/** The API's message for a value it would refuse, or undefined. */
export function filterBarError(value: FilterBarValue, nowMs: number): string | undefined {
  const params = new URLSearchParams({ q: value.q, since: value.since, limit: String(value.limit) });
  if (value.until) params.set('until', value.until);
  const parsed = parseFlowsQuery(params, nowMs);
  return parsed.ok ? undefined : parsed.error;
}

/**
 * The parser's message for what the bar holds (the range's own first), and whether the flags are at
 * fault: the message is not what the range alone, with no flags, is refused with.
 */
export function filterBarCheck(q: string, range: TimeRangeValue, limit: number, nowMs: number): { error?: string; flagsAtFault: boolean } {
  const error = range.error ?? filterBarError(valueOf(q, range, limit), nowMs);
  if (error === undefined) return { flagsAtFault: false };
  return { error, flagsAtFault: error !== (range.error ?? filterBarError(valueOf('', range, limit), nowMs)) };
}

/** The time range a value describes: absolute when it pins both ends to points in time. */
export function rangeOf(value: Pick<FilterBarValue, 'since' | 'until'>): TimeRangeValue {
  const absolute = value.until !== undefined && isAbsoluteTime(value.since);
  return absolute ? { since: value.since, until: value.until, absolute } : { since: value.since, absolute };
}

/** The value to apply: `until` only for an absolute range. */
export function valueOf(q: string, range: TimeRangeValue, limit: number): FilterBarValue {
  return range.absolute && range.until ? { q, since: range.since, until: range.until, limit } : { q, since: range.since, limit };
}

/** Whether `initial` (from the URL) is what `applied` asked for, i.e. the view echoing an apply. */
export function isEcho(initial: FilterBarValue, applied: FilterBarValue | undefined): boolean {
  if (!applied) return false;
  const untilMatters = rangeOf(applied).absolute;
  return initial.q === applied.q.trim() && initial.since === applied.since && initial.limit === applied.limit
    && (!untilMatters || initial.until === applied.until);
}

/** `hubble observe` pasted in front of the flags is the command itself, not a flag: drop it. */
export function withoutCommand(text: string): string {
  return text.replace(/^\s*hubble\s+observe(\s+|$)/, '');
}
