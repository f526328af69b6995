/**
 * The window Share freezes, resolved at the moment of the click: an investigation holds absolute
 * bounds only, so "the last hour" means the hour before the click, whenever the link is opened.
 */
import { ShellWordsError, splitShellWords } from '../../lib/api/shell-words';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { ObserveArgsError } from '../../lib/filter/observe-args-error';
import { ObserveTimeError, parseObserveTime, resolveObserveTime } from '../../lib/time/observe-time';
import { formatTimestamp, parseTimestamp, timestampToNs } from '../../lib/time/timestamp';

/** What a view hands to Share: its filter flags and window as it holds them. */
export interface ShareRequest {
  /** `hubble observe` filter flags. */
  q: string;
  /** A duration (`1h`) or a time; a duration counts back from `until` when that is set, else from now. */
  since?: string;
  /** A time, or a duration before now; absent means now. */
  until?: string;
}

export type ShareWindow = { ok: true; since: string; until: string } | { ok: false; error: string };

function flagBounds(q: string): { since?: string; until?: string } {
  try {
    const { since, until } = parseObserveArgs(splitShellWords(q));
    return { since, until };
  } catch (e) {
    // The server reports a bad filter with the CLI's message when the investigation is created.
    if (e instanceof ShellWordsError || e instanceof ObserveArgsError) return {};
    throw e;
  }
}

/**
 * Where an open-ended window stops: the newest flow stored when that is earlier than now, since
 * flows still on their way to the database would otherwise belong to the window without being in
 * its copy (the flows page pins its windows the same way).
 */
function openEnd(nowMs: number, newestStoredFlowTime: string | undefined): string {
  const now = resolveObserveTime('0s', nowMs);
  const stored = newestStoredFlowTime ? parseTimestamp(newestStoredFlowTime) : undefined;
  return stored && timestampToNs(stored) < timestampToNs(parseTimestamp(now)!) ? formatTimestamp(stored) : now;
}

/**
 * Absolute bounds (RFC 3339 UTC) for a view's window at `nowMs`; an open end stops at
 * `newestStoredFlowTime` when that is earlier. `--since`/`--until` typed in the
 * flags win over the fields, as on the flows page; a flag's duration counts back from now, like
 * `hubble observe` does, and a field's `since` duration from the field's absolute `until`, like
 * the page's pinned window.
 */
export function resolveShareWindow(request: ShareRequest, nowMs: number, newestStoredFlowTime?: string): ShareWindow {
  const flags = flagBounds(request.q);
  try {
    const untilText = flags.until ?? request.until;
    const until = untilText ? resolveObserveTime(untilText, nowMs) : openEnd(nowMs, newestStoredFlowTime);
    const sinceText = flags.since ?? request.since;
    if (!sinceText) return { ok: false, error: 'This view has no start time to freeze: set a time range first.' };
    // Like the flows page: a duration in the field counts back from a pinned (absolute) end.
    const fromUntil = flags.since === undefined && flags.until === undefined && request.until !== undefined && parseObserveTime(request.until).kind !== 'relative';
    const since = resolveObserveTime(sinceText, fromUntil ? Date.parse(until) : nowMs);
    if (timestampToNs(parseTimestamp(since)!) > timestampToNs(parseTimestamp(until)!)) {
      return { ok: false, error: `The window starts (${since}) after it ends (${until}).` };
    }
    return { ok: true, since, until };
  } catch (e) {
    if (e instanceof ObserveTimeError) return { ok: false, error: e.message };
    throw e;
  }
}
