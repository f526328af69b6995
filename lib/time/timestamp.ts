/**
 * google.protobuf.Timestamp ⇄ RFC 3339, the way protojson writes it: UTC, `Z`, and 0, 3, 6 or 9
 * fractional digits. Nanosecond precision is kept by carrying seconds and nanos separately.
 */

/** A timestamp with nanosecond precision: whole seconds since the epoch and nanos in [0, 1e9). */
export interface Timestamp { seconds: number; nanos: number }

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** What follows `YYYY-MM-DDTHH:MM:SS` in a UTC time. */
const UTC_TAIL = /(?:\.(\d{1,9}))?[Zz]$/y;
const SECONDS_PREFIX = 19;
/** The last UTC time parsed, up to its seconds: flows come in time order, so most share it with the one before. */
let lastUtc = { prefix: '', seconds: 0 };

/** Parses an RFC 3339 timestamp; undefined when it is not one. */
export function parseTimestamp(text: string): Timestamp | undefined {
  if (lastUtc.prefix !== '' && text.startsWith(lastUtc.prefix)) {
    UTC_TAIL.lastIndex = SECONDS_PREFIX;
    const tail = UTC_TAIL.exec(text);
    if (tail) return { seconds: lastUtc.seconds, nanos: tail[1] ? Number(tail[1].padEnd(9, '0')) : 0 };
  }
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes the year as written.
  const date = new Date(Date.UTC(2000, 0, 1, +h, +mi, +s));
  date.setUTCFullYear(+y, +mo - 1, +d);
  const ms = date.getTime();
  if (Number.isNaN(ms)) return undefined;
  let offsetS = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetS = sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  } else lastUtc = { prefix: text.slice(0, SECONDS_PREFIX), seconds: ms / 1000 };
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds: ms / 1000 - offsetS, nanos };
}

/** Formats like protojson: UTC with `Z`, fractional digits in groups of three, trailing zero groups dropped. */
export function formatTimestamp(ts: Timestamp): string {
  const base = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  if (ts.nanos === 0) return `${base}Z`;
  let frac = String(ts.nanos).padStart(9, '0');
  while (frac.endsWith('000')) frac = frac.slice(0, -3);
  return `${base}.${frac}Z`;
}

/** Milliseconds since the epoch (sub-millisecond precision is dropped). */
export function timestampToMs(ts: Timestamp): number {
  return ts.seconds * 1000 + Math.floor(ts.nanos / 1e6);
}

/** A timestamp from milliseconds since the epoch. */
export function timestampFromMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Nanoseconds since the epoch as a bigint, for exact ordering. */
export function timestampToNs(ts: Timestamp): bigint {
  return BigInt(ts.seconds) * 1_000_000_000n + BigInt(ts.nanos);
}

/** Orders two timestamps: negative, zero or positive. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}
