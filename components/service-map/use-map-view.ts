'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import { mapViewFromSearch, mapViewHref, type MapView, type MapZoom } from './map-view';

export type MapSelection = { node: string } | { edge: string } | undefined;

const searchOf = (view: MapView) => mapViewHref(view).slice('/map?'.length);

/**
 * The /map view, held in the URL. Controls change it at once (React state, so a checkbox does not
 * flick back while the URL catches up) and write it to the URL: what changes the data (scope,
 * filter, window) adds a history entry, so Back returns to the previous view; selection and zoom
 * replace the current one. A URL changed from outside (Back, Forward) is taken as the view.
 */
export function useMapView() {
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  const [view, setView] = useState(() => mapViewFromSearch(new URLSearchParams(search)));
  const [seenSearch, setSeenSearch] = useState(search);
  const written = useRef(search);
  if (search !== seenSearch) {
    setSeenSearch(search);
    if (search !== written.current) setView(mapViewFromSearch(new URLSearchParams(search)));
  }
  const viewRef = useRef(view);
  viewRef.current = view;

  const write = useCallback((next: MapView, push: boolean) => {
    viewRef.current = next;
    setView(next);
    written.current = searchOf(next);
    if (push) window.history.pushState(null, '', mapViewHref(next));
    else window.history.replaceState(null, '', mapViewHref(next));
  }, []);

  const show = useCallback((patch: Partial<Omit<MapView, 'node' | 'edge' | 'zoom'>>) => {
    // A new scope or window is laid out afresh, so the old zoom would point at nothing in particular.
    const { zoom: _zoom, ...rest } = viewRef.current;
    const next: MapView = { ...rest, ...patch };
    if (searchOf(next) !== searchOf(viewRef.current)) write(next, true);
  }, [write]);

  const select = useCallback((selection: MapSelection) => {
    const { node: _node, edge: _edge, ...rest } = viewRef.current;
    write({ ...rest, ...(selection ?? {}) }, false);
  }, [write]);

  const setZoom = useCallback((zoom: MapZoom | undefined) => {
    const { zoom: _zoom, ...rest } = viewRef.current;
    write(zoom ? { ...rest, zoom } : rest, false);
  }, [write]);

  return { view, show, select, setZoom };
}
