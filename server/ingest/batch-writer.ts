/**
 * Writes one IngestBatch: its flows (with their rollups), then its gaps and node events, then the
 * relay's newest stored flow time. Each step remembers that it is done, so a retry after a failure
 * repeats only what did not commit. Flows the database refuses for their content are isolated by
 * halving the batch, and only the refused flows are dropped, each recorded as a gap.
 */
import { compareTimestamps, parseTimestamp } from '../../lib/time/timestamp';
import type { Db } from '../store/db';
import { isLater, type FlowWriteResult, type PreparedFlowWriter, type PreparedRow } from '../store/flow-writer';
import { recordGaps, recordNodeEvents, saveNewestFlowTime, type GapRecord } from '../store/ingest-records';
import type { IngestBatch } from './batcher';
import { classifyDbFailure, describeDbFailure } from './db-errors';

/** A batch on its way to the database, with the steps already committed. */
export interface PendingBatch extends IngestBatch<PreparedRow> {
  flowsResult?: FlowWriteResult & { dropped: number };
  recordsDone?: boolean;
  stateDone?: boolean;
}

export interface BatchWriterOptions {
  db: Db;
  writer: Pick<PreparedFlowWriter, 'writePrepared'>;
  relay: string;
  clock?: () => number;
  /** After the flows of a batch committed. */
  onFlowsStored?: (result: FlowWriteResult & { dropped: number }) => void;
}

interface Refused { row: PreparedRow; error: unknown }

function newer(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  return ta && tb && compareTimestamps(tb, ta) > 0 ? b : a;
}

function combine(a: FlowWriteResult, b: FlowWriteResult): FlowWriteResult {
  return {
    inserted: a.inserted + b.inserted,
    duplicates: a.duplicates + b.duplicates,
    skipped: a.skipped + b.skipped,
    newestTime: newer(a.newestTime, b.newestTime),
  };
}

async function writeIsolatingRefused(
  writer: BatchWriterOptions['writer'], rows: PreparedRow[], skipped: number, refused: Refused[],
): Promise<FlowWriteResult> {
  try {
    return await writer.writePrepared({ rows, skipped });
  } catch (error) {
    if (classifyDbFailure(error) !== 'rejected-data') throw error;
    if (rows.length <= 1) {
      if (rows.length === 1) refused.push({ row: rows[0], error });
      return { inserted: 0, duplicates: 0, skipped };
    }
    const mid = rows.length >> 1;
    const first = await writeIsolatingRefused(writer, rows.slice(0, mid), skipped, refused);
    return combine(first, await writeIsolatingRefused(writer, rows.slice(mid), 0, refused));
  }
}

function timeRange(rows: readonly PreparedRow[], otherTimes: readonly string[]): { from: string; to: string } | undefined {
  let from: Pick<PreparedRow, 'time' | 'seconds' | 'nanos'> | undefined;
  let to: typeof from;
  const consider = (t: NonNullable<typeof from>) => {
    if (!to || isLater(t, to)) to = t;
    if (!from || isLater(from, t)) from = t;
  };
  for (const row of rows) consider(row);
  for (const time of otherTimes) {
    const ts = parseTimestamp(time);
    if (ts) consider({ time, ...ts });
  }
  return from && to ? { from: from.time, to: to.time } : undefined;
}

/**
 * Gaps for flows that could not be stored: refused by the database, or not made a row. They span
 * the batch's stored flows, as the refused flow's own time may be what the database refused.
 */
function droppedGaps(relay: string, batch: IngestBatch<PreparedRow>, refused: Refused[], skipped: number, nowMs: number): GapRecord[] {
  if (refused.length === 0 && skipped === 0) return [];
  const refusedSet = new Set(refused.map((r) => r.row));
  const range = timeRange(batch.flows.filter((r) => !refusedSet.has(r)), batch.skippedTimes);
  const from = range?.from ?? nowMs;
  const to = range?.to ?? nowMs;
  const gaps: GapRecord[] = [];
  if (refused.length > 0) {
    gaps.push({ relay, kind: 'collector-dropped', fromTime: from, toTime: to, lostFlows: refused.length,
      detail: `${refused.length} flows refused by the database (${describeDbFailure(refused[0].error)})` });
  }
  if (skipped > 0) {
    gaps.push({ relay, kind: 'collector-dropped', fromTime: from, toTime: to, lostFlows: skipped,
      detail: `${skipped} flows without a valid time, or with a value no column can hold (the log names it), could not be stored` });
  }
  return gaps;
}

/** The write function for the WriteQueue. */
export function createBatchWriter(opts: BatchWriterOptions): (batch: PendingBatch) => Promise<void> {
  const { db, writer, relay } = opts;
  return async (batch) => {
    if (!batch.flowsResult) {
      const refused: Refused[] = [];
      const result = batch.flows.length
        ? await writeIsolatingRefused(writer, batch.flows, batch.skipped, refused)
        : { inserted: 0, duplicates: 0, skipped: batch.skipped };
      batch.gaps.push(...droppedGaps(relay, batch, refused, result.skipped, (opts.clock ?? Date.now)()));
      batch.flowsResult = { ...result, dropped: refused.length + result.skipped };
      opts.onFlowsStored?.(batch.flowsResult);
    }
    if (!batch.recordsDone) {
      if (batch.gaps.length || batch.nodeEvents.length) {
        await db.transaction(async (tx) => {
          await recordGaps(tx, batch.gaps);
          await recordNodeEvents(tx, batch.nodeEvents);
        });
      }
      batch.recordsDone = true;
    }
    if (!batch.stateDone) {
      if (batch.flowsResult.newestTime) await saveNewestFlowTime(db, relay, batch.flowsResult.newestTime);
      batch.stateDone = true;
    }
  };
}
