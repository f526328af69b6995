/**
 * Go's `time.Time.Format` for the layouts `hubble observe --time-format` offers (StampMilli,
 * RFC3339, ...), applied to a protojson timestamp in a time zone the caller passes in.
 *
 * The layout tokenizer follows `nextStdChunk` and the formatter `appendFormat` in Go's
 * `src/time/format.go`. Zones: `UTC` (Go's name "UTC"), a fixed offset such as `+02:00` or
 * `-0700` (printed by `MST` as `+0200`, as Go prints a zone without a name), or an IANA name read
 * through Intl. Intl knows abbreviations only for some zones ("PST"); elsewhere `MST` prints the
 * offset the way tzdata names such zones ("+01") where Go would print "CET".
 */
import { parseTimestamp } from '../time/timestamp';

/** Layouts by the names `hubble observe --time-format` accepts (hubble `pkg/time/time.go`). */
export const GO_TIME_LAYOUTS = {
  YearMonthDay: '2006-01-02',
  YearMonthDayHour: '2006-01-02T15Z07:00',
  YearMonthDayHourMinute: '2006-01-02T15:04Z07:00',
  StampMilli: 'Jan _2 15:04:05.000',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Milli: '2006-01-02T15:04:05.999Z07:00',
  RFC3339Micro: '2006-01-02T15:04:05.999999Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
} as const;

/** hubble's `FormatNameToLayout`: a case-insensitive format name to its layout, StampMilli otherwise. */
export function goTimeLayout(name: string): string {
  const key = Object.keys(GO_TIME_LAYOUTS).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? GO_TIME_LAYOUTS[key as keyof typeof GO_TIME_LAYOUTS] : GO_TIME_LAYOUTS.StampMilli;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// protobuf's Timestamp.IsValid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/** One layout element: its reference text (`Jan`, `_2`, `Z07:00`), or a fractional second. */
interface Std { ref: string; frac?: { digits: number; trim: boolean; sep: string } }
interface Chunk { prefix: string; std?: Std; suffix: string }

const ZONE_REFS: Record<string, readonly string[]> = {
  '-': ['-070000', '-07:00:00', '-0700', '-07:00', '-07'],
  Z: ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07'],
};

function isLower(s: string, i: number): boolean { return i < s.length && s[i] >= 'a' && s[i] <= 'z'; }
function isDigit(s: string, i: number): boolean { return i < s.length && s[i] >= '0' && s[i] <= '9'; }

/** Go's nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, ref: string): Chunk => ({ prefix: layout.slice(0, i), std: { ref }, suffix: layout.slice(i + ref.length) });
  for (let i = 0; i < layout.length; i++) {
    const has = (s: string) => layout.startsWith(s, i);
    switch (layout[i]) {
      case 'J':
        if (has('January')) return at(i, 'January');
        if (has('Jan') && !isLower(layout, i + 3)) return at(i, 'Jan');
        break;
      case 'M':
        if (has('Monday')) return at(i, 'Monday');
        if (has('Mon') && !isLower(layout, i + 3)) return at(i, 'Mon');
        if (has('MST')) return at(i, 'MST');
        break;
      case '0':
        if (layout[i + 1] >= '1' && layout[i + 1] <= '6') return at(i, layout.slice(i, i + 2));
        if (has('002')) return at(i, '002');
        break;
      case '1': return at(i, has('15') ? '15' : '1');
      case '2': return at(i, has('2006') ? '2006' : '2');
      case '_':
        if (layout[i + 1] === '2') return layout.startsWith('2006', i + 1) ? at(i + 1, '2006') : at(i, '_2');
        if (has('__2')) return at(i, '__2');
        break;
      case '3': case '4': case '5': return at(i, layout[i]);
      case 'P': if (has('PM')) return at(i, 'PM'); break;
      case 'p': if (has('pm')) return at(i, 'pm'); break;
      case '-': case 'Z': {
        const ref = ZONE_REFS[layout[i]].find(has);
        if (ref) return at(i, ref);
        break;
      }
      case '.': case ',': {
        const ch = layout[i + 1];
        if (ch !== '0' && ch !== '9') break;
        let j = i + 1;
        while (layout[j] === ch) j++;
        if (isDigit(layout, j)) break;
        const frac = { digits: j - i - 1, trim: ch === '9', sep: layout[i] };
        return { prefix: layout.slice(0, i), std: { ref: layout.slice(i, j), frac }, suffix: layout.slice(j) };
      }
    }
  }
  return { prefix: layout, suffix: '' };
}

/** A zone at one instant: seconds east of UTC and the abbreviation `MST` prints ('' = none). */
interface Zone { offset: number; name: string }

const intlCache = new Map<string, Intl.DateTimeFormat>();

function utcSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime() / 1000;
}

