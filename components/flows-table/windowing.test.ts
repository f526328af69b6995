import { describe, expect, it } from 'vitest';
import { nearEnd, rowAfterKey, rowsPerPage, scrollTopAfterPrepend, scrollTopToReveal, visibleRows, type Viewport } from './windowing';

// 10 rows of 20 px fit under a 30 px header in a 230 px viewport.
const at = (scrollTop: number): Viewport => ({ scrollTop, viewportHeight: 230, headerHeight: 30, rowHeight: 20 });

describe('visibleRows', () => {
  it('renders the rows on screen plus the overscan, clamped to the list', () => {
    expect(visibleRows(at(0), 100_000, 0)).toEqual({ start: 0, end: 10 });
    expect(visibleRows(at(0), 100_000, 5)).toEqual({ start: 0, end: 15 });
    // Half a row scrolled: that row and one more at the bottom are partly on screen.
    expect(visibleRows(at(10), 100_000, 0)).toEqual({ start: 0, end: 11 });
    expect(visibleRows(at(20 * 50_000), 100_000, 3)).toEqual({ start: 49_997, end: 50_013 });
    expect(visibleRows(at(20 * 99_995), 100_000, 3)).toEqual({ start: 99_992, end: 100_000 });
  });

  it('renders nothing for an empty list, and stays in range for a scroll past the end or before the start', () => {
    expect(visibleRows(at(0), 0, 5)).toEqual({ start: 0, end: 0 });
    expect(visibleRows(at(10_000), 3, 5)).toEqual({ start: 3, end: 3 });
    expect(visibleRows(at(-50), 100, 2)).toEqual({ start: 0, end: 12 });
  });

  it('keeps the DOM small whatever the number of rows', () => {
    const w = visibleRows(at(20 * 77_777), 100_000, 12);
    expect(w.end - w.start).toBeLessThanOrEqual(10 + 1 + 24);
  });
});

describe('scrolling', () => {
  it('reveals a row by moving as little as possible', () => {
    expect(scrollTopToReveal(at(0), 5)).toBe(0);
    expect(scrollTopToReveal(at(0), 10)).toBe(20);
    expect(scrollTopToReveal(at(400), 3)).toBe(60);
    expect(scrollTopToReveal(at(400), 25)).toBe(400);
  });

  it('keeps the rows on screen in place when rows are added above, and follows at the top', () => {
    expect(scrollTopAfterPrepend(400, 3, 20)).toBe(460);
    expect(scrollTopAfterPrepend(0, 3, 20)).toBe(0);
    expect(scrollTopAfterPrepend(400, 0, 20)).toBe(400);
  });

  it('asks for the next page near the end only', () => {
    expect(nearEnd({ start: 0, end: 40 }, 1000, 100)).toBe(false);
    expect(nearEnd({ start: 880, end: 920 }, 1000, 100)).toBe(true);
    expect(nearEnd({ start: 0, end: 0 }, 0, 100)).toBe(false);
  });
});

describe('rowAfterKey', () => {
  it('moves the selection with the arrow, page, home and end keys, within the rows', () => {
    const page = rowsPerPage(at(0));
    expect(page).toBe(10);
    expect(rowAfterKey('ArrowDown', undefined, 50, page)).toBe(0);
    expect(rowAfterKey('ArrowUp', undefined, 50, page)).toBe(0);
    expect(rowAfterKey('ArrowDown', 4, 50, page)).toBe(5);
    expect(rowAfterKey('ArrowUp', 4, 50, page)).toBe(3);
    expect(rowAfterKey('ArrowUp', 0, 50, page)).toBe(0);
    expect(rowAfterKey('ArrowDown', 49, 50, page)).toBe(49);
    expect(rowAfterKey('PageDown', 45, 50, page)).toBe(49);
    expect(rowAfterKey('PageUp', 15, 50, page)).toBe(5);
    expect(rowAfterKey('Home', 30, 50, page)).toBe(0);
    expect(rowAfterKey('End', 3, 50, page)).toBe(49);
    expect(rowAfterKey('a', 3, 50, page)).toBeUndefined();
    expect(rowAfterKey('ArrowDown', undefined, 0, page)).toBeUndefined();
  });
});
