'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const noZone = () => undefined;

/**
 * The reader's IANA time zone; undefined on the server and while hydrating, so what the server
 * rendered (UTC only) and the first client render agree.
 */
export function useTimeZone(): string | undefined {
  return useSyncExternalStore(subscribe, browserZone, noZone);
}

/** A time in a zone, to the millisecond, with the zone's short name (`15 Jan 2026, 13:00:00.250 CET`). */
export function formatZonedTime(rfc3339: string, timeZone: string): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  return new Intl.DateTimeFormat(undefined, {
    timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
    fractionalSecondDigits: 3, hour12: false, timeZoneName: 'short',
  }).format(ms);
}
