'use client';

import { scaleTime } from 'd3';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ServiceMapTimelinePoint } from '../../lib/api/service-map';
import { moveWindow, snapWindow, timelineModel, type WindowMs } from './timeline-model';

const HEIGHT = 76;
const AXIS = 16;
const CLICK_PX = 4;

interface MapTimelineProps {
  points: readonly ServiceMapTimelinePoint[];
  /** The window the map shows. */
  range: WindowMs;
  live: boolean;
  /** The API's bucket size, for a timeline too short to show it. */
  resolution?: 'minute' | 'hour';
  onPick: (window: WindowMs) => void;
}

type Drag = { mode: 'new'; anchorMs: number; x: number } | { mode: 'move'; fromMs: number; x: number };

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Flows (grey) and drops (red) per bucket, with the map's window marked. Drag to pick a window,
 * drag the marked window to scrub it, click for a window of the same length there; with the
 * keyboard, arrows move the window a bucket (Shift: a window length).
 */
export function MapTimeline({ points, range, live, resolution, onPick }: MapTimelineProps) {
  const { ref, width } = useWidth();
  const model = useMemo(() => timelineModel(points, range, resolution === 'hour' ? 3_600_000 : 60_000), [points, range, resolution]);
  const x = useMemo(() => scaleTime().domain([model.startMs, model.endMs]).range([0, Math.max(1, width)]), [model, width]);
  const [drag, setDrag] = useState<Drag>();
  const [draft, setDraft] = useState<WindowMs>();
  const shown = draft ?? range;
  const barsHeight = HEIGHT - AXIS;
  const timeAt = (e: PointerEvent<SVGSVGElement>) => x.invert(e.clientX - e.currentTarget.getBoundingClientRect().left).getTime();

  function down(e: PointerEvent<SVGSVGElement>) {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const t = timeAt(e);
    const inside = !live && t > range.sinceMs && t < range.untilMs;
    setDrag(inside ? { mode: 'move', fromMs: t, x: e.clientX } : { mode: 'new', anchorMs: t, x: e.clientX });
  }
  function move(e: PointerEvent<SVGSVGElement>) {
    if (!drag) return;
    const t = timeAt(e);
    setDraft(drag.mode === 'move' ? moveWindow(range, t - drag.fromMs, model) : snapWindow(drag.anchorMs, t, model));
  }
  function up(e: PointerEvent<SVGSVGElement>) {
    if (!drag) return;
    const t = timeAt(e);
    const clicked = Math.abs(e.clientX - drag.x) < CLICK_PX;
    const length = range.untilMs - range.sinceMs;
    const picked = clicked && drag.mode === 'new'
      ? snapWindow(t - length / 2, t + length / 2, model)
      : drag.mode === 'move' ? moveWindow(range, t - drag.fromMs, model) : snapWindow(drag.anchorMs, t, model);
    setDrag(undefined);
    setDraft(undefined);
    if (!clicked || drag.mode === 'new') onPick(picked);
  }
  function key(e: KeyboardEvent) {
    const step = e.shiftKey ? range.untilMs - range.sinceMs : model.bucketMs;
    const delta = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
    if (!delta) return;
    e.preventDefault();
    onPick(moveWindow(range, delta, model));
  }

  const tickCount = Math.max(2, Math.floor(width / 110));
  // d3's multi-scale format: hours where hours change, minutes or seconds in between.
  const tickText = x.tickFormat(tickCount);
  const drops = model.bars.reduce((s, b) => s + b.drops, 0);
  const flows = model.bars.reduce((s, b) => s + b.flows, 0);
  return (
    <div className="map-timeline" ref={ref}>
      {width > 0 && (
        <svg
          width={width} height={HEIGHT} role="img" onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={() => setDrag(undefined)}
          aria-label={`Timeline from ${clock(model.startMs)} to ${clock(model.endMs)}: ${flows.toLocaleString('en-US')} flows, ${drops.toLocaleString('en-US')} dropped`}
        >
          {model.bars.map((b) => {
            const left = x(b.startMs);
            const w = Math.max(1, x(b.startMs + model.bucketMs) - left - 1);
            const h = (b.flows / model.maxFlows) * (barsHeight - 4);
            const dh = b.drops > 0 ? Math.max(2, (b.drops / model.maxFlows) * (barsHeight - 4)) : 0;
            return (
              <g key={b.startMs}>
                <rect className="map-timeline-flows" x={left} y={barsHeight - h} width={w} height={h} />
                {dh > 0 && <rect className="map-timeline-drops" x={left} y={barsHeight - dh} width={w} height={dh} />}
              </g>
            );
          })}
          <rect className={`map-timeline-window${draft ? ' draft' : ''}`} x={x(shown.sinceMs)} y={0} height={barsHeight} width={Math.max(2, x(shown.untilMs) - x(shown.sinceMs))} />
          {x.ticks(tickCount).map((t) => (
            <text key={t.getTime()} className="map-timeline-tick" x={x(t)} y={HEIGHT - 3}>{tickText(t)}</text>
          ))}
        </svg>
      )}
      <div
        className="map-timeline-handle" role="slider" tabIndex={0} aria-label="Map window" onKeyDown={key}
        aria-valuemin={model.startMs} aria-valuemax={model.endMs} aria-valuenow={range.sinceMs}
        aria-valuetext={`${new Date(range.sinceMs).toLocaleString()} to ${new Date(range.untilMs).toLocaleString()}`}
      >
        Window {clock(shown.sinceMs)}–{clock(shown.untilMs)} <span className="muted">(drag on the timeline, or ←/→ here)</span>
      </div>
    </div>
  );
}
