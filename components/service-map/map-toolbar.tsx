'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ServiceMapNoise } from '../../lib/api/service-map';
import { refusedParam } from '../api/api-request';
import { ClusterPicker } from '../filter-bar/cluster-picker';
import { FlagAutocomplete } from '../filter-bar/flag-autocomplete';
import { readFlagsState, setClusters } from '../filter-bar/flags-edit';
import { flowValuesQuery } from '../filter-bar/flow-values-query';
import { NamespacePicker } from '../filter-bar/namespace-picker';
import { TIME_PRESETS } from '../filter-bar/time-range-model';
import { MAP_NOISE, mapFilterError, type MapView } from './map-view';

const NOISE_TEXT: Readonly<Record<ServiceMapNoise, string>> = {
  host: 'host', 'kube-dns': 'kube-dns', 'remote-node': 'remote-node', monitoring: 'monitoring',
};
const PAST_PRESETS = TIME_PRESETS.filter((p) => p.since !== '5m');

interface MapToolbarProps {
  view: MapView;
  /** The window to suggest namespaces and flag values from (map-links.ts LookupWindow). */
  since?: string;
  until?: string;
  /** Why the API refused or failed the shown view; its message shows under the bar. */
  error?: Error;
  onShow: (patch: Partial<MapView>) => void;
  onLive: (live: boolean) => void;
  onPreset: (since: string) => void;
}

/**
 * The map's scope and noise controls: `hubble observe` flags (checked by the CLI's parser as they
 * are typed), namespaces, clusters (as `--cluster` flags), toggles that hide host, kube-dns, remote-node and monitoring traffic,
 * and the window (Live, or a past one).
 */
export function MapToolbar({ view, since, until, error, onShow, onLive, onPreset }: MapToolbarProps) {
  const [q, setQ] = useState(view.q);
  const [seenQ, setSeenQ] = useState(view.q);
  if (view.q !== seenQ) {
    // Back and forward change the URL under the text box.
    setSeenQ(view.q);
    setQ(view.q);
  }
  const flagsId = useId();
  const errorId = useId();
  const namespaces = useQuery(flowValuesQuery({ field: 'namespace', limit: 500, since, until }));
  const typedError = mapFilterError(q);
  const [pickError, setPickError] = useState<string>();
  const clusterControl = useMemo(() => readFlagsState(q).clusters, [q]);
  const ownError = typedError ?? pickError;
  const message = ownError ?? error?.message;
  // The API's message may be about the window (too long, out of time) rather than the flags.
  const flagsInvalid = ownError !== undefined || refusedParam(error) === 'q';
  const preset = view.live ? 'live' : PAST_PRESETS.some((p) => p.since === view.since) ? view.since : 'picked';

  function submit(e: FormEvent) {
    e.preventDefault();
    setPickError(undefined);
    if (!typedError) onShow({ q: q.trim() });
  }
  // Clusters are `--cluster` flags of the text, as on /flows, so the map, its links and a shared
  // investigation all carry them; a pick edits the text as typed and applies it.
  function pickClusters(clusters: string[]) {
    const edit = setClusters(q, clusters);
    const refused = edit.ok ? mapFilterError(edit.text) : edit.error;
    setPickError(refused);
    if (!edit.ok || refused) return;
    setQ(edit.text);
    onShow({ q: edit.text });
  }
  const toggle = (noise: ServiceMapNoise, on: boolean) => onShow({ hide: MAP_NOISE.filter((n) => (n === noise ? on : view.hide.includes(n))) });

  return (
    <form className="filter-bar panel map-toolbar" role="search" aria-label="Map filters" onSubmit={submit}>
      <div className="filter-row">
        <div className="field grow">
          <label htmlFor={flagsId}>hubble observe flags</label>
          <FlagAutocomplete
            id={flagsId} value={q} onChange={setQ} since={since} until={until}
            invalid={flagsInvalid} describedBy={message !== undefined ? errorId : undefined}
          />
        </div>
        <button type="submit">Apply</button>
      </div>
      <div className="filter-row">
        <NamespacePicker
          control={{ editable: true, selected: view.namespaces }} seen={namespaces.data ?? []} loading={namespaces.isPending}
          loadError={namespaces.isError ? namespaces.error.message : undefined} onChange={(list) => onShow({ namespaces: [...new Set(list)].sort() })}
        />
        <ClusterPicker control={clusterControl} since={since} until={until} onChange={pickClusters} />
        <fieldset className="toggle-group">
          <legend>Hide</legend>
          {MAP_NOISE.map((noise) => (
            <label key={noise} className="chip">
              <input type="checkbox" checked={view.hide.includes(noise)} onChange={(e) => toggle(noise, e.target.checked)} />
              {NOISE_TEXT[noise]}
            </label>
          ))}
        </fieldset>
        <div className="map-time">
          <button type="button" aria-pressed={view.live} onClick={() => onLive(!view.live)}>Live</button>
          <label className="field">
            <span>Window</span>
            <select value={preset} onChange={(e) => (e.target.value === 'live' ? onLive(true) : onPreset(e.target.value))}>
              <option value="live">Live: last 5 minutes</option>
              {PAST_PRESETS.map((p) => <option key={p.since} value={p.since}>{p.label}</option>)}
              {preset === 'picked' && <option value="picked" disabled>Pinned: picked on the timeline or paused</option>}
            </select>
          </label>
        </div>
      </div>
      {message !== undefined && <p id={errorId} role="alert" className="error-line">{message}</p>}
    </form>
  );
}
