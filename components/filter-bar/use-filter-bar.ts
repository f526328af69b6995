'use client';

import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { filterBarCheck, filterBarError, isEcho, rangeOf, valueOf, withoutCommand, type FilterBarValue } from './filter-bar-value';
import { readFlagsState, setClusters, setNamespaces, setToggle, type FlagsEdit, type ToggleFlag } from './flags-edit';
import type { TimeRangeValue } from './time-range';

/** How long typing must pause before the controls and the inline error follow the text. */
const SETTLE_MS = 300;
/** Applies not yet seen back in the URL; a queued apply can overtake an earlier one's echo. */
const PENDING_ECHOES = 5;

interface UseFilterBarOptions {
  initial: FilterBarValue;
  applying: boolean;
  onApply: (value: FilterBarValue) => void;
}

/**
 * Hands values to `onApply`, one at a time: a value given while an apply is in flight waits, and
 * only the latest waiting one is applied when it ends.
 */
function useQueuedApply(applying: boolean, onApply: (value: FilterBarValue) => void): (value: FilterBarValue) => void {
  const queued = useRef<FilterBarValue | undefined>(undefined);
  useEffect(() => {
    if (applying || !queued.current) return;
    const next = queued.current;
    queued.current = undefined;
    onApply(next);
  }, [applying, onApply]);
  return (value) => {
    if (applying) queued.current = value;
    else onApply(value);
  };
}

/** The text as the controls read it: `text` once typing pauses, or at once when `settle` is called. */
function useSettledText(text: string, initial: string): [string, (now: string) => void] {
  const [settled, setSettled] = useState(initial);
  useEffect(() => {
    if (text === settled) return;
    const timer = setTimeout(() => setSettled(text), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text, settled]);
  return [settled, setSettled];
}

/**
 * Watches the view the URL holds (`initial`) and, when it changes other than by one of our own
 * applies (back and forward, a shared link), calls `adopt` with what changed, during render. A new
 * `until` alone under a relative range is the view pinning "now" again (Refresh), not a change.
 */
function useAdoptUrl(
  initial: FilterBarValue, applied: readonly FilterBarValue[], adopt: (changed: { q: boolean; range: boolean; limit: boolean }) => void,
): void {
  const [seen, setSeen] = useState(initial);
  if (seen.q === initial.q && seen.since === initial.since && seen.until === initial.until && seen.limit === initial.limit) return;
  setSeen(initial);
  if (applied.some((a) => isEcho(initial, a))) return;
  const absolute = rangeOf(initial).absolute || rangeOf(seen).absolute;
  const changed = {
    q: seen.q !== initial.q,
    range: seen.since !== initial.since || (absolute && seen.until !== initial.until),
    limit: seen.limit !== initial.limit,
  };
  if (changed.q || changed.range || changed.limit) adopt(changed);
}

/**
 * The filter bar's state: the flags text (what the controls read once typing settles), the time
 * range and the page size; control edits apply at once, typing applies on submit. A value is only
 * handed to `onApply` when the API's own parser accepts it, and applies made while one is in flight
 * are queued so the last one wins. When the URL changes other than by our own apply (back and
 * forward), the bar takes its values.
 */
export function useFilterBar({ initial, applying, onApply }: UseFilterBarOptions) {
  const [q, setQ] = useState(initial.q);
  const [settledQ, setSettledQ] = useSettledText(q, initial.q);
  const [range, setRange] = useState(() => rangeOf(initial));
  const [limit, setLimit] = useState(initial.limit);
  const [editError, setEditError] = useState<string>();
  const [applied, setApplied] = useState<readonly FilterBarValue[]>([]);
  const handOver = useQueuedApply(applying, onApply);

  useAdoptUrl(initial, applied, (changed) => {
    if (changed.q) {
      setQ(initial.q);
      setSettledQ(initial.q);
      setEditError(undefined);
    }
    if (changed.range) setRange(rangeOf(initial));
    if (changed.limit) setLimit(initial.limit);
  });

  const flags = useMemo(() => readFlagsState(settledQ), [settledQ]);
  const settled = useMemo(() => filterBarCheck(settledQ, range, limit, Date.now()), [settledQ, range, limit]);

  /** Hands `value` on unless the range it came from (`from`) or the parser refuses it. */
  function apply(value: FilterBarValue, from: TimeRangeValue = range): void {
    if (from.error || filterBarError(value, Date.now())) return;
    setApplied((list) => [value, ...list].slice(0, PENDING_ECHOES));
    handOver(value);
  }

  function editFlags(edit: FlagsEdit): void {
    if (!edit.ok) {
      setEditError(edit.error);
      return;
    }
    setEditError(undefined);
    setQ(edit.text);
    setSettledQ(edit.text);
    apply(valueOf(edit.text, range, limit));
  }

  return {
    q, range, limit, flags,
    /** A refused control edit, else the parser's message for the settled text and range. */
    error: editError ?? settled.error,
    /** Whether that error is the flags' fault (a refused control edit, or flags the parser refuses), not the range's alone. */
    flagsInvalid: editError !== undefined || settled.flagsAtFault,
    typeFlags(text: string) {
      setEditError(undefined);
      setQ(withoutCommand(text));
    },
    toggle: (flag: ToggleFlag, value: string, on: boolean) => editFlags(setToggle(q, flag, value, on)),
    pickNamespaces: (namespaces: string[]) => editFlags(setNamespaces(q, namespaces)),
    pickClusters: (clusters: string[]) => editFlags(setClusters(q, clusters)),
    changeRange(next: TimeRangeValue, now: boolean) {
      setRange(next);
      if (now) apply(valueOf(q, next, limit), next);
    },
    changeLimit(next: number) {
      setLimit(next);
      apply(valueOf(q, range, next));
    },
    submit(event: FormEvent) {
      event.preventDefault();
      setSettledQ(q);
      setEditError(undefined);
      apply(valueOf(q, range, limit));
    },
  };
}
