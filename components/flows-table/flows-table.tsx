'use client';

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowCells, type FlowCells } from './flow-cells';
import { COLUMNS, FlowRow } from './flow-row';
import type { FlowRows } from './flow-rows';
import { nearEnd, rowAfterKey, rowsPerPage, scrollTopAfterPrepend, scrollTopToReveal, visibleRows, type Viewport } from './windowing';

/** Fixed heights (px) the windowing relies on; the CSS takes them from the inline styles. */
export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 32;
const OVERSCAN_ROWS = 12;
/** The next page is asked for when the rendered rows come this close to the end. */
const LOAD_AHEAD_ROWS = 60;

export interface FlowsTableProps {
  rows: FlowRows;
  timeZone: string;
  selectedIndex?: number;
  /** Changes whenever a different flow is selected: the table scrolls it into view then. */
  selectedKey?: string;
  /** A row chosen by a click (which also opens the drawer) or by the arrow, page, Home and End keys. */
  onSelect: (index: number, how: 'click' | 'key') => void;
  onOpen: (index: number) => void;
  onClose: () => void;
  /** Rows ever inserted at the top (live); a change keeps the rows on screen where they are. */
  prepended: number;
  /** Changes when the table must go back to the top (showing the new live flows). */
  scrollToTopToken: number;
  onNearEnd: () => void;
}

/**
 * The flows as an ARIA table, virtualized: a scroll container with a sticky header and a body as
 * tall as all rows, of which only the visible ones (and an overscan) exist in the DOM.
 */
export function FlowsTable(props: FlowsTableProps) {
  const { rows, timeZone, selectedIndex, selectedKey, onSelect, onOpen, onClose, prepended, scrollToTopToken, onNearEnd } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);
  const focusAfterMove = useRef(false);
  const viewport: Viewport = { scrollTop, viewportHeight, headerHeight: HEADER_HEIGHT, rowHeight: ROW_HEIGHT };
  const shown = visibleRows(viewport, rows.count, OVERSCAN_ROWS);
  const cellsCache = useMemo(() => new WeakMap<FlowsResponse, FlowCells>(), [timeZone]);

  const scrollTo = useCallback((top: number) => {
    const el = scroller.current;
    if (!el || el.scrollTop === top) return;
    el.scrollTop = top;
    setScrollTop(el.scrollTop);
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    observer.observe(el);
    setViewportHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Before paint, so rows inserted above never show in the wrong place for a frame.
  const seen = useRef({ prepended, scrollToTopToken });
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = seen.current;
    seen.current = { prepended, scrollToTopToken };
    if (!el) return;
    if (scrollToTopToken !== before.scrollToTopToken) scrollTo(0);
    else scrollTo(scrollTopAfterPrepend(el.scrollTop, prepended - before.prepended, ROW_HEIGHT));
  }, [prepended, scrollToTopToken, scrollTo]);

  // A newly selected flow (or one a link names, once its row has loaded) is brought into view; one
  // that only moved down as live rows were added is left where the reader put it.
  const revealed = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex === undefined || selectedIndex < 0 || revealed.current === selectedKey) return;
    revealed.current = selectedKey;
    scrollTo(scrollTopToReveal({ scrollTop: el.scrollTop, viewportHeight: el.clientHeight, headerHeight: HEADER_HEIGHT, rowHeight: ROW_HEIGHT }, selectedIndex));
  }, [selectedKey, selectedIndex, scrollTo]);

  // After every render until the row moved to by a key exists (a page away, it renders once scrolled to).
  useEffect(() => {
    if (!focusAfterMove.current || selectedIndex === undefined) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${selectedIndex}"]`);
    if (!row) return;
    focusAfterMove.current = false;
    row.focus({ preventScroll: true });
  });

  const wantsMore = nearEnd(shown, rows.count, LOAD_AHEAD_ROWS);
  useEffect(() => {
    if (wantsMore) onNearEnd();
  }, [wantsMore, rows.count, onNearEnd]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Enter' && selectedIndex !== undefined && selectedIndex >= 0) onOpen(selectedIndex);
    else if (event.key === 'Escape') onClose();
    else {
      const current = selectedIndex !== undefined && selectedIndex >= 0 ? selectedIndex : undefined;
      const next = rowAfterKey(event.key, current, rows.count, rowsPerPage(viewport));
      if (next === undefined) return;
      focusAfterMove.current = true;
      onSelect(next, 'key');
    }
    event.preventDefault();
  }

  const activate = useCallback((index: number) => onSelect(index, 'click'), [onSelect]);
  const rendered = [];
  for (let i = shown.start; i < shown.end; i++) {
    const response = rows.at(i);
    let cells = cellsCache.get(response);
    if (!cells) {
      cells = flowCells(response, timeZone);
      if (!cells) continue;
      cellsCache.set(response, cells);
    }
    const selected = i === selectedIndex;
    const tabStop = selected || ((selectedIndex === undefined || selectedIndex < 0) && i === shown.start);
    rendered.push(
      <FlowRow key={cells.key} index={i} cells={cells} top={i * ROW_HEIGHT} height={ROW_HEIGHT} selected={selected} tabStop={tabStop} onActivate={activate} />,
    );
  }

  return (
    <div
      ref={scroller} className="flows-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKeyDown}
    >
      <div role="table" aria-label="Flows" aria-rowcount={rows.count + 1} aria-colcount={COLUMNS.length} className="flows-grid">
        <div role="rowgroup" className="flows-head">
          <div role="row" aria-rowindex={1} className="flows-row flows-head-row" style={{ height: HEADER_HEIGHT }}>
            {COLUMNS.map((c) => <div key={c} role="columnheader">{c}</div>)}
          </div>
        </div>
        <div role="rowgroup" className="flows-body" style={{ height: rows.count * ROW_HEIGHT }}>
          {rendered}
        </div>
      </div>
      {rows.count === 0 && <p className="muted flows-empty">No flows match in this time range.</p>}
    </div>
  );
}
