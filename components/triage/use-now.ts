'use client';

import { useEffect, useState } from 'react';

/** The clock, re-read every `everyMs` so "updated 12 s ago" stays true between refreshes. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
