/**
 * The arithmetic of the virtualized flows table. Rows have one fixed height, so which rows are on
 * screen and where a row sits follow from the scroll offset alone: no row is measured, and the DOM
 * holds only the visible rows plus an overscan, whatever the number of rows loaded.
 *
 * Coordinates: the scroll container holds a sticky header of `headerHeight` and below it the body,
 * `rowCount * rowHeight` tall. The header covers the top of the viewport, so the body rows seen
 * are those between `scrollTop` and `scrollTop + viewportHeight - headerHeight` (body coordinates).
 */

export interface Viewport {
  scrollTop: number;
  viewportHeight: number;
  headerHeight: number;
  rowHeight: number;
}

/** Rows `[start, end)` to render. */
export interface RowWindow {
  start: number;
  end: number;
}

/** The rows on screen, widened by `overscan` rows on each side and clamped to `[0, rowCount)`. */
export function visibleRows(v: Viewport, rowCount: number, overscan: number): RowWindow {
  if (rowCount <= 0 || v.rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, v.scrollTop);
  const bodyHeight = Math.max(0, v.viewportHeight - v.headerHeight);
  const first = Math.floor(top / v.rowHeight);
  const last = Math.ceil((top + bodyHeight) / v.rowHeight);
  return { start: clamp(first - overscan, 0, rowCount), end: clamp(last + overscan, 0, rowCount) };
}

/** How many whole rows fit below the header (at least one): the PageUp/PageDown step. */
export function rowsPerPage(v: Viewport): number {
  return Math.max(1, Math.floor((v.viewportHeight - v.headerHeight) / v.rowHeight));
}

/** The scrollTop that shows row `index` entirely, moving as little as possible (the current one when it is shown). */
export function scrollTopToReveal(v: Viewport, index: number): number {
  const rowTop = index * v.rowHeight;
  const rowBottom = rowTop + v.rowHeight;
  const bodyHeight = Math.max(v.rowHeight, v.viewportHeight - v.headerHeight);
  if (rowTop < v.scrollTop) return rowTop;
  if (rowBottom > v.scrollTop + bodyHeight) return rowBottom - bodyHeight;
  return v.scrollTop;
}

/**
 * The scrollTop that keeps the same rows on screen after `added` rows were inserted above them.
 * At the very top it stays 0: a reader there follows the newest rows.
 */
export function scrollTopAfterPrepend(scrollTop: number, added: number, rowHeight: number): number {
  if (scrollTop <= 0 || added <= 0) return scrollTop;
  return scrollTop + added * rowHeight;
}

/** Whether the rendered window reaches within `threshold` rows of the end: time to load the next page. */
export function nearEnd(window: RowWindow, rowCount: number, threshold: number): boolean {
  return rowCount > 0 && window.end >= rowCount - threshold;
}

/** The row a key press moves the selection to, or undefined for a key the table does not handle. */
export function rowAfterKey(key: string, current: number | undefined, rowCount: number, pageRows: number): number | undefined {
  if (rowCount === 0) return undefined;
  const from = current ?? -1;
  switch (key) {
    case 'ArrowDown':
      return clamp(from + 1, 0, rowCount - 1);
    case 'ArrowUp':
      return clamp(current === undefined ? 0 : from - 1, 0, rowCount - 1);
    case 'PageDown':
      return clamp(from + pageRows, 0, rowCount - 1);
    case 'PageUp':
      return clamp(from - pageRows, 0, rowCount - 1);
    case 'Home':
      return 0;
    case 'End':
      return rowCount - 1;
    default:
      return undefined;
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
