'use client';

import { useId, useState, type FormEvent } from 'react';

/** What the filter bar edits. */
export interface FilterBarValue {
  q: string;
  since: string;
  limit: number;
}

interface FilterBarProps {
  initial: FilterBarValue;
  limits: readonly number[];
  /** The API's message for the filters, shown under the input. */
  error?: string;
  applying: boolean;
  onApply: (value: FilterBarValue) => void;
}

/** `hubble observe` flags pasted as text, plus the time range start and page size; applied on Enter or Apply. */
export function FilterBar({ initial, limits, error, applying, onApply }: FilterBarProps) {
  const [q, setQ] = useState(initial.q);
  const [since, setSince] = useState(initial.since);
  const [limit, setLimit] = useState(initial.limit);
  const errorId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ q, since, limit });
  }

  return (
    <form className="filter-bar panel" role="search" aria-label="Flow filters" onSubmit={submit}>
      <div className="filter-row">
        <label className="field grow">
          <span>hubble observe flags</span>
          <input
            type="text" value={q} onChange={(e) => setQ(e.target.value)} spellCheck={false} autoComplete="off"
            placeholder="--namespace shop --verdict DROPPED" aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        <label className="field">
          <span>Since</span>
          <input type="text" value={since} onChange={(e) => setSince(e.target.value)} size={10} spellCheck={false} />
        </label>
        <label className="field">
          <span>Limit</span>
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {[...new Set([...limits, limit])].sort((a, b) => a - b).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="submit" disabled={applying}>{applying ? 'Applying…' : 'Apply'}</button>
      </div>
      {error && <p id={errorId} role="alert" className="error-line">{error}</p>}
    </form>
  );
}
