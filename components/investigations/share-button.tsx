'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { InvestigationKind } from '../../lib/api/investigations';
import type { ServiceMapResponse } from '../../lib/api/service-map';
import { ingestStatusQuery } from '../ingest-status/ingest-status-query';
import { ShareDialog } from './share-dialog';
import { resolveShareWindow, type ShareRequest, type ShareWindow } from './share-window';

export type { ShareRequest };

/** What a view passes to Share. */
export interface ShareButtonProps {
  /** The kind of view being frozen; it decides how the permalink draws it. */
  kind: InvestigationKind;
  /**
   * The view's filter and window as it holds them: `q` as `hubble observe` filter flags, `since`
   * and `until` as times or durations (absent `until` means now, or the newest stored flow when
   * the collector is behind). Relative values are resolved
   * when Share is clicked, so the link keeps that exact window.
   */
  request: ShareRequest;
  /**
   * The view's own state, stored as JSON: for `map` the selection and scope (`{ namespaces, hide,
   * node, edge, zoom }`), for `drop-group` `{ group: DropGroupKey }` (required), for `flows`
   * optionally `{ flow }` (the open flow's row key). See lib/api/investigation-view.ts.
   */
  view?: Record<string, unknown>;
  /**
   * For `map`: the graph exactly as drawn (the ServiceMapResponse on screen). Without it the server
   * draws the map of the frozen window and `view`'s scope, which may differ from the screen by
   * flows that arrived since it was drawn.
   */
  map?: ServiceMapResponse;
  /** Suggested title; the dialog lets the reader change it. */
  defaultTitle?: string;
  /** Disables the button (e.g. while the view has nothing loaded yet). */
  disabled?: boolean;
}

/**
 * "Share": freezes the current view as an investigation with a permalink `/i/<id>`. The click
 * resolves the window, then a dialog asks for a title and notes, says how many flows will be
 * frozen (and the cap), creates the investigation and shows the link with a Copy button.
 */
export function ShareButton({ kind, request, view, map, defaultTitle, disabled }: ShareButtonProps) {
  const [resolved, setResolved] = useState<ShareWindow>();
  const [resolving, setResolving] = useState(false);
  const queryClient = useQueryClient();

  async function open() {
    const clickedMs = Date.now();
    setResolving(true);
    // Without a collector in this process (--role=web) there is no status: the window ends now.
    const status = await queryClient.fetchQuery({ ...ingestStatusQuery(), staleTime: 0 }).catch(() => undefined);
    setResolving(false);
    setResolved(resolveShareWindow(request, clickedMs, status?.newestStoredFlowTime));
  }

  return (
    <>
      <button type="button" onClick={open} disabled={disabled || resolving} aria-haspopup="dialog">
        Share
      </button>
      {resolved && (
        <ShareDialog
          kind={kind} q={request.q} resolved={resolved} view={view} map={map} defaultTitle={defaultTitle ?? defaultTitleOf(kind, request.q)}
          onClose={() => setResolved(undefined)}
        />
      )}
    </>
  );
}

const KIND_TITLES: Record<InvestigationKind, string> = { flows: 'Flows', map: 'Service map', 'drop-group': 'Drop group' };

function defaultTitleOf(kind: InvestigationKind, q: string): string {
  const filter = q.trim();
  return filter ? `${KIND_TITLES[kind]}: ${filter}`.slice(0, 200) : KIND_TITLES[kind];
}
