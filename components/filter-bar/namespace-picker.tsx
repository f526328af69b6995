'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { FlagControlState } from './flags-edit';

interface NamespacePickerProps {
  control: FlagControlState;
  /** Namespaces seen in stored flows (any order). */
  seen: readonly string[];
  loading: boolean;
  loadError?: string;
  onChange: (namespaces: string[]) => void;
  /** Called when the list opens, to refresh what has been seen since. */
  onOpen?: () => void;
}

function summary(selected: readonly string[]): string {
  if (selected.length === 0) return 'All namespaces';
  return selected.length <= 2 ? selected.join(', ') : `${selected.length} namespaces`;
}

/**
 * Picks namespaces as `--namespace` flags: flows with either side in any picked namespace, the way
 * `hubble observe --namespace a --namespace b` selects them; "All namespaces" is no namespace flag.
 */
export function NamespacePicker({ control, seen, loading, loadError, onChange, onOpen }: NamespacePickerProps) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
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
  const shown = all.filter((ns) => ns.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (ns: string, on: boolean) => onChange(on ? [...selected, ns] : selected.filter((s) => s !== ns));

  return (
    <div className="namespace-picker" ref={rootRef} onKeyDown={(e) => {
      if (e.key === 'Escape' && open) {
        e.preventDefault();
        setOpen(false);
      }
    }}>
      <button
        type="button" aria-expanded={open} aria-controls={panelId} disabled={!control.editable}
        title={reason} aria-describedby={reason ? reasonId : undefined}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen(!open);
        }}
      >
        Namespaces: {summary(selected)}
      </button>
      {reason && <span className="toggle-reason" aria-hidden="true" title={reason}>?</span>}
      {reason && <span id={reasonId} className="visually-hidden">{reason}</span>}
      {open && control.editable && (
        <div id={panelId} role="group" aria-label="Namespaces" className="namespace-panel">
          <input
            type="search" aria-label="Filter namespaces" placeholder="Filter namespaces" value={filter} autoFocus
            onChange={(e) => setFilter(e.target.value)} spellCheck={false} autoComplete="off"
          />
          <label className="namespace-option">
            <input type="checkbox" checked={selected.length === 0} onChange={() => onChange([])} />
            All namespaces
          </label>
          {shown.map((ns) => (
            <label key={ns} className="namespace-option">
              <input type="checkbox" checked={selected.includes(ns)} onChange={(e) => toggle(ns, e.target.checked)} />
              {ns}
            </label>
          ))}
          {loading && <p className="muted">Loading namespaces…</p>}
          {loadError && <p className="muted">Namespaces unavailable: {loadError}</p>}
          {!loading && !loadError && all.length === 0 && <p className="muted">No namespaces seen in this time range.</p>}
        </div>
      )}
    </div>
  );
}