function zoneAt(seconds: number, timeZone: string): Zone {
  if (timeZone === 'UTC') return { offset: 0, name: 'UTC' };
  const fixed = /^([+-])(\d{2}):?(\d{2})?$/.exec(timeZone);
  if (fixed) return { offset: (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60), name: '' };
  let dtf = intlCache.get(timeZone);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric',
      minute: 'numeric', second: 'numeric', timeZoneName: 'short',
    });
    intlCache.set(timeZone, dtf);
  }
  const parts = Object.fromEntries(dtf.formatToParts(new Date(seconds * 1000)).map((p) => [p.type, p.value]));
  const local = utcSeconds(+parts.year, +parts.month, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const gmt = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(parts.timeZoneName ?? '');
  const name = gmt ? `${gmt[1]}${gmt[2].padStart(2, '0')}${gmt[3] ?? ''}` : (parts.timeZoneName ?? '');
  return { offset: local - seconds, name };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function formatOffset(ref: string, offset: number): string {
  if (offset === 0 && ref.startsWith('Z')) return 'Z';
  const abs = Math.abs(offset);
  const minutes = Math.floor(abs / 60);
  // Go takes the sign from the offset in whole minutes, so -30s prints as "+00".
  let out = (Math.trunc(offset / 60) < 0 ? '-' : '+') + pad(Math.floor(minutes / 60), 2);
  const colon = ref.includes(':');
  if (!ref.endsWith('07')) out += (colon ? ':' : '') + pad(minutes % 60, 2);
  if (ref.endsWith('0000') || ref.endsWith(':00:00')) out += (colon ? ':' : '') + pad(abs % 60, 2);
  return out;
}

function formatFraction(nanos: number, frac: NonNullable<Std['frac']>): string {
  if (frac.trim && (frac.digits === 0 || nanos === 0)) return '';
  let digits = pad(nanos, 9).slice(0, Math.min(frac.digits, 9));
  if (frac.trim) digits = digits.replace(/0+$/, '');
  return digits === '' ? '' : frac.sep + digits;
}

interface Fields { year: number; month: number; day: number; yday: number; weekday: number; hour: number; min: number; sec: number; nanos: number; zone: Zone }

function formatStd(std: Std, f: Fields): string {
  if (std.frac) return formatFraction(f.nanos, std.frac);
  const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (std.ref) {
    case 'January': return MONTHS[f.month - 1];
    case 'Jan': return MONTHS[f.month - 1].slice(0, 3);
    case '1': return String(f.month);
    case '01': return pad(f.month, 2);
    case 'Monday': return DAYS[f.weekday];
    case 'Mon': return DAYS[f.weekday].slice(0, 3);
    case '2': return String(f.day);
    case '_2': return String(f.day).padStart(2, ' ');
    case '02': return pad(f.day, 2);
    case '__2': return String(f.yday).padStart(3, ' ');
    case '002': return pad(f.yday, 3);
    case '15': return pad(f.hour, 2);
    case '3': return String(hour12);
    case '03': return pad(hour12, 2);
    case '4': return String(f.min);
    case '04': return pad(f.min, 2);
    case '5': return String(f.sec);
    case '05': return pad(f.sec, 2);
    case '2006': return pad(f.year, 4);
    case '06': return pad(f.year % 100, 2);
    case 'PM': return f.hour >= 12 ? 'PM' : 'AM';
    case 'pm': return f.hour >= 12 ? 'pm' : 'am';
    case 'MST': return f.zone.name || formatOffset('-0700', f.zone.offset);
    default: return formatOffset(std.ref, f.zone.offset);
  }
}

function fieldsAt(seconds: number, nanos: number, timeZone: string): Fields {
  const zone = zoneAt(seconds, timeZone);
  const local = new Date((seconds + zone.offset) * 1000);
  const year = local.getUTCFullYear();
  const janFirst = new Date(0);
  janFirst.setUTCFullYear(year, 0, 1);
  return {
    year, month: local.getUTCMonth() + 1, day: local.getUTCDate(), weekday: local.getUTCDay(),
    yday: Math.floor((local.getTime() - janFirst.getTime()) / 86_400_000) + 1,
    hour: local.getUTCHours(), min: local.getUTCMinutes(), sec: local.getUTCSeconds(), nanos, zone,
  };
}

/**
 * Formats an RFC 3339 timestamp with a Go layout in `timeZone` (`UTC`, `+02:00`, or an IANA name),
 * as hubble's `fmtTimestamp` does: `N/A` when the timestamp is absent, unparsable or outside
 * protobuf's valid range. Throws a RangeError for a time zone Intl does not know.
 */
export function formatGoTime(time: string | undefined, layout: string, timeZone: string): string {
  const ts = time === undefined ? undefined : parseTimestamp(time);
  if (!ts || ts.seconds < MIN_SECONDS || ts.seconds > MAX_SECONDS) return 'N/A';
  const fields = fieldsAt(ts.seconds, ts.nanos, timeZone);
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const { prefix, std, suffix } = nextStdChunk(rest);
    out += prefix;
    if (!std) break;
    out += formatStd(std, fields);
    rest = suffix;
  }
  return out;
}
