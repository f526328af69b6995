/**
 * How an edge looks: red when anything on it was dropped, amber for application errors (HTTP 5xx,
 * DNS failures, Kafka errors, ERROR verdicts), grey otherwise; its width grows with the log of its
 * rate, so a 1,000 flows/s edge is thicker than a 1 flow/s one without hiding it.
 */
import type { ServiceMapCount, ServiceMapEdge } from '../../lib/api/service-map';
import type { VerdictName } from '../../lib/flow/enums';

export type EdgeTone = 'drop' | 'error' | 'ok';

const DROPPED: VerdictName = 'DROPPED';
const ERROR: VerdictName = 'ERROR';

/** DNS answers other than NOERROR, by the names the rollups give rcodes. */
const DNS_FAILURES = /\b(FORMERR|SERVFAIL|NXDOMAIN|NOTIMP|REFUSED|YXDOMAIN|YXRRSET|NXRRSET|NOTAUTH|NOTZONE)\b/i;

export const countOf = (list: readonly ServiceMapCount[], key: string) => list.find((c) => c.key === key)?.flows ?? 0;

export const droppedFlows = (e: Pick<ServiceMapEdge, 'verdicts'>) => countOf(e.verdicts, DROPPED);

/**
 * Whether an L7 summary key (lib/service-map/edge-summary.ts: `HTTP 5xx`, `DNS NXDOMAIN`,
 * `DNS rcode 16`, `Kafka error 3`) reports a failure: a 5xx class, a failed DNS answer, a Kafka
 * error code.
 */
export function isL7Failure(key: string): boolean {
  let failure = l7Failures.get(key);
  if (failure === undefined) {
    failure = /(^|\s)5xx$/.test(key) || DNS_FAILURES.test(key) || /^dns rcode [1-9]\d*$/i.test(key) || /^kafka\s+(error\s+)?-?[1-9]\d*$/i.test(key);
    // The same few keys come back on every edge of every tick; a map that stops growing at a bound.
    if (l7Failures.size < 10_000) l7Failures.set(key, failure);
  }
  return failure;
}

const l7Failures = new Map<string, boolean>();

/** Flows with an application-level failure on the edge. */
export function failedFlows(e: Pick<ServiceMapEdge, 'verdicts' | 'l7'>): number {
  return countOf(e.verdicts, ERROR) + e.l7.filter((c) => isL7Failure(c.key)).reduce((s, c) => s + c.flows, 0);
}

export function edgeTone(e: Pick<ServiceMapEdge, 'verdicts' | 'l7'>): EdgeTone {
  if (droppedFlows(e) > 0) return 'drop';
  return failedFlows(e) > 0 ? 'error' : 'ok';
}

/** What sorting and drawing read of an edge, computed once per edge object. */
export interface EdgeTrouble {
  dropped: number;
  failed: number;
  tone: EdgeTone;
}

const troubles = new WeakMap<object, EdgeTrouble>();

/**
 * The drops, failures and tone of an edge, cached by object: sorts compare thousands of edges
 * many times, and the query cache hands unchanged edges over as the same objects on live ticks.
 */
export function edgeTrouble(e: Pick<ServiceMapEdge, 'verdicts' | 'l7'>): EdgeTrouble {
  let t = troubles.get(e);
  if (!t) {
    const dropped = droppedFlows(e);
    const failed = failedFlows(e);
    t = { dropped, failed, tone: dropped > 0 ? 'drop' : failed > 0 ? 'error' : 'ok' };
    troubles.set(e, t);
  }
  return t;
}

export const EDGE_MIN_WIDTH = 1;
export const EDGE_MAX_WIDTH = 8;

/**
 * Stroke width for a rate in flows/s: 1 at nothing, about 3 at 1/s, 4.5 at 10/s, 8 from 1,000/s.
 * Half-pixel steps: finer ones are invisible, and a live tick would restyle every edge for them.
 */
export function edgeWidth(flowsPerS: number): number {
  const rate = Number.isFinite(flowsPerS) && flowsPerS > 0 ? flowsPerS : 0;
  const width = EDGE_MIN_WIDTH + 1.75 * Math.log10(1 + rate * 10);
  return Math.round(Math.min(EDGE_MAX_WIDTH, width) * 2) / 2;
}

/** A rate for people: `0.02/s`, `3.4/s`, `1,250/s`. */
export function formatRate(flowsPerS: number): string {
  if (flowsPerS >= 100) return `${Math.round(flowsPerS).toLocaleString('en-US')}/s`;
  if (flowsPerS >= 1) return `${flowsPerS.toFixed(1)}/s`;
  return `${flowsPerS.toPrecision(1)}/s`;
}
