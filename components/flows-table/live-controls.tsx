'use client';

import { LIVE_RATE_MAX } from '../../lib/api/flows-live';
import type { LiveFlowsState } from './live-flows';
import type { LiveConnectionState } from './use-live-flows';

interface LiveControlsProps {
  on: boolean;
  connection: LiveConnectionState;
  live: LiveFlowsState;
  /** Why Live cannot be turned on for this view. */
  blocked?: string;
  busy: boolean;
  onToggle: () => void;
  onPause: () => void;
  /** Shows the pending flows and follows the newest again. */
  onShowNew: () => void;
}

function statusText(on: boolean, c: LiveConnectionState, paused: boolean): string {
  if (!on) return '';
  switch (c.status) {
    case 'off':
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return paused ? 'Paused: new flows wait above.' : 'Streaming new flows.';
    case 'reconnecting':
      return 'Connection lost, reconnecting…';
    case 'failed':
      return `Live stream failed: ${c.error ?? 'closed'}`;
  }
}

/** The Live toggle, Pause/Resume, the count of flows waiting while paused, and what was let go. */
export function LiveControls({ on, connection, live, blocked, busy, onToggle, onPause, onShowNew }: LiveControlsProps) {
  const pending = live.pending.length;
  return (
    <section className="live-bar" aria-label="Live tail">
      <button type="button" aria-pressed={on} onClick={onToggle} disabled={busy || (!on && blocked !== undefined)} title={blocked}>
        Live
      </button>
      {on && (
        <button type="button" onClick={live.paused ? onShowNew : onPause}>{live.paused ? 'Resume' : 'Pause'}</button>
      )}
      <span className="live-state" role="status" data-state={!on ? 'off' : live.paused && connection.status === 'live' ? 'paused' : connection.status}>
        {statusText(on, connection, live.paused)}
      </span>
      {!on && blocked && <span className="muted">{blocked}</span>}
      {on && pending > 0 && (
        <button type="button" className="link-button" onClick={onShowNew}>
          {pending.toLocaleString()} new flow{pending === 1 ? '' : 's'} — show
        </button>
      )}
      {on && !connection.complete && (
        <span className="warn-line">Not every flow stored since the window’s end could be sent: Refresh to load them.</span>
      )}
      {on && live.lost > 0 && (
        <span className="warn-line">{live.lost.toLocaleString()} flows were skipped because this page fell behind the stream.</span>
      )}
      {on && live.limited > 0 && (
        <span className="warn-line">
          {live.limited.toLocaleString()} flows not shown live: more than {LIVE_RATE_MAX.toLocaleString('en-US')} a second match this view.
          Every one is stored: narrow the filter, or turn Live off to page through them.
        </span>
      )}
      {on && live.dropped > 0 && (
        <span className="warn-line">
          Only the newest {live.cap.toLocaleString()} live flows are kept; {live.dropped.toLocaleString()} older ones were let go.
        </span>
      )}
    </section>
  );
}
