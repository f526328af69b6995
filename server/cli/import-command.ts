/**
 * `hubble-dashboard import FILE|-`: loads `hubble observe -o jsonpb` lines into the configured
 * database through the FlowWriter, so an import dedupes against what is stored exactly like the
 * collector does. Streams: the input is read in chunks and cut into lines with a cap on their
 * length (line-reader.ts), so neither a huge file nor one endless line is ever held in memory.
 */
import { accessSync, constants, createReadStream, fstatSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { FlowsResponse } from '../../lib/flow/flow';
import { JsonpbError, flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { loadConfig } from '../config';
import { createFlowWriter, type FlowWriteResult, type FlowWriter } from '../store/flow-writer';
import { openDb } from '../store/open-db';
import { createPartitionManager } from '../store/partitions';
import { readLines } from './line-reader';
import { createProgress, type Progress } from './progress';
import { UsageError } from './usage-error';

export const MAX_LINE_BYTES = 1024 * 1024;
const BATCH_SIZE = 5_000;
/** Per-line reports beyond this many are counted, not printed. */
const MAX_REPORTS = 100;
const MAX_REASON_CHARS = 300;

export interface ImportSummary {
  /** Bytes of input read. */
  bytes: number;
  lines: number;
  inserted: number;
  duplicates: number;
  /** Lines that were not stored: malformed, too long, or carrying no flow. */
  skippedLines: number;
  /** Lines rejected with a reason (a subset of skippedLines). */
  failedLines: number;
  /** Time of the oldest flow read, ms since the epoch (for the retention note). */
  oldestFlowMs?: number;
  elapsedS: number;
}

export interface ImportOptions {
  writer: FlowWriter;
  input: Readable;
  /** Where per-line reports and the progress display go. */
  progress: Progress;
  batchSize?: number;
  maxLineBytes?: number;
  /** Batches written at the same time (default 2: one parsing core, one database). */
  writesInFlight?: number;
}

function parseLine(text: string): { response?: FlowsResponse; problems: string[]; failed: boolean } {
  try {
    const { response, warnings } = flowsResponseFromJson(text);
    if (response.flow && !response.flow.time) return { failed: true, problems: ['flow has no time, skipped'] };
    return { response, failed: false, problems: warnings.map((w) => `warning: ${w} (stored as it is)`) };
  } catch (err) {
    if (!(err instanceof JsonpbError)) throw err;
    return { failed: true, problems: [err.message] };
  }
}

/**
 * Writes batches `inFlight` at a time (each write has its own pooled connection) while the caller
 * parses on; a failed write is kept and rethrown at the next call, never left unhandled.
 */
function batchWrites(writer: FlowWriter, inFlight: number, onWritten: (r: FlowWriteResult) => void) {
  const pending = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const waitUntil = async (room: number) => {
    while (pending.size > room && !failure) await Promise.race(pending);
    if (failure) throw failure.err;
  };
  return {
    async write(responses: FlowsResponse[]): Promise<void> {
      await waitUntil(inFlight - 1);
      if (responses.length === 0) return;
      const p: Promise<void> = writer.write(responses)
        .then(onWritten, (err: unknown) => void (failure ??= { err }))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    drain: () => waitUntil(0),
  };
}

/** The running counts of one import and its reports to the user. */
class ImportTally {
  bytes = 0;
  lines = 0;
  inserted = 0;
  duplicates = 0;
  skippedLines = 0;
  failedLines = 0;
  oldestFlowMs = Infinity;
  private reports = 0;

  constructor(private readonly progress: Progress) {}

  report(number: number, text: string): void {
    if (++this.reports > MAX_REPORTS) return;
    this.progress.message(`line ${number}: ${text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text}`);
  }

  skip(number: number, problem: string): void {
    this.report(number, problem);
    this.lines = number;
    this.skippedLines++;
    this.failedLines++;
  }

  written(r: FlowWriteResult): void {
    this.inserted += r.inserted;
    this.duplicates += r.duplicates;
    this.skippedLines += r.skipped;
  }

  showProgress(): void {
    this.progress.update({ bytes: this.bytes, lines: this.lines, flows: this.inserted + this.duplicates });
  }

  summary(elapsedS: number): ImportSummary {
    if (this.reports > MAX_REPORTS) this.progress.message(`… and ${this.reports - MAX_REPORTS} more line reports not shown`);
    const { bytes, lines, inserted, duplicates, skippedLines, failedLines, oldestFlowMs } = this;
    return { bytes, lines, inserted, duplicates, skippedLines, failedLines, elapsedS, oldestFlowMs: Number.isFinite(oldestFlowMs) ? oldestFlowMs : undefined };
  }
}

/** Reads every line of `input`, writes the flows in batches, reports bad lines; resolves with the counts. */
export async function importFlows(opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const maxLineBytes = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const tally = new ImportTally(opts.progress);
  const writes = batchWrites(opts.writer, Math.max(1, opts.writesInFlight ?? 2), (r) => tally.written(r));
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of opts.input as AsyncIterable<Buffer>) {
      tally.bytes += chunk.length;
      yield chunk;
    }
  }
  const batch: FlowsResponse[] = [];
  let shownAtBytes = 0;
  const input = Readable.from(counted(), { objectMode: false });
  for await (const line of readLines(input, maxLineBytes, (n) => tally.skip(n, `longer than ${maxLineBytes} bytes, skipped`))) {
    tally.lines = line.number;
    const text = line.number === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
    if (text.trim() === '') continue;
    const { response, problems, failed } = parseLine(text);
    if (failed || !response) {
      tally.skip(line.number, problems[0]);
      continue;
    }
    for (const p of problems) tally.report(line.number, p);
    batch.push(response);
    tally.oldestFlowMs = Math.min(tally.oldestFlowMs, Date.parse(response.flow?.time ?? '') || Infinity);
    if (batch.length >= batchSize) await writes.write(batch.splice(0));
    if (tally.bytes !== shownAtBytes) {
      shownAtBytes = tally.bytes;
      tally.showProgress();
    }
  }
  await writes.write(batch);
  await writes.drain();
  tally.showProgress();
  return tally.summary((performance.now() - started) / 1000);
}

/** The one-line result, e.g. `imported 12 flows (3 duplicates already stored, 1 lines skipped) in 0.4 s`. */
export function formatImportSummary(s: ImportSummary): string {
  return `imported ${s.inserted} flows (${s.duplicates} duplicates already stored, ${s.skippedLines} lines skipped) in ${s.elapsedS.toFixed(1)} s`;
}

/** 1 when lines were rejected and none was accepted (stored or already stored); else 0. */
export function importExitCode(s: ImportSummary): number {
  return s.skippedLines > 0 && s.inserted + s.duplicates === 0 ? 1 : 0;
}

/** Imported flows older than the retention would silently vanish at the dashboard's next retention run: say so. */
export function retentionNote(s: ImportSummary, retentionHours: number, nowMs: number): string | undefined {
  if (s.inserted === 0 || s.oldestFlowMs === undefined || s.oldestFlowMs >= nowMs - retentionHours * 3_600_000) return undefined;
  return `note: some imported flows are older than the retention (HUBBLE_DASHBOARD_RETENTION, ${retentionHours} h): ` +
    "the dashboard's next retention run deletes them";
}

function openInput(path: string): { input: Readable; totalBytes?: number } {
  if (path === '-') {
    const stat = fstatSync(0);
    return { input: process.stdin, totalBytes: stat.isFile() ? stat.size : undefined };
  }
  let size: number;
  try {
    const stat = statSync(path);
    accessSync(path, constants.R_OK);
    if (stat.isDirectory()) throw new UsageError(`${path}: is a directory, expected a file of jsonpb lines`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return { input: createReadStream(path, { highWaterMark: 1024 * 1024 }), totalBytes: size };
}

export async function run(args: string[]): Promise<void> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (positionals.length !== 1) throw new UsageError('import: expected one FILE (or - for stdin) of `hubble observe -o jsonpb` lines');
  const { input, totalBytes } = openInput(positionals[0]);
  const config = loadConfig();
  const db = await openDb(config);
  const progress = createProgress({ out: process.stderr, label: 'import', totalBytes });
  try {
    const writer = createFlowWriter(db, { partitions: createPartitionManager(db) });
    const summary = await importFlows({ writer, input, progress });
    progress.finish();
    process.stdout.write(`${formatImportSummary(summary)}\n`);
    const note = retentionNote(summary, config.retentionHours, Date.now());
    if (note) process.stderr.write(`${note}\n`);
    process.exitCode = importExitCode(summary);
  } finally {
    progress.finish();
    await db.close();
  }
}
