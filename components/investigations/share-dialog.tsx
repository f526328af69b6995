'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { INVESTIGATION_FLOW_CAP, INVESTIGATION_NOTES_MAX, INVESTIGATION_TITLE_MAX, type InvestigationKind } from '../../lib/api/investigations';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { FrozenWindow } from './frozen-window';
import { createInvestigationRequest, investigationPreviewQuery } from './investigations-query';
import { SharePermalink } from './share-permalink';
import type { ShareWindow } from './share-window';

interface ShareDialogProps {
  kind: InvestigationKind;
  q: string;
  resolved: ShareWindow;
  view?: Record<string, unknown>;
  map?: ServiceMapResponse;
  defaultTitle: string;
  onClose: () => void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** How many flows will be frozen, with the cap, counted before anything is created. */
function PreviewLine({ q, since, until }: { q: string; since: string; until: string }) {
  const preview = useQuery(investigationPreviewQuery({ q, since, until }));
  let text = 'Counting the matching flows…';
  if (preview.isError) text = `Could not count the matching flows: ${preview.error.message}`;
  else if (preview.data?.capped) {
    text = `More than ${fmt(preview.data.cap)} flows match: the newest ${fmt(preview.data.cap)} will be frozen (the most one investigation keeps).`;
  } else if (preview.data) {
    const n = preview.data.matching;
    text = `${fmt(n)} flow${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''}: ${n === 0 ? 'nothing to copy, the filter and window are still kept' : 'all of them will be frozen'} (up to ${fmt(preview.data.cap)} are kept).`;
  }
  return <p className="share-preview" role="status">{text}</p>;
}

/** The Share dialog: title and notes, the frozen window and flow count, then the permalink. */
export function ShareDialog({ kind, q, resolved, view, map, defaultTitle, onClose }: ShareDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [title, setTitle] = useState(defaultTitle);
  const [notes, setNotes] = useState('');
  const create = useMutation({ mutationFn: createInvestigationRequest });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!resolved.ok || create.isPending) return;
    create.mutate({ kind, title, notes, q, since: resolved.since, until: resolved.until, ...(view ? { view } : {}), ...(map ? { map } : {}) });
  }

  return (
    <dialog ref={ref} className="share-dialog" aria-labelledby={headingId} onClose={onClose}>
      <h2 id={headingId}>Share as an investigation</h2>
      <p className="muted">
        Freezes this view: its filter, the window below and a copy of up to {fmt(INVESTIGATION_FLOW_CAP)} of its flows, so the link
        shows the same rows after retention has removed the originals.
      </p>
      {resolved.ok ? (
        <>
          <FrozenWindow since={resolved.since} until={resolved.until} />
          <PreviewLine q={q} since={resolved.since} until={resolved.until} />
        </>
      ) : (
        <p className="error-line" role="alert">{resolved.error}</p>
      )}
      {create.data ? (
        <SharePermalink created={create.data} onClose={onClose} />
      ) : (
        <form onSubmit={submit} className="share-form">
          <label className="field">
            Title
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={INVESTIGATION_TITLE_MAX} />
          </label>
          <label className="field">
            Notes
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={4} maxLength={INVESTIGATION_NOTES_MAX} />
          </label>
          {create.isError && <p className="error-line" role="alert">{create.error.message}</p>}
          <div className="share-actions">
            <button type="submit" disabled={!resolved.ok || create.isPending || title.trim() === ''}>
              {create.isPending ? 'Freezing flows…' : 'Create investigation'}
            </button>
            <button type="button" onClick={onClose}>Cancel</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
