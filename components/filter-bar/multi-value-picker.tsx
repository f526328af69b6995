'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { FlagControlState } from './flags-edit';

/** How a picker names what it picks, e.g. `{ one: 'namespace', many: 'namespaces', title: 'Namespaces' }`. */
export interface PickerNouns {
  one: string;
  many: string;
  /** Capitalised plural: the button's prefix and the list's accessible name. */
  title: string;
}

export interface MultiValuePickerProps {
  nouns: PickerNouns;
  control: FlagControlState;
  /** Values seen in stored flows (any order). */
  seen: readonly string[];
  loading: boolean;
  loadError?: string;
  onChange: (values: string[]) => void;
  /** Called when the list opens, to refresh what has been seen since. */
  onOpen?: () => void;
  /** With a single value seen and none picked, the button names that value too: "All … (x)". */
  compactSingle?: boolean;
}

/** The button's text after the title: what is picked, or "All …" for nothing picked. */
export function pickerSummary(nouns: PickerNouns, selected: readonly string[], seen: readonly string[], compactSingle = false): string {
  if (selected.length === 0) return compactSingle && seen.length === 1 ? `All ${nouns.many} (${seen[0]})` : `All ${nouns.many}`;
  return selected.length <= 2 ? selected.join(', ') : `${selected.length} ${nouns.many}`;
}

/**
 * A dropdown of checkboxes over values seen in storage; "All" is no value. What it edits (flags of
 * a filter, a URL parameter) is the caller's: `control` says what is picked and whether it may be
 * edited, and why not when it may not.
 */
export function MultiValuePicker({ nouns, control, seen, loading, loadError, onChange, onOpen, compactSingle }: MultiValuePickerProps) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const reasonId = useId();
  const selected = control.selected;
  const reason = control.editable ? undefined : control.reason;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const all = [...new Set([...seen, ...selected])].sort((a, b) => a.localeCompare(b));
  const shown = all.filter((v) => v.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (v: string, on: boolean) => onChange(on ? [...selected, v] : selected.filter((s) => s !== v));

  return (
    <div
      className="namespace-picker" ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
      // Tabbing out of the list closes it, as a click outside does (a click on the panel's own
      // background moves focus nowhere: relatedTarget null, and the mousedown check handles clicks).
      onBlur={(e) => {
        if (open && e.relatedTarget && !rootRef.current?.contains(e.relatedTarget as Node)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef} type="button" aria-expanded={open} aria-controls={panelId} disabled={!control.editable}
        title={reason} aria-describedby={reason ? reasonId : undefined}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen(!open);
        }}
      >
        {nouns.title}: {pickerSummary(nouns, selected, seen, compactSingle)}
      </button>
      {reason && <span className="toggle-reason" aria-hidden="true" title={reason}>?</span>}
      {reason && <span id={reasonId} className="visually-hidden">{reason}</span>}
      {open && control.editable && (
        <div id={panelId} role="group" aria-label={nouns.title} className="namespace-panel">
          <input
            type="search" aria-label={`Filter ${nouns.many}`} placeholder={`Filter ${nouns.many}`} value={filter} autoFocus
            onChange={(e) => setFilter(e.target.value)} spellCheck={false} autoComplete="off"
          />
          <label className="namespace-option">
            <input type="checkbox" checked={selected.length === 0} onChange={() => onChange([])} />
            All {nouns.many}
          </label>
          {shown.map((v) => (
            <label key={v} className="namespace-option">
              <input type="checkbox" checked={selected.includes(v)} onChange={(e) => toggle(v, e.target.checked)} />
              {v}
            </label>
          ))}
          {loading && <p className="muted">Loading {nouns.many}…</p>}
          {loadError && <p className="muted">{nouns.title} unavailable: {loadError}</p>}
          {!loading && !loadError && all.length === 0 && <p className="muted">No {nouns.many} seen in this time range.</p>}
        </div>
      )}
    </div>
  );
}
