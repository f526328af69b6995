'use client';

import { useId, useState } from 'react';
import { absoluteFromDuration, TIME_PRESETS } from './time-range-model';
import { fromZonedInput, toZonedInput, zoneLabel } from './zoned-time';

/** The range as the bar holds it; `error` is set while an absolute input holds no valid time. */
export interface TimeRangeValue {
  since: string;
  until?: string;
  absolute: boolean;
  error?: string;
}

interface TimeRangeProps {
  value: TimeRangeValue;
  /** IANA zone the absolute inputs show, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** `apply`: the change is complete on its own (a preset) and may be applied at once. */
  onChange: (value: TimeRangeValue, apply: boolean) => void;
  /**
   * Where a new absolute range ends: now, or the newest stored flow when that is earlier, so the
   * range holds no flows still on their way and shows the same rows every time it is opened.
   */
  endMs: () => Promise<number>;
}

const DEFAULT_CUSTOM = '1h';

/** RFC 3339 UTC, without a fraction when it is zero. */
const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Presets and custom durations (`Since`), or an absolute range shown in local time with its zone named. */
export function TimeRange({ value, timeZone, onChange, endMs }: TimeRangeProps) {
  const preset = TIME_PRESETS.find((p) => p.since === value.since);
  const mode = value.absolute ? 'absolute' : preset ? preset.since : 'custom';

  function pick(choice: string) {
    if (choice === 'absolute') void endMs().then((end) => onChange({ ...absoluteFromDuration(value.since, end), absolute: true }, false));
    else if (choice === 'custom') onChange({ since: value.absolute ? DEFAULT_CUSTOM : value.since, absolute: false }, false);
    else onChange({ since: choice, absolute: false }, true);
  }

  return (
    <div className="time-range">
      <label className="field">
        <span>Time range</span>
        <select value={mode} onChange={(e) => pick(e.target.value)}>
          {TIME_PRESETS.map((p) => <option key={p.since} value={p.since}>{p.label}</option>)}
          <option value="custom">Custom duration</option>
          <option value="absolute">Absolute range</option>
        </select>
      </label>
      {value.absolute ? (
        <AbsoluteRange value={value} timeZone={timeZone} onChange={(v) => onChange(v, false)} />
      ) : (
        <label className="field">
          <span>Since</span>
          <input
            type="text" value={value.since} size={10} spellCheck={false} autoComplete="off" placeholder="1h"
            onChange={(e) => onChange({ since: e.target.value, absolute: false }, false)}
          />
        </label>
      )}
    </div>
  );
}

interface AbsoluteRangeProps {
  value: TimeRangeValue;
  timeZone: string;
  onChange: (value: TimeRangeValue) => void;
}

function AbsoluteRange({ value, timeZone, onChange }: AbsoluteRangeProps) {
  const [utc, setUtc] = useState(false);
  const zone = utc ? 'UTC' : timeZone;
  const show = (iso: string | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? toZonedInput(Date.parse(iso), zone) : '');
  const [from, setFrom] = useState(() => show(value.since));
  const [to, setTo] = useState(() => show(value.until));
  // Inputs keep what is typed; a range set from outside (or another zone) replaces them.
  const [shown, setShown] = useState({ since: value.since, until: value.until, zone });
  if (shown.since !== value.since || shown.until !== value.until || shown.zone !== zone) {
    setShown({ since: value.since, until: value.until, zone });
    if (shown.zone !== zone || fromZonedInput(from, zone) !== Date.parse(value.since)) setFrom(show(value.since));
    if (shown.zone !== zone || fromZonedInput(to, zone) !== Date.parse(value.until ?? '')) setTo(show(value.until));
  }
  const zoneId = useId();

  function change(nextFrom: string, nextTo: string) {
    setFrom(nextFrom);
    setTo(nextTo);
    const sinceMs = fromZonedInput(nextFrom, zone);
    const untilMs = fromZonedInput(nextTo, zone);
    const error = sinceMs === undefined ? 'From: enter a date and time' : untilMs === undefined ? 'To: enter a date and time' : undefined;
    onChange({
      since: sinceMs === undefined ? value.since : isoOf(sinceMs),
      until: untilMs === undefined ? value.until : isoOf(untilMs),
      absolute: true,
      ...(error ? { error } : {}),
    });
  }

  const sinceMs = Date.parse(value.since);
  const label = zoneLabel(zone, Number.isNaN(sinceMs) ? Date.now() : sinceMs);
  return (
    <>
      <label className="field">
        <span>From</span>
        <input type="datetime-local" step={1} value={from} aria-describedby={zoneId} onChange={(e) => change(e.target.value, to)} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="datetime-local" step={1} value={to} aria-describedby={zoneId} onChange={(e) => change(from, e.target.value)} />
      </label>
      <span id={zoneId} className="zone-label">{label}</span>
      <label className="chip">
        <input type="checkbox" checked={utc} onChange={(e) => setUtc(e.target.checked)} />
        UTC
      </label>
    </>
  );
}
