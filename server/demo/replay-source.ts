/**
 * `--replay FILE`: a TrafficSource that plays back a `hubble observe -o jsonpb` capture as if it
 * were happening now. Recorded times are shifted so the first flow plays at `startMs`, scaled by
 * `speed`, and the capture loops; every loop after the first gets fresh, deterministic uuids so a
 * collector that deduplicates by uuid keeps them.
 */
import { readFileSync } from 'node:fs';
import type { Flow } from '../../lib/flow/flow';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import { formatTimestamp, parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { logger } from '../log/logger';
import type { DemoNode, TrafficSource } from './traffic-source';

export interface ReplayOptions {
  /** When the first recorded flow plays (ms since the epoch); Date.now() by default. */
  startMs?: number;
  /** 2 plays twice as fast as recorded; default 1. */
  speed?: number;
  /** Pause between the last flow of one loop and the first of the next, in played ms (default 1,000). */
  loopGapMs?: number;
  /** Used for flows that name neither a node nor a cluster. */
  defaultNodeName?: string;
}

/** A replayed capture; `skippedLines` counts lines that were not flows. */
export interface ReplaySource extends TrafficSource {
  readonly recordedFlows: number;
  readonly skippedLines: number;
  /** Played length of one loop, gap included, in ms. */
  readonly loopMs: number;
}

interface Recorded { flow: Flow; offsetMs: number; nanosRemainder: number }

const log = logger('replay-source');
const MAX_LINE_WARNINGS = 10;

/** Reads a jsonpb capture file; see createReplaySourceFromText. */
export function loadReplaySource(file: string, options: ReplayOptions = {}): ReplaySource {
  return createReplaySourceFromText(readFileSync(file, 'utf8'), { ...options }, file);
}

/** Plays jsonpb lines (one GetFlowsResponse per line); bad lines and non-flow events are skipped. */
export function createReplaySourceFromText(text: string, options: ReplayOptions = {}, label = 'replay'): ReplaySource {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`replay speed must be > 0, got ${speed}`);
  const { flows, skipped } = parseCapture(text, label, options.defaultNodeName ?? 'replay/node');
  if (flows.length === 0) throw new Error(`${label}: no flows to replay`);
  const recorded = toOffsets(flows, speed);
  const last = recorded[recorded.length - 1];
  const loopMs = last.offsetMs + (options.loopGapMs ?? 1000);
  const startMs = options.startMs ?? Date.now();
  const nodes = uniqueNodes(flows);
  const namespaces = [...new Set(flows.flatMap((f) => [f.source?.namespace, f.destination?.namespace]).filter(
    (ns): ns is string => !!ns,
  ))].sort();
  const clusterName = flows.map((f) => f.source?.cluster_name ?? f.node_name?.split('/')[0]).find(Boolean) ?? 'default';
  log.info({ file: label, flows: recorded.length, skipped, loopMs, speed }, 'replay loaded');

  function flowsBetween(fromMs: number, toMs: number): Flow[] {
    const out: Flow[] = [];
    if (toMs <= fromMs) return out;
    const firstLoop = Math.max(0, Math.floor((fromMs - startMs) / loopMs));
    for (let loop = firstLoop; startMs + loop * loopMs < toMs; loop++) {
      const base = startMs + loop * loopMs;
      for (let i = lowerBound(recorded, fromMs - base); i < recorded.length; i++) {
        const r = recorded[i];
        if (base + r.offsetMs >= toMs) break;
        out.push(played(r, base, loop));
      }
    }
    return out;
  }

  return { clusterName, nodes, namespaces, flowsBetween, recordedFlows: recorded.length, skippedLines: skipped, loopMs };
}

function parseCapture(text: string, label: string, defaultNode: string): { flows: Flow[]; skipped: number } {
  const flows: Flow[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    try {
      const { response } = flowsResponseFromJson(line);
      const time = response.flow?.time ?? response.time;
      if (!response.flow || !time || !parseTimestamp(time)) {
        skipped++;
        return;
      }
      flows.push({ ...response.flow, time, node_name: response.flow.node_name ?? response.node_name ?? defaultNode });
    } catch (err) {
      skipped++;
      if (skipped <= MAX_LINE_WARNINGS) log.warn({ file: label, line: index + 1, err: (err as Error).message }, 'skipping line');
    }
  });
  if (skipped > MAX_LINE_WARNINGS) log.warn({ file: label, skipped }, 'skipped lines that were not flows');
  // Captures are usually in time order; sort anyway so playback is, keeping file order for ties.
  const ns = new Map(flows.map((f) => [f, timestampToNs(parseTimestamp(f.time as string)!)]));
  flows.sort((a, b) => (ns.get(a)! < ns.get(b)! ? -1 : ns.get(a)! > ns.get(b)! ? 1 : 0));
  return { flows, skipped };
}

function toOffsets(flows: Flow[], speed: number): Recorded[] {
  const firstNs = timestampToNs(parseTimestamp(flows[0].time as string)!);
  return flows.map((flow) => {
    const playedNs = Number(timestampToNs(parseTimestamp(flow.time as string)!) - firstNs) / speed;
    const offsetMs = Math.floor(playedNs / 1e6);
    return { flow, offsetMs, nanosRemainder: Math.round(playedNs - offsetMs * 1e6) };
  });
}

function played(r: Recorded, baseMs: number, loop: number): Flow {
  const ms = baseMs + r.offsetMs;
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(999_999_999, (ms - seconds * 1000) * 1e6 + r.nanosRemainder);
  const flow: Flow = { ...r.flow, time: formatTimestamp({ seconds, nanos }) };
  if (loop > 0 && flow.uuid) flow.uuid = loopUuid(flow.uuid, loop);
  return flow;
}

/** First index whose offset is ≥ offsetMs. */
function lowerBound(recorded: Recorded[], offsetMs: number): number {
  let lo = 0;
  let hi = recorded.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (recorded[mid].offsetMs < offsetMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function uniqueNodes(flows: Flow[]): DemoNode[] {
  const names = [...new Set(flows.map((f) => f.node_name as string))].sort();
  return names.map((name) => ({ name, address: '' }));
}

/** A version-4-shaped uuid derived from the original and the loop number (FNV-1a, four rounds). */
function loopUuid(uuid: string, loop: number): string {
  let hex = '';
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round;
    for (const ch of `${uuid}#${loop}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
