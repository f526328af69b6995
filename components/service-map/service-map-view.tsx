'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useRef } from 'react';
import { edgeTrouble } from './edge-style';
import { MapCanvas, type MapCanvasHandle } from './map-canvas';
import { MapEdgeTable } from './map-edge-table';
import { MapFind } from './map-find';
import { indexGraph } from './map-index';
import type { LookupWindow } from './map-links';
import { mapProgressOf, serviceMapQuery } from './map-query';
import { MapSidePanel } from './map-side-panel';
import { MapStatus } from './map-status';
import { MapTimeline } from './map-timeline';
import { ShareButton } from '../investigations/share-button';
import { MapToolbar } from './map-toolbar';
import { LIVE_WINDOW, mapDataKey } from './map-view';
import type { WindowMs } from './timeline-model';
import { useMapLayout } from './use-map-layout';
import { useMapView } from './use-map-view';

const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The /map page body: scope and noise controls, the timeline, the map with its side panel, and the
 * edge table. Everything shown follows the URL (useMapView).
 */
export function ServiceMapView() {
  const { view, show, select, setZoom } = useMapView();
  const dataKey = mapDataKey(view);
  // Bounds a pinned window's timeline; fixed per view so its query key is too.
  const nowMs = useMemo(() => Date.now(), [dataKey]);
  const query = useQuery(serviceMapQuery(view, nowMs));
  const data = query.data;
  const layout = useMapLayout(data, dataKey, view.live, query.isPlaceholderData);
  const index = useMemo(() => (data ? indexGraph(data) : undefined), [data]);
  const drops = useMemo(() => data?.edges.filter((e) => edgeTrouble(e).dropped > 0).length ?? 0, [data]);
  const range = useMemo<WindowMs | undefined>(
    () => (data ? { sinceMs: Date.parse(data.since), untilMs: Date.parse(data.until) } : undefined), [data?.since, data?.until],
  );
  const canvas = useRef<MapCanvasHandle>(null);
  const lookup = useMemo<LookupWindow | undefined>(
    () => (view.live ? { since: LIVE_WINDOW } : data ? { since: data.since, until: data.until } : undefined), [view.live, data?.since, data?.until],
  );

  const onLive = useCallback((live: boolean) => {
    if (live) show({ live: true, since: LIVE_WINDOW, until: undefined });
    // Pausing pins the window on screen, so the link shows what is seen now.
    else if (data) show({ live: false, since: data.since, until: data.until });
  }, [show, data]);
  const onPreset = useCallback((since: string) => show({ live: false, since, until: isoOf(Math.floor(Date.now() / 1000) * 1000) }), [show]);
  const onPick = useCallback((w: WindowMs) => show({ live: false, since: isoOf(w.sinceMs), until: isoOf(w.untilMs) }), [show]);
  const onFind = useCallback((id: string) => {
    select({ node: id });
    canvas.current?.focusNode(id);
  }, [select]);
  const onSelectEdge = useCallback((id: string) => select({ edge: id }), [select]);

  const error = query.isError && !data ? query.error : undefined;
  const selected = view.node !== undefined || view.edge !== undefined;
  return (
    <div className={`map-page${selected ? ' with-panel' : ''}`}>
      <MapToolbar view={view} since={lookup?.since} until={lookup?.until} error={error} onShow={show} onLive={onLive} onPreset={onPreset} />
      {data && (
        <ShareButton
          kind="map" request={{ q: view.q, since: data.since, until: data.until }} map={data}
          view={{ namespaces: view.namespaces, hide: view.hide, node: view.node, edge: view.edge, zoom: view.zoom }}
        />
      )}
      <MapStatus
        data={data} live={view.live} updatedAtMs={query.dataUpdatedAt} loading={query.isPending} drops={drops}
        progress={query.isFetching ? mapProgressOf(query.failureReason) : undefined}
        staleError={query.isError && data ? query.error.message : undefined}
      />
      {data && range && <MapTimeline points={data.timeline} range={range} live={view.live} resolution={data.timelineResolution} onPick={onPick} />}
      <div className="map-stage">
        <MapFind nodes={data?.nodes ?? []} onFind={onFind} onFit={() => canvas.current?.fit()} />
        {data && layout && index && (
          <MapCanvas
            ref={canvas} graph={data} layout={layout} edgeLabels={index.edgeLabels} crossCluster={index.crossCluster} selectedNode={view.node} selectedEdge={view.edge}
            fitKey={dataKey} initialZoom={view.zoom} onSelect={select} onZoomEnd={setZoom}
          />
        )}
        {selected && index && data && lookup && (
          <MapSidePanel
            node={view.node} edge={view.edge} index={index} mapQ={view.q} window={{ since: data.since, until: data.until }} lookup={lookup}
            onSelect={select}
          />
        )}
      </div>
      {data && index && <MapEdgeTable edges={data.edges} index={index} selectedEdge={view.edge} onSelectEdge={onSelectEdge} />}
    </div>
  );
}
