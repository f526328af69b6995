'use client';

import { formatZonedTime, useTimeZone } from './use-time-zone';

interface FrozenWindowProps {
  since: string;
  until: string;
}

/** The frozen window in the reader's local time (with the zone named) and in UTC as stored. */
export function FrozenWindow({ since, until }: FrozenWindowProps) {
  const timeZone = useTimeZone();
  return (
    <dl className="frozen-window">
      {timeZone && (
        <div>
          <dt>Local ({timeZone})</dt>
          <dd>
            <time dateTime={since}>{formatZonedTime(since, timeZone)}</time> → <time dateTime={until}>{formatZonedTime(until, timeZone)}</time>
          </dd>
        </div>
      )}
      <div>
        <dt>UTC</dt>
        <dd className="mono">{since} → {until}</dd>
      </div>
    </dl>
  );
}
