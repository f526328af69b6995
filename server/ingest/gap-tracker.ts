/**
 * Decides which intervals become gaps: relay outages (from the moment the stream broke until it
 * was back), lost_events the relay reports, and history a resumed stream could not give back.
 * The last is judged per node, as each node keeps its own ring buffer: a busy node may have
 * overwritten what a quiet one still holds. Pure: the clock is passed in, nothing is written.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { RelayState } from '../../lib/ingest/ingest-status';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import type { GapRecord } from '../store/ingest-records';

/** Rounding to the column's microseconds must not look like a hole between two stored flows. */
const RESUME_SLACK_NS = 1_000n;

function ns(text: string | undefined): bigint | undefined {
  const ts = text ? parseTimestamp(text) : undefined;
  return ts ? timestampToNs(ts) : undefined;
}

export interface ResumeSuspect {
  /** Our newest stored flow when the stream was (re)opened. */
  from: string;
  /** The node's first flow in the resumed stream, later than `from`. */
  to: string;
  /** The node it came from ('' when flows carry no node name). */
  node: string;
}

/** Nodes remembered per resumed stream; beyond this, further nodes are not checked. */
const MAX_NODES = 10_000;

export class GapTracker {
  private outage: { fromMs: number; error?: string } | undefined;
  private resume: { from: string; fromNs: bigint; nodesSeen: Set<string> } | undefined;

  constructor(private readonly relay: string, private readonly clock: () => number) {}

  /** Follows the follower's state; returns the outage gap once the relay is back. */
  onState(state: RelayState, lastError?: string): GapRecord | undefined {
    switch (state) {
      case 'reconnecting':
        this.outage ??= { fromMs: this.clock(), error: lastError };
        return undefined;
      case 'connected':
        return this.closeOutage('');
      case 'connecting':
        return undefined;
      case 'stopped':
        return this.closeOutage('; the collector stopped before it came back');
    }
  }

  /** A stream is being opened that asks for flows from `resumePoint` (our newest stored flow). */
  onStreamOpening(resumePoint: string | undefined): void {
    const fromNs = ns(resumePoint);
    this.resume = resumePoint !== undefined && fromNs !== undefined ? { from: resumePoint, fromNs, nodesSeen: new Set() } : undefined;
  }

  /**
   * Call for every flow; for a node's first flow in a resumed stream that is later than the resume
   * point, returns the interval in between, which is a gap unless the node still holds older flows
   * (the interval was merely quiet there): the caller asks the relay before recording it.
   */
  onFlow(time: string | undefined, node = ''): ResumeSuspect | undefined {
    const resume = this.resume;
    if (!resume || !time || resume.nodesSeen.has(node) || resume.nodesSeen.size >= MAX_NODES) return undefined;
    resume.nodesSeen.add(node);
    const toNs = ns(time);
    if (toNs === undefined || toNs <= resume.fromNs + RESUME_SLACK_NS) return undefined;
    return { from: resume.from, to: time, node };
  }

  /** The not-recovered gap for a suspect interval; `nodeOldest` is the oldest flow the node still holds. */
  notRecovered(suspect: ResumeSuspect, nodeOldest: string | undefined): GapRecord | undefined {
    const oldestNs = ns(nodeOldest);
    const fromNs = ns(suspect.from) as bigint;
    if (oldestNs !== undefined && oldestNs <= fromNs + RESUME_SLACK_NS) return undefined;
    const why = oldestNs === undefined ? 'the relay did not say what it still holds' : `its oldest flow is ${nodeOldest}`;
    const where = suspect.node ? `node ${suspect.node}` : 'the relay';
    return {
      relay: this.relay, kind: 'not-recovered', fromTime: suspect.from, toTime: suspect.to,
      detail: `${where} no longer holds the flows between our newest stored flow and its first flow after resuming (${why})`,
    };
  }

  /** A lost_events response as a gap from the newest flow received before it to when it was reported. */
  lostEvents(response: FlowsResponse, newestFlowTime: string | undefined): GapRecord | undefined {
    const lost = response.lost_events;
    if (!lost) return undefined;
    const reportedAt = response.time ?? new Date(this.clock()).toISOString();
    const from = newestFlowTime !== undefined && (ns(newestFlowTime) ?? 0n) <= (ns(reportedAt) ?? 0n) ? newestFlowTime : reportedAt;
    const count = Number(lost.num_events_lost ?? 0);
    return {
      relay: this.relay, kind: 'lost-events', fromTime: from, toTime: reportedAt,
      lostFlows: Number.isSafeInteger(count) ? count : undefined,
      detail: `${String(lost.source ?? 'UNKNOWN_LOST_EVENT_SOURCE')} on ${response.node_name ?? 'an unnamed node'}`,
    };
  }

  private closeOutage(suffix: string): GapRecord | undefined {
    const outage = this.outage;
    this.outage = undefined;
    if (!outage) return undefined;
    return {
      relay: this.relay, kind: 'relay-unreachable', fromTime: outage.fromMs, toTime: Math.max(outage.fromMs, this.clock()),
      detail: `${outage.error ?? 'relay unreachable'}${suffix}`,
    };
  }
}

/** Folds a burst of lost_events into one gap: the range widens and the counts add up. */
export function mergeLostEvents(previous: GapRecord, next: GapRecord): GapRecord | undefined {
  if (previous.kind !== 'lost-events' || next.kind !== 'lost-events' || previous.relay !== next.relay) return undefined;
  const details = new Set([...(previous.detail ?? '').split(', '), ...(next.detail ?? '').split(', ')].filter(Boolean));
  return {
    ...previous,
    toTime: next.toTime,
    lostFlows: previous.lostFlows !== undefined && next.lostFlows !== undefined ? previous.lostFlows + next.lostFlows : undefined,
    detail: [...details].join(', '),
  };
}
