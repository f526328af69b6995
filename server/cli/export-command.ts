/**
 * `hubble-dashboard export --since T [--until T] [-o jsonpb|csv] [--output FILE]`: stored flows
 * of a time range, oldest first. jsonpb writes the stored lines byte for byte (so
 * `hubble observe --input-file` reads them); csv is for spreadsheets. Output is streamed with
 * backpressure: a slow pipe slows the database cursor down instead of filling memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowToCsvRecord, flowsCsvHeader } from '../../lib/export/flows-csv';
import { ObserveTimeError, resolveObserveTime } from '../../lib/time/observe-time';
import { compareTimestamps, formatTimestamp, parseTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import { loadConfig } from '../config';
import { setLogLevel } from '../log/logger';
import type { Db } from '../store/db';
import { exportFlowLines, type FlowExportRange } from '../store/flow-export';
import { openDb } from '../store/open-db';
import { UsageError } from './usage-error';

export type ExportFormat = 'jsonpb' | 'csv';

/** A --since/--until value (RFC 3339, the other `hubble observe` layouts, or a Go duration before now) as RFC 3339. */
function resolveFlag(flag: string, text: string, nowMs: number): string {
  try {
    return resolveObserveTime(text, nowMs);
  } catch (err) {
    if (err instanceof ObserveTimeError) throw new UsageError(`--${flag}: ${err.message}`);
    throw err;
  }
}

function csvRecordOfLine(line: string): string {
  const response = JSON.parse(line) as FlowsResponse;
  return response.flow ? flowToCsvRecord(response.flow, response.node_name) : '';
}

/** Writes to `out`, waiting for 'drain' when its buffer is full; an error of `out` is rethrown at the next write. */
function backpressuredWriter(out: Writable): { write(text: string): Promise<void>; done(): void } {
  const state: { failed?: { err: unknown } } = {};
  const onError = (err: unknown) => void (state.failed ??= { err });
  out.on('error', onError);
  const check = () => {
    if (state.failed) throw state.failed.err;
  };
  return {
    async write(text) {
      check();
      if (out.write(text)) return;
      check();
      await once(out, 'drain');
    },
    done: () => void out.off('error', onError),
  };
}

export interface ExportOptions {
  db: Db;
  range: FlowExportRange;
  format: ExportFormat;
  out: Writable;
}

/** Writes the range to `out` (not ending it); resolves with the number of flows written. */
export async function exportFlows(opts: ExportOptions): Promise<number> {
  let flows = 0;
  const out = backpressuredWriter(opts.out);
  const batches = exportFlowLines(opts.db, opts.range);
  // The next batch is fetched while this one is being written.
  let next = batches.next();
  try {
    if (opts.format === 'csv') await out.write(flowsCsvHeader());
    for (;;) {
      const batch = await next;
      if (batch.done) break;
      next = batches.next();
      const lines = batch.value;
      let text: string;
      switch (opts.format) {
        case 'jsonpb':
          text = `${lines.join('\n')}\n`;
          break;
        case 'csv':
          text = lines.map(csvRecordOfLine).join('');
          break;
      }
      await out.write(text);
      flows += lines.length;
    }
  } finally {
    // Stopping early (a closed pipe) must still close the cursor and give back its connection.
    out.done();
    await next.catch(() => undefined);
    await batches.return(undefined);
  }
  return flows;
}

function parseFormat(value: string | undefined): ExportFormat {
  const format = value ?? 'jsonpb';
  if (format !== 'jsonpb' && format !== 'csv') throw new UsageError(`-o ${format}: expected jsonpb or csv`);
  return format;
}

interface ExportArgs {
  range: FlowExportRange;
  format: ExportFormat;
  output?: string;
}

export function parseExportArgs(args: string[], nowMs: number): ExportArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string', short: 'o' }, output: { type: 'string' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!values.since) throw new UsageError('export: --since is required (RFC 3339 or a duration such as 2h)');
  const since = resolveFlag('since', values.since, nowMs);
  const until = values.until ? resolveFlag('until', values.until, nowMs) : formatTimestamp(timestampFromMs(nowMs));
  if (compareTimestamps(parseTimestamp(since)!, parseTimestamp(until)!) > 0) {
    throw new UsageError(`--since ${values.since} is after --until ${values.until ?? 'now'}`);
  }
  return { range: { since, until }, format: parseFormat(values.format), output: values.output };
}

async function openOutput(path: string): Promise<Writable> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (err) {
    throw new UsageError(`--output ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return out;
}

function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'EPIPE';
}

export async function run(args: string[]): Promise<void> {
  const { range, format, output } = parseExportArgs(args, Date.now());
  // Logs go to stdout; when the flows do too, a log line would corrupt the export.
  if (!output) setLogLevel('silent');
  const out = output ? await openOutput(output) : process.stdout;
  const db = await openDb(loadConfig());
  const started = performance.now();
  let flows = 0;
  try {
    flows = await exportFlows({ db, range, format, out });
    if (output) {
      out.end();
      await once(out, 'finish');
    }
  } catch (err) {
    // `export … | head` closes the pipe early: that is the reader's choice, not a failure.
    if (!isBrokenPipe(err)) throw err;
    return;
  } finally {
    await db.close();
  }
  const elapsedS = (performance.now() - started) / 1000;
  process.stderr.write(
    `exported ${flows} flows (${format}) from ${range.since} to ${range.until}${output ? ` to ${output}` : ''} in ${elapsedS.toFixed(1)} s (${Math.round(flows / Math.max(elapsedS, 1e-3))} flows/s)\n`,
  );
}
