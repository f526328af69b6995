/**
 * Where a (re)opened stream starts: the newest flow already accepted (this process) or stored
 * (an earlier one), minus a small overlap. The relay merges its nodes' streams, so a flow can
 * arrive a little after a newer one; asking from slightly earlier costs a few duplicates, which
 * the store ignores, and loses nothing.
 */
import type { FlowsQuery } from '../../lib/flow/observer';
import { compareTimestamps, formatTimestamp, parseTimestamp, type Timestamp } from '../../lib/time/timestamp';
import type { RelayClient } from '../hubble/relay-client';
import type { Db } from '../store/db';
import { readResumePoint } from '../store/ingest-records';

/** `hubble observe --all`: on a first start every flow the relay still holds is taken. */
export const ALL_FLOWS = Number.MAX_SAFE_INTEGER;

/** The later of two RFC 3339 times (either may be missing). */
export function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  const ta = a ? parseTimestamp(a) : undefined;
  const tb = b ? parseTimestamp(b) : undefined;
  if (!ta) return tb ? b : a;
  if (!tb) return a;
  return compareTimestamps(tb, ta) > 0 ? b : a;
}

/** An RFC 3339 time moved by `deltaMs`, at nanosecond precision. */
export function shiftTime(text: string, deltaMs: number): string {
  const ts = parseTimestamp(text);
  if (!ts) throw new RangeError(`not an RFC 3339 timestamp: ${text}`);
  const totalNs = BigInt(ts.seconds) * 1_000_000_000n + BigInt(ts.nanos) + BigInt(Math.round(deltaMs * 1e6));
  const seconds = totalNs / 1_000_000_000n - (totalNs % 1_000_000_000n < 0n ? 1n : 0n);
  const shifted: Timestamp = { seconds: Number(seconds), nanos: Number(totalNs - seconds * 1_000_000_000n) };
  return formatTimestamp(shifted);
}

/** The GetFlows query for a stream that should continue after `resumePoint`. */
export function resumeQuery(resumePoint: string | undefined, overlapMs: number): FlowsQuery {
  return resumePoint === undefined ? { number: ALL_FLOWS } : { since: shiftTime(resumePoint, -overlapMs) };
}

export interface RetryReadOptions {
  /** Without collector_state, resume from this cluster's newest stored flow rather than the newest of all. */
  cluster?: string;
  signal: AbortSignal;
  onError: (err: unknown, retryInMs: number) => void;
  onRecovered?: () => void;
  retryMs?: number;
}

/** The stored resume point, retried while the database is unavailable; undefined once aborted. */
export async function readStoredResumePoint(db: Db, relay: string, opts: RetryReadOptions): Promise<string | undefined> {
  let failed = false;
  while (!opts.signal.aborted) {
    try {
      const point = await readResumePoint(db, relay, opts.cluster);
      if (failed) opts.onRecovered?.();
      return point;
    } catch (err) {
      failed = true;
      const retryInMs = opts.retryMs ?? 1_000;
      opts.onError(err, retryInMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, retryInMs);
        function done() {
          clearTimeout(timer);
          opts.signal.removeEventListener('abort', done);
          resolve();
        }
        opts.signal.addEventListener('abort', done, { once: true });
      });
    }
  }
  return undefined;
}

/**
 * The oldest flow a node still holds (`--first 1 --node-name <node>`; all nodes when `node` is
 * empty, where a real relay answers one per node: the earliest counts), or undefined when it holds
 * none or the relay does not answer within `timeoutMs`.
 */
export async function oldestHeldFlowTime(client: RelayClient, node: string, timeoutMs: number): Promise<string | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const query: FlowsQuery = { first: true, number: 1, ...(node && { whitelist: [{ node_name: [node] }] }) };
  let oldest: Timestamp | undefined;
  let oldestText: string | undefined;
  try {
    for await (const response of client.getFlows(query, abort.signal)) {
      const text = response.flow?.time;
      const ts = text ? parseTimestamp(text) : undefined;
      if (ts && (!oldest || compareTimestamps(ts, oldest) < 0)) {
        oldest = ts;
        oldestText = text;
      }
    }
    return abort.signal.aborted ? undefined : oldestText;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
