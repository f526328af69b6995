/**
 * The output side of `observe`: one writer per `-o` format, fed responses in order, flushed at
 * the end (the table aligns its columns only then, as the CLI's tabwriter does).
 */
import { flowsResponseToJson } from '../../lib/flow/jsonpb';
import type { FlowsResponse } from '../../lib/flow/flow';
import { formatCompact, nodeStatusLine } from '../../lib/printer/compact';
import { DictWriter } from '../../lib/printer/dict';
import { TableWriter } from '../../lib/printer/table';
import type { PrinterOptions } from '../../lib/printer/flow-fields';

export const OUTPUT_FORMATS = ['compact', 'dict', 'json', 'jsonpb', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ResponseWriter {
  write(response: FlowsResponse): void;
  end(): void;
}

export function createResponseWriter(format: OutputFormat, opts: PrinterOptions, sink: OutputSink): ResponseWriter {
  switch (format) {
    case 'json':
    case 'jsonpb':
      return {
        write: (r) => sink.stdout(`${flowsResponseToJson(r)}\n`),
        end: () => undefined,
      };
    case 'compact':
      return {
        write(r) {
          if (r.node_status) {
            const line = nodeStatusLine(r, opts);
            if (line) sink.stderr(`${line}\n`);
            return;
          }
          const line = formatCompact(r, opts);
          if (line) sink.stdout(`${line}\n`);
        },
        end: () => undefined,
      };
    case 'dict': {
      const dict = new DictWriter(opts);
      return {
        write(r) {
          const { stdout, stderr } = dict.write(r);
          if (stdout) sink.stdout(stdout);
          if (stderr) sink.stderr(stderr);
        },
        end: () => undefined,
      };
    }
    case 'table': {
      const table = new TableWriter({ ...opts, stderr: (text: string) => sink.stderr(text) });
      return {
        write: (r) => table.row(r),
        end: () => sink.stdout(table.flush()),
      };
    }
  }
}
