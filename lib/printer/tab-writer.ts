/**
 * Go's `text/tabwriter` (elastic tabstops), for `hubble observe -o table`, which configures it as
 * `tabwriter.NewWriter(w, 2, 0, 3, ' ', 0)`: minimum width 2, tab width 0, padding 3, spaces.
 *
 * Semantics kept from Go: cells are tab-terminated, so the last cell of a line is never aligned;
 * a column is a run of consecutive lines that have a cell in it, and its width is the widest cell
 * plus padding (at least the minimum width); `\v` ends a soft cell, `\f` ends a line and flushes,
 * and a line without any tab flushes what came before it. Widths count Unicode code points, as Go
 * counts runes. Not supported: FilterHTML, StripEscape, TabIndent, Debug and Escape sequences.
 */

/** Options of `tabwriter.Writer.Init`, with the flags this port supports. */
export interface TabWriterOptions {
  minWidth: number;
  tabWidth: number;
  padding: number;
  padChar: string;
  alignRight?: boolean;
  discardEmptyColumns?: boolean;
}

/** The settings hubble's printer passes for `-o table` (`printer.go`: `NewWriter(w, 2, 0, 3, ' ', 0)`). */
export const HUBBLE_TABLE_SETTINGS: TabWriterOptions = { minWidth: 2, tabWidth: 0, padding: 3, padChar: ' ' };

interface Cell { text: string; width: number; htab: boolean }

/** Code points in a string (Go counts runes): every UTF-16 unit except a low surrogate. */
function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) n++;
  }
  return n;
}

/** A buffering tab writer: `write` text, `flush` to get the aligned output written so far. */
export class GoTabWriter {
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private out: string[] = [];
  private readonly alignRight: boolean;

  constructor(private readonly opts: TabWriterOptions = HUBBLE_TABLE_SETTINGS) {
    if (opts.minWidth < 0 || opts.tabWidth < 0 || opts.padding < 0) throw new RangeError('negative minWidth, tabWidth, or padding');
    // As in Go's Init: tab padding forces left alignment.
    this.alignRight = !!opts.alignRight && opts.padChar !== '\t';
  }

  /** Buffers text; output becomes available early only where Go's writer flushes by itself. */
  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const cells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        if (ch === '\f' || cells === 1) this.formatAll();
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats everything buffered and returns all output not yet returned. */
  flush(): string {
    if (this.cell !== '') this.terminateCell(false);
    this.formatAll();
    const text = this.out.join('');
    this.out = [];
    return text;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: runeCount(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  private formatAll(): void {
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  /** Go's `format`: find the column blocks of `widths.length`, recurse to the right, print. */
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= this.lines[row].length - 1) continue;
      this.writeLines(line0, row);
      line0 = row;
      let width = this.opts.minWidth;
      let discardable = true;
      for (; row < line1; row++) {
        const line = this.lines[row];
        if (column >= line.length - 1) break;
        const c = line[column];
        width = Math.max(width, c.width + this.opts.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.opts.discardEmptyColumns) width = 0;
      this.widths.push(width);
      this.format(line0, row);
      this.widths.pop();
      line0 = row;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      this.lines[i].forEach((c, j) => {
        const cellWidth = j < this.widths.length ? this.widths[j] : undefined;
        if (this.alignRight && c.text !== '') this.pad(c.width, cellWidth);
        this.out.push(c.text);
        if (!this.alignRight || c.text === '') this.pad(c.width, cellWidth);
      });
      // The last buffered line has no newline yet: only its pending text goes out.
      this.out.push(i + 1 === this.lines.length ? this.cell : '\n');
    }
  }

  private pad(textWidth: number, cellWidth: number | undefined): void {
    if (cellWidth === undefined) return;
    if (this.opts.padChar === '\t') {
      const tab = this.opts.tabWidth;
      if (tab === 0) return;
      const rounded = Math.ceil(cellWidth / tab) * tab;
      this.out.push('\t'.repeat(Math.ceil((rounded - textWidth) / tab)));
      return;
    }
    this.out.push(this.opts.padChar.repeat(cellWidth - textWidth));
  }
}
