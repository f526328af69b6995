/**
 * Wall-clock times in a named time zone, for the absolute time range: the inputs show and take
 * local time (`datetime-local` values, `2026-01-15T13:30:00`), the URL holds RFC 3339 UTC. Uses
 * only Intl, which knows the IANA zones and their daylight-saving rules.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = map.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    map.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows `timeZone` (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    cached(offsetFormatters, timeZone, { timeZoneName: 'longOffset' });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ms`, in minutes east of Greenwich. */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const parts = cached(offsetFormatters, timeZone, { timeZoneName: 'longOffset' }).formatToParts(new Date(ms));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60);
}

/** `UTC+01:00`, `UTC-03:30`, `UTC+00:00`. */
export function formatOffset(minutes: number): string {
  const abs = Math.abs(Math.round(minutes));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** How the inputs name their zone at instant `ms`: `Europe/Berlin, UTC+01:00`, or `UTC`. */
export function zoneLabel(timeZone: string, ms: number): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  return `${timeZone}, ${formatOffset(zoneOffsetMinutes(timeZone, ms))}`;
}

/** The `datetime-local` value (`YYYY-MM-DDTHH:mm:ss`) of instant `ms` in `timeZone`. */
export function toZonedInput(ms: number, timeZone: string): string {
  const parts = cached(formatters, timeZone, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * The instant a `datetime-local` value means in `timeZone`, or undefined when it is not a valid
 * value. A wall time that occurs twice (the hour repeated when clocks go back) means the first; one
 * that does not occur (skipped when clocks go forward) is read with the offset from before the jump.
 */
export function fromZonedInput(value: string, timeZone: string): number | undefined {
  const m = INPUT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, milli] = m.slice(1).map((v) => Number(v ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // The offsets a day either side are the ones in force on both sides of any jump near this time.
  const DAY_MS = 86_400_000;
  const candidates = [-DAY_MS, 0, DAY_MS]
    .map((d) => wall - zoneOffsetMinutes(timeZone, wall + d) * 60_000)
    .filter((ms) => ms + zoneOffsetMinutes(timeZone, ms) * 60_000 === wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - zoneOffsetMinutes(timeZone, wall - DAY_MS) * 60_000;
}
