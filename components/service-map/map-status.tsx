'use client';

import type { ServiceMapResponse } from '../../lib/api/service-map';

interface MapStatusProps {
  data?: ServiceMapResponse;
  live: boolean;
  /** When the shown answer arrived (ms). */
  updatedAtMs: number;
  loading: boolean;
  /** A failed request while an older answer is still shown. */
  staleError?: string;
  drops: number;
  /** How far a raw-flow aggregation has got, while the next request continues it. */
  progress?: { done: number; total: number };
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** One line on what the map shows: the window, the counts, freshness, and anything cut or failing. */
export function MapStatus({ data, live, updatedAtMs, loading, staleError, drops, progress }: MapStatusProps) {
  return (
    <div className="map-status" role="status">
      {loading && !progress && <span className="muted">Loading the map…</span>}
      {progress && (
        <span>
          This filter needs the raw flows: counted {progress.done} of {progress.total} parts of the range so far…{' '}
          <progress max={progress.total} value={progress.done} aria-label="Raw flows counted" />
        </span>
      )}
      {data && (
        <span>
          {live ? 'Live, ' : 'Pinned window, '}{time(data.since)}–{time(data.until)}{' '}
          ({data.source === 'raw' ? 'counted from raw flows' : `${data.resolution === 'hour' ? 'hourly' : 'per-minute'} rollups`}):{' '}
          {data.nodes.length.toLocaleString('en-US')} nodes, {data.edges.length.toLocaleString('en-US')} edges
          {drops > 0 && <strong className="bad">, {drops.toLocaleString('en-US')} with drops</strong>}
          {live && updatedAtMs > 0 && <span className="muted"> · updated {new Date(updatedAtMs).toLocaleTimeString()}</span>}
        </span>
      )}
      {data?.truncated && <span className="warn-line">Only the largest edges are drawn: narrow the namespaces or the filter to see the rest.</span>}
      {staleError && <span className="warn-line">The last update failed ({staleError}); showing the previous answer.</span>}
      {data && data.nodes.length === 0 && <span className="muted">No flows in this window for this scope.</span>}
    </div>
  );
}
