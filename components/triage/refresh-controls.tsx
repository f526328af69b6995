import { formatDuration } from './triage-model';

interface Props {
  updatedAtMs: number;
  nowMs: number;
  paused: boolean;
  fetching: boolean;
  error: Error | null;
  onPause: (paused: boolean) => void;
  onRefresh: () => void;
}

/** "Updated 3 s ago", the pause toggle and a manual refresh; a failed refresh says so above stale data. */
export function RefreshControls({ updatedAtMs, nowMs, paused, fetching, error, onPause, onRefresh }: Props) {
  const age = formatDuration(Math.max(0, nowMs - updatedAtMs));
  return (
    <div className="refresh-controls">
      <span className="muted">{paused ? 'Paused. ' : ''}Updated {age} ago</span>
      <button type="button" aria-pressed={paused} onClick={() => onPause(!paused)}>Pause auto-refresh</button>
      <button type="button" onClick={onRefresh} disabled={fetching}>{fetching ? 'Refreshing…' : 'Refresh now'}</button>
      {error && <p role="alert" className="error-line">Refresh failed: {error.message}. Showing what was read {age} ago.</p>}
    </div>
  );
}
