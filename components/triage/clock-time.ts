/**
 * Times as the person on call reads them: their own clock, hours and minutes, with the date only
 * when it is not today's.
 */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

/** "14:05", or "Jan 14, 14:05" for another day than `nowMs`'s. */
export function clockTime(iso: string, nowMs = Date.now()): string {
  const d = new Date(iso);
  return new Date(nowMs).toDateString() === d.toDateString() ? TIME.format(d) : DATE_TIME.format(d);
}

/** The full date and time with its zone, for tooltips. */
export function fullTime(iso: string): string {
  return FULL.format(new Date(iso));
}
