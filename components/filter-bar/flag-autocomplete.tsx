'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { applyCompletion, completionAt, FLAG_NAMES, matchCandidates, valueSource, type CompletionContext } from './flag-completion';
import { flowValuesQuery } from './flow-values-query';
import { useDebounced } from './use-debounced';

const MAX_OPTIONS = 12;

interface FlagAutocompleteProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  /** The time range values are looked up in (what /api/flow-values takes). */
  since?: string;
  until?: string;
  invalid: boolean;
  describedBy?: string;
}

/** The options for a completion: flag names, a fixed list, or values seen in stored flows. */
function useOptions(ctx: CompletionContext | undefined, since?: string, until?: string): string[] {
  const source = ctx?.kind === 'value' ? valueSource(ctx.flag) : undefined;
  const field = source && 'api' in source ? source.api : undefined;
  const typed = useDebounced(ctx?.typed ?? '', 150);
  const values = useQuery({
    ...flowValuesQuery({ field: field ?? 'namespace', prefix: typed, limit: MAX_OPTIONS * 2, since, until }),
    enabled: field !== undefined,
  });
  if (!ctx) return [];
  if (ctx.kind === 'flag') return matchCandidates(FLAG_NAMES, ctx.typed, MAX_OPTIONS);
  if (!source) return [];
  const candidates = 'list' in source ? source.list : (values.data ?? []);
  return matchCandidates(candidates, ctx.typed, MAX_OPTIONS);
}

/**
 * The `hubble observe flags` text box with completion of flag names and values (ARIA textbox with
 * a listbox popup): arrows move through the options, Tab takes the highlighted or first one, Enter
 * takes a highlighted one (and otherwise applies the filters), Escape closes the list.
 */
export function FlagAutocomplete({ id, value, onChange, since, until, invalid, describedBy }: FlagAutocompleteProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const pendingCursor = useRef<number | undefined>(undefined);
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [active, setActive] = useState(-1);
  const [dismissed, setDismissed] = useState(false);
  const listId = useId();
  const ctx = useMemo(() => (cursor === undefined ? undefined : completionAt(value, cursor)), [value, cursor]);
  const options = useOptions(ctx, since, until);
  const open = !dismissed && ctx !== undefined && options.length > 0 && !(options.length === 1 && options[0] === ctx.typed);

  useLayoutEffect(() => {
    if (pendingCursor.current === undefined || !inputRef.current) return;
    inputRef.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
    pendingCursor.current = undefined;
  }, [value]);

  function track() {
    const el = inputRef.current;
    setCursor(el && document.activeElement === el ? (el.selectionStart ?? undefined) : undefined);
  }

  function take(choice: string) {
    if (!ctx) return;
    const next = applyCompletion(value, ctx, choice);
    pendingCursor.current = next.cursor;
    setCursor(next.cursor);
    setActive(-1);
    onChange(next.text);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (!open) return;
    const n = options.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a <= 0 ? n : a) - 1));
    } else if ((e.key === 'Tab' && !e.shiftKey) || (e.key === 'Enter' && active >= 0)) {
      e.preventDefault();
      take(options[Math.max(active, 0)]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(true);
    }
  }

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div className="flag-autocomplete">
      <input
        ref={inputRef} id={id} type="text" value={value} spellCheck={false} autoComplete="off"
        placeholder="--namespace shop --verdict DROPPED" aria-invalid={invalid || undefined} aria-describedby={describedBy}
        aria-autocomplete="list" aria-controls={open ? listId : undefined}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        onChange={(e) => {
          setDismissed(false);
          setActive(-1);
          setCursor(e.target.selectionStart ?? undefined);
          onChange(e.target.value);
        }}
        onKeyDown={onKeyDown} onSelect={track} onFocus={track} onBlur={() => setCursor(undefined)}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={ctx.kind === 'flag' ? 'Flags' : `Values for --${ctx.flag}`} className="flag-options">
          {options.map((option, i) => (
            <li
              key={option} id={optionId(i)} role="option" aria-selected={i === active}
              onMouseDown={(e) => {
                // Keeps the focus (and the cursor) in the text box.
                e.preventDefault();
                take(option);
              }}
            >
              {option}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
