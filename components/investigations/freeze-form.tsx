'use client';

import { useMemo, useState } from 'react';
import { ClusterPicker } from '../filter-bar/cluster-picker';
import { readFlagsState, setClusters } from '../filter-bar/flags-edit';
import { ShareButton } from './share-button';

/**
 * Freeze flows straight from a `hubble observe` filter and window (say, one pasted from a runbook
 * or a colleague), without opening them on the flows page first.
 */
export function FreezeForm() {
  const [q, setQ] = useState('');
  const [since, setSince] = useState('1h');
  const [until, setUntil] = useState('');
  const [pickError, setPickError] = useState<string>();
  const clusters = useMemo(() => readFlagsState(q).clusters, [q]);
  // The picker writes `--cluster` flags into the text, so what is frozen is what the text says.
  const pickClusters = (list: string[]) => {
    const edit = setClusters(q, list);
    setPickError(edit.ok ? undefined : edit.error);
    if (edit.ok) setQ(edit.text);
  };
  return (
    <section aria-label="Freeze flows" className="freeze-form">
      <label className="field grow">
        hubble observe flags
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="--namespace shop --verdict DROPPED" spellCheck={false} />
      </label>
      <ClusterPicker control={clusters} since={since.trim() || undefined} until={until.trim() || undefined} onChange={pickClusters} />
      {pickError && <p role="alert" className="error-line">{pickError}</p>}
      <label className="field">
        Since
        <input value={since} onChange={(e) => setSince(e.target.value)} placeholder="1h or 2026-01-15T12:00:00Z" spellCheck={false} />
      </label>
      <label className="field">
        Until
        <input value={until} onChange={(e) => setUntil(e.target.value)} placeholder="now" spellCheck={false} />
      </label>
      <ShareButton kind="flows" request={{ q, since, ...(until.trim() ? { until: until.trim() } : {}) }} />
    </section>
  );
}
