/**
 * `hubble observe -o table` (`tab`): tab-separated cells aligned by Go's text/tabwriter with
 * hubble's settings, buffered until the end, as hubble CLI v1.17.0 prints them with colours off.
 */
import type { FlowsResponse } from '../flow/flow';
import { nodeStatusLine } from './compact';
import {
  flowTypeText, hostNames, lostEventFields, summaryText, timestampText, verdictText, type PrinterOptions,
} from './flow-fields';
import { GoTabWriter, HUBBLE_TABLE_SETTINGS } from './tab-writer';

/** Table options: the printer options, plus where stderr text (node status lines) goes. */
export interface TableOptions extends PrinterOptions {
  /** Receives node status lines at once, as the CLI writes them to stderr; else `flush` returns them first. */
  stderr?: (text: string) => void;
}

/**
 * A table printer. Like the CLI it writes the header before the first flow or lost event, buffers
 * every row, and aligns columns only when flushed (the CLI flushes on exit).
 */
export class TableWriter {
  private readonly tw = new GoTabWriter(HUBBLE_TABLE_SETTINGS);
  private headerWritten = false;
  private stderrText = '';

  constructor(private readonly opts: TableOptions) {}

  /** Writes the header row, once; `row` does this by itself before the first flow or lost event. */
  header(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    const node = this.opts.printNodeName ? ['NODE'] : [];
    this.cells(['TIMESTAMP', ...node, 'SOURCE', 'DESTINATION', 'TYPE', 'VERDICT', 'SUMMARY']);
  }

  /** Adds one response: a flow or lost event becomes a row; a node status event becomes a stderr line. */
  row(response: FlowsResponse): void {
    const o = this.opts;
    if (response.flow) {
      const f = response.flow;
      const [src, dst] = hostNames(f, o.ipTranslation ?? true);
      this.header();
      const node = o.printNodeName ? [f.node_name ?? ''] : [];
      this.cells([timestampText(f.time, o), ...node, src, dst, flowTypeText(f), verdictText(f), summaryText(f)]);
    } else if (response.node_status) {
      const text = nodeStatusLine(response, o);
      if (text === '') return;
      if (o.stderr) o.stderr(`${text}\n`);
      else this.stderrText += `${text}\n`;
    } else if (response.lost_events) {
      const { source, cpu, count } = lostEventFields(response.lost_events);
      this.header();
      const node = o.printNodeName ? [''] : [];
      this.cells(['', ...node, source, '', 'EVENTS LOST', '', `CPU(${cpu}) - ${count}`]);
    }
  }

  /** The aligned table (each row ending in a newline), preceded by held-back stderr lines. */
  flush(): string {
    const text = this.stderrText + this.tw.flush();
    this.stderrText = '';
    return text;
  }

  private cells(values: string[]): void {
    this.tw.write(`${values.join('\t')}\n`);
  }
}
