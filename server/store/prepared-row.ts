/**
 * One flow made ready for writing the moment it is received (server/store/flow-writer.ts writes
 * batches of these): its binary COPY tuple, its time, its unique and rollup keys.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { parseTimestamp } from '../../lib/time/timestamp';
import { copyRow } from './copy-binary';
import { edgeKeyOf } from './edge-counts';
import { FLOW_COPY_COLUMNS, flowToRow } from './flow-row';

/**
 * One flow made ready for writing as soon as it is received: its COPY tuple and the few values the
 * writer needs, all strings and numbers, so that a batch waiting for the database holds no decoded
 * objects (which are large, and expensive to collect once they have aged into the old generation).
 */
export interface PreparedRow {
  /**
   * The `flows` row as one binary COPY tuple (copy-binary.ts). Bytes outside the JS heap: rows wait
   * for their batch long enough to be promoted into V8's old generation, and as strings they made
   * most of the collector's heap and its garbage-collection work (peak RSS over 400 MiB).
   */
  readonly tuple: Buffer;
  /** The flow's time as received (RFC 3339). */
  readonly time: string;
  /** The time as seconds and nanos, for ordering. */
  readonly seconds: number;
  readonly nanos: number;
  /** The unique key (time, flow_key), for dropping repeats inside a batch. */
  readonly key: string;
  /** The edge rollup key (edgeKeyOf). */
  readonly edge: string;
  /** The response itself, kept only when a live subscription takes it (server/live's claim). */
  readonly response?: FlowsResponse;
}

/** Responses made ready for writing: the storable rows, and how many carried no storable flow. */
export interface PreparedFlows {
  rows: readonly PreparedRow[];
  /** Responses that carried no storable flow (no flow, or a flow without a valid time). */
  skipped: number;
}

/**
 * The row for one response, or undefined when it carries no storable flow. `keepResponse` keeps
 * the object itself for the live bus; without it the response can be collected at once.
 */
export function prepareFlow(response: FlowsResponse, keepResponse = false): PreparedRow | undefined {
  const time = response.flow?.time;
  const ts = time ? parseTimestamp(time) : undefined;
  const row = ts && flowToRow(response);
  if (!row || !ts) return undefined;
  return {
    tuple: copyRow(row, FLOW_COPY_COLUMNS), time: time as string, seconds: ts.seconds, nanos: ts.nanos,
    key: `${time}\u0000${row[1] as string}`, edge: edgeKeyOf(row), response: keepResponse ? response : undefined,
  };
}

/** Prepares a whole array of responses (import, tests); a flow that cannot be made a row is skipped, alone. */
export function prepareFlows(responses: readonly FlowsResponse[]): PreparedFlows {
  const rows: PreparedRow[] = [];
  let skipped = 0;
  for (const response of responses) {
    let row: PreparedRow | undefined;
    try {
      row = prepareFlow(response);
    } catch {
      // A value no column can hold (copy-binary.ts says which); the caller counts it with the skipped.
    }
    if (row) rows.push(row);
    else skipped++;
  }
  return { rows, skipped };
}


/** Whether row a's time is later than row b's. */
export function isLater(a: Pick<PreparedRow, 'seconds' | 'nanos'>, b: Pick<PreparedRow, 'seconds' | 'nanos'>): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);
}
