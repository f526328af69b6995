'use client';

import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';
import type { MapZoom } from './map-view';

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;
const FIT_MARGIN = 24;
const FOCUS_SCALE = 1.4;
const MOVE_MS = 350;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The transform that shows `bounds` whole in a `width` × `height` viewport, never enlarged past 1.5×. */
export function fitTransform(bounds: Bounds, width: number, height: number): ZoomTransform {
  const k = Math.max(MIN_SCALE, Math.min(1.5, (width - 2 * FIT_MARGIN) / Math.max(1, bounds.width), (height - 2 * FIT_MARGIN) / Math.max(1, bounds.height)));
  return zoomIdentity.translate(width / 2 - k * (bounds.x + bounds.width / 2), height / 2 - k * (bounds.y + bounds.height / 2)).scale(k);
}

/** The transform that puts layout point (`z.x`, `z.y`) in the middle of the viewport at scale `z.k`. */
export function centreTransform(z: MapZoom, width: number, height: number): ZoomTransform {
  const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, z.k));
  return zoomIdentity.translate(width / 2 - k * z.x, height / 2 - k * z.y).scale(k);
}

/** Below this scale node names are a few pixels tall: they, and the arrowheads, are left out. */
export const FAR_SCALE = 0.45;

/**
 * d3-zoom on the map. The transform is React-free: it goes to one <g> through its ref, so zooming
 * never re-renders React's thousands of elements. While a gesture of the user runs, the picture
 * already painted is moved as a whole instead (a CSS transform on the <svg>, which the compositor
 * applies without repainting anything), and the <g> takes the final transform when the gesture
 * ends: a map of thousands of edges pans at the display's frame rate, and is redrawn sharp once.
 * Zoom listens on the viewport <div>, whose box the CSS transform does not move.
 *
 * `onZoomEnd` hears where a gesture of the user (or a focus) left the view, in layout coordinates,
 * for the URL.
 */
export function useMapZoom(
  viewportRef: RefObject<HTMLDivElement | null>, svgRef: RefObject<SVGSVGElement | null>, gRef: RefObject<SVGGElement | null>,
  onZoomEnd: (z: MapZoom) => void,
) {
  const behaviour = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const onEnd = useRef(onZoomEnd);
  onEnd.current = onZoomEnd;
  const report = useRef(false);

  useEffect(() => {
    const viewport = viewportRef.current;
    const svg = svgRef.current;
    const g = gRef.current;
    if (!viewport || !svg || !g) return;
    let painted = zoomIdentity;
    const paint = (t: ZoomTransform) => {
      g.setAttribute('transform', t.toString());
      svg.style.transform = '';
      svg.toggleAttribute('data-far', t.k < FAR_SCALE);
      painted = t;
    };
    const z = zoom<HTMLDivElement, unknown>()
      .scaleExtent([MIN_SCALE, MAX_SCALE])
      // A click that wobbles a few pixels is still a click on an edge, not a pan.
      .clickDistance(4)
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
        const t = event.transform;
        // Fit, focus and restore (and their transitions) are drawn at once.
        if (!event.sourceEvent) return paint(t);
        const s = t.k / painted.k;
        svg.style.transform = `translate(${t.x - s * painted.x}px, ${t.y - s * painted.y}px) scale(${s})`;
      })
      .on('end', (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
        const t = event.transform;
        paint(t);
        if (!event.sourceEvent && !report.current) return;
        report.current = false;
        const [x, y] = t.invert([viewport.clientWidth / 2, viewport.clientHeight / 2]);
        onEnd.current({ x, y, k: t.k });
      });
    const selection = select(viewport);
    selection.call(z).on('dblclick.zoom', null);
    behaviour.current = z;
    return () => {
      selection.on('.zoom', null);
      behaviour.current = null;
    };
  }, [viewportRef, svgRef, gRef]);

  const apply = useCallback((make: (width: number, height: number) => ZoomTransform, opts: { animate?: boolean; report?: boolean } = {}) => {
    const viewport = viewportRef.current;
    const z = behaviour.current;
    if (!viewport || !z) return;
    const t = make(viewport.clientWidth, viewport.clientHeight);
    report.current = Boolean(opts.report);
    const selection = select(viewport);
    if (opts.animate) selection.transition().duration(MOVE_MS).call(z.transform, t);
    else selection.call(z.transform, t);
  }, [viewportRef]);

  /** Shows all of `bounds`. */
  const fit = useCallback((bounds: Bounds, animate = false) => apply((w, h) => fitTransform(bounds, w, h), { animate }), [apply]);
  /** Puts a point of the layout in the middle, at a readable scale; reported like a gesture. */
  const focus = useCallback((x: number, y: number) => apply((w, h) => centreTransform({ x, y, k: FOCUS_SCALE }, w, h), { animate: true, report: true }), [apply]);
  /** Restores a view from the URL. */
  const restore = useCallback((z: MapZoom) => apply((w, h) => centreTransform(z, w, h)), [apply]);

  return useMemo(() => ({ fit, focus, restore }), [fit, focus, restore]);
}
