/**
 * `hubble observe --since/--until` values (`hubble/pkg/time.FromString`, cilium v1.17): a Go
 * duration meaning "now minus" (`3s`, `1h43m`, `1.5h`, `-5m` is in the future), else one of the
 * absolute layouts the CLI tries in turn, parsed with Go's `time.Parse` leniencies (one- or
 * two-digit hours, fractional seconds after `.` or `,` even where the layout has none, runs of
 * spaces, case-insensitive day and month names):
 *
 * - `2006-01-02` (UTC midnight)
 * - `2006-01-02T15Z07:00`, `2006-01-02T15:04Z07:00` (zone `Z` or `±hh:mm` required)
 * - RFC 3339 with or without fractional seconds: `2006-01-02T15:04:05.999999999Z07:00`
 * - RFC 1123Z: `Mon, 02 Jan 2006 15:04:05 -0700`
 * - StampMilli `Jan _2 15:04:05.000`, read as UTC in the current year. The CLI's help lists it but
 *   hubble v1.17 itself rejects it (its layout list leaves out zone-less layouts); accepted here.
 */
import { GoDurationError, parseGoDuration } from './observe-duration';
import { formatTimestamp, type Timestamp } from './timestamp';

/** A --since/--until value that is neither a duration nor a supported timestamp. */
export class ObserveTimeError extends Error {}

/** A parsed --since/--until value; `stamp` (StampMilli) needs the current year to become absolute. */
export type ObserveTime =
  | { kind: 'relative'; agoNs: bigint }
  | { kind: 'absolute'; time: Timestamp }
  | { kind: 'stamp'; month: number; day: number; seconds: number; nanos: number };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const ZONE = '(Z|[+-]\\d{2}:\\d{2})';
const FRAC = '(?:[.,](\\d+))?';
const YMD = new RegExp(`^${DATE}$`);
const YMD_H = new RegExp(`^${DATE}T(\\d{1,2})()()${ZONE}$`);
const YMD_HM = new RegExp(`^${DATE}T(\\d{1,2}):(\\d{2})()${ZONE}$`);
const RFC3339 = new RegExp(`^${DATE}T(\\d{1,2}):(\\d{2}):(\\d{2})${FRAC}${ZONE}$`);
const RFC1123Z = /^(?:mon|tue|wed|thu|fri|sat|sun), +(\d{2}) +([a-z]{3}) +(\d{4}) +(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))? +([+-]\d{4})$/i;
const STAMP_MILLI = /^([a-z]{3}) +(\d{1,2}) +(\d{1,2}):(\d{2}):(\d{2})[.,](\d{3})$/i;

const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z, the earliest valid protobuf Timestamp
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function daysIn(month: number, year: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (no Date quirks for years below 100). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const nanosOf = (frac: string | undefined) => (frac ? Number(frac.slice(0, 9).padEnd(9, '0')) : 0);

/** Seconds of the day; undefined when a field is out of Go's ranges. */
function clock(h: number, mi: number, s: number): number | undefined {
  return h < 24 && mi < 60 && s < 60 ? h * 3600 + mi * 60 + s : undefined;
}

/** `Z`, `±hh:mm` or `±hhmm` in seconds east of UTC; Go allows up to 24 hours and 60 minutes. */
function offsetOf(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const h = Number(zone.slice(1, 3));
  const m = Number(zone.slice(-2));
  if (h > 24 || m > 60) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (h * 3600 + m * 60);
}

function absolute(y: number, mo: number, d: number, secOfDay: number | undefined, frac: string | undefined, zone: string): Timestamp | undefined {
  const offset = offsetOf(zone);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || secOfDay === undefined || offset === undefined) return undefined;
  const seconds = daysFromCivil(y, mo, d) * 86400 + secOfDay - offset;
  return seconds < MIN_SECONDS || seconds > MAX_SECONDS ? undefined : { seconds, nanos: nanosOf(frac) };
}

function parseLayouts(text: string): ObserveTime | undefined {
  let m = YMD.exec(text);
  if (m) return wrap(absolute(+m[1], +m[2], +m[3], 0, undefined, 'Z'));
  for (const re of [YMD_H, YMD_HM]) {
    m = re.exec(text);
    if (m) return wrap(absolute(+m[1], +m[2], +m[3], clock(+m[4], +(m[5] || 0), 0), undefined, m[7]));
  }
  m = RFC3339.exec(text);
  if (m) return wrap(absolute(+m[1], +m[2], +m[3], clock(+m[4], +m[5], +m[6]), m[7], m[8]));
  m = RFC1123Z.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    return month === 0 ? undefined : wrap(absolute(+m[3], month, +m[1], clock(+m[4], +m[5], +m[6]), m[7], m[8]));
  }
  m = STAMP_MILLI.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[1].toLowerCase()) + 1;
    const seconds = clock(+m[3], +m[4], +m[5]);
    // Feb 29 is only known to be valid once the year is; check the rest now.
    if (month === 0 || +m[2] < 1 || +m[2] > daysIn(month, 2000) || seconds === undefined) return undefined;
    return { kind: 'stamp', month, day: +m[2], seconds, nanos: Number(m[6]) * 1e6 };
  }
  return undefined;
}

const wrap = (time: Timestamp | undefined): ObserveTime | undefined => (time ? { kind: 'absolute', time } : undefined);

function timeError(text: string): ObserveTimeError {
  return new ObserveTimeError(
    `failed to convert ${text} to time: expected a duration (3s, 4m, 1h43m, 1.5h) or a timestamp ` +
    '(2006-01-02, 2006-01-02T15:04Z07:00, 2006-01-02T15:04:05.999Z07:00, Mon, 02 Jan 2006 15:04:05 -0700, Jan _2 15:04:05.000)',
  );
}

/** Parses a --since/--until value without resolving it. Throws ObserveTimeError. */
export function parseObserveTime(text: string): ObserveTime {
  try {
    return { kind: 'relative', agoNs: parseGoDuration(text) };
  } catch (e) {
    // Not a duration: the CLI then tries its timestamp layouts.
    if (!(e instanceof GoDurationError)) throw e;
  }
  const parsed = parseLayouts(text);
  if (parsed === undefined) throw timeError(text);
  return parsed;
}

function fromNs(ns: bigint): Timestamp {
  const seconds = ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n);
  return { seconds: Number(seconds), nanos: Number(ns - seconds * 1_000_000_000n) };
}

/**
 * Resolves a --since/--until value against the clock `nowMs` (ms since the epoch) to an RFC 3339
 * UTC timestamp with up to nanosecond precision. Throws ObserveTimeError.
 */
export function resolveObserveTime(text: string, nowMs: number): string {
  const t = parseObserveTime(text);
  let ts: Timestamp;
  if (t.kind === 'absolute') ts = t.time;
  else if (t.kind === 'relative') {
    const wholeMs = Math.floor(nowMs);
    const nowNs = BigInt(wholeMs) * 1_000_000n + BigInt(Math.round((nowMs - wholeMs) * 1e6));
    ts = fromNs(nowNs - t.agoNs);
  } else {
    const year = new Date(nowMs).getUTCFullYear();
    if (t.day > daysIn(t.month, year)) throw timeError(text);
    ts = { seconds: daysFromCivil(year, t.month, t.day) * 86400 + t.seconds, nanos: t.nanos };
  }
  if (ts.seconds < MIN_SECONDS || ts.seconds > MAX_SECONDS) throw new ObserveTimeError(`${text}: time out of range (years 0001 to 9999)`);
  return formatTimestamp(ts);
}
