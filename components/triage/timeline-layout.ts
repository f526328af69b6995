/**
 * The day's timeline as plain geometry, computed apart from rendering: bars of flows and drops per
 * minute, gaps shaded over both bands, relay outages on their own lane, the "new" window marked,
 * and hour ticks. d3 provides the scales; React draws the result.
 */
import { scaleLinear, scaleTime } from 'd3';
import type { TriageGap, TriageOutage, TriageTimeline } from '../../lib/api/triage';

export const TIMELINE_WIDTH = 960;
const LEFT = 56;
const RIGHT = 8;
const FLOWS_TOP = 4;
const FLOWS_HEIGHT = 64;
const DROPS_TOP = FLOWS_TOP + FLOWS_HEIGHT + 6;
const DROPS_HEIGHT = 48;
const LANE_TOP = DROPS_TOP + DROPS_HEIGHT + 6;
const LANE_HEIGHT = 8;
const AXIS_TOP = LANE_TOP + LANE_HEIGHT + 14;
export const TIMELINE_HEIGHT = AXIS_TOP + 4;
/** Narrower intervals would vanish; a 30 s outage on a day-wide axis still shows. */
const MIN_MARK_WIDTH = 2;

export interface TimelineBar {
  x: number;
  width: number;
  since: string;
  until: string;
  flowsPerMin: number;
  dropsPerMin: number;
  flowsY: number;
  flowsHeight: number;
  dropsY: number;
  dropsHeight: number;
}

export interface TimelineMark<T> {
  x: number;
  width: number;
  item: T;
}

export interface TimelineLayout {
  bars: TimelineBar[];
  gaps: TimelineMark<TriageGap>[];
  outages: TimelineMark<TriageOutage>[];
  /** The recent window ("new in the last 15 minutes"). */
  recent: { x: number; width: number };
  ticks: { x: number; time: Date }[];
  maxFlowsPerMin: number;
  maxDropsPerMin: number;
  geometry: {
    left: number; right: number; flowsTop: number; flowsHeight: number; dropsTop: number; dropsHeight: number;
    laneTop: number; laneHeight: number; axisTop: number;
  };
}

/** Where the day's data sits on the SVG; `recentSince` starts the marked recent window. */
export function timelineLayout(
  timeline: TriageTimeline, gaps: readonly TriageGap[], outages: readonly TriageOutage[], recentSince: string,
): TimelineLayout {
  const sinceMs = Date.parse(timeline.window.since);
  const untilMs = Date.parse(timeline.window.until);
  const bucketMs = timeline.bucketMinutes * 60_000;
  const x = scaleTime().domain([new Date(sinceMs), new Date(untilMs)]).range([LEFT, TIMELINE_WIDTH - RIGHT]).clamp(true);
  const rates = timeline.points.map((p) => {
    const startMs = Date.parse(p.time);
    // The bucket in progress covers less than its full length so far.
    const minutes = Math.max(1, (Math.min(startMs + bucketMs, untilMs) - startMs) / 60_000);
    return { p, startMs, endMs: Math.min(startMs + bucketMs, untilMs), flows: p.flows / minutes, drops: p.drops / minutes };
  });
  const maxFlowsPerMin = Math.max(0, ...rates.map((r) => r.flows));
  const maxDropsPerMin = Math.max(0, ...rates.map((r) => r.drops));
  const yFlows = scaleLinear().domain([0, maxFlowsPerMin || 1]).range([0, FLOWS_HEIGHT]);
  const yDrops = scaleLinear().domain([0, maxDropsPerMin || 1]).range([0, DROPS_HEIGHT]);
  const bars = rates.map((r): TimelineBar => {
    const x0 = x(new Date(r.startMs));
    const flowsHeight = yFlows(r.flows);
    const dropsHeight = yDrops(r.drops);
    return {
      x: x0, width: Math.max(1, x(new Date(r.endMs)) - x0 - 0.5), since: new Date(r.startMs).toISOString(),
      until: new Date(r.endMs).toISOString(), flowsPerMin: r.flows, dropsPerMin: r.drops,
      flowsY: FLOWS_TOP + FLOWS_HEIGHT - flowsHeight, flowsHeight, dropsY: DROPS_TOP + DROPS_HEIGHT - dropsHeight, dropsHeight,
    };
  });
  const mark = <T extends { from: string; to: string }>(item: T): TimelineMark<T> => {
    const x0 = x(new Date(item.from));
    return { x: x0, width: Math.max(MIN_MARK_WIDTH, x(new Date(item.to)) - x0), item };
  };
  const recentX = x(new Date(recentSince));
  return {
    bars,
    gaps: gaps.map(mark),
    outages: outages.map(mark),
    recent: { x: recentX, width: x(new Date(untilMs)) - recentX },
    ticks: x.ticks(8).map((time) => ({ x: x(time), time })),
    maxFlowsPerMin,
    maxDropsPerMin,
    geometry: {
      left: LEFT, right: TIMELINE_WIDTH - RIGHT, flowsTop: FLOWS_TOP, flowsHeight: FLOWS_HEIGHT, dropsTop: DROPS_TOP,
      dropsHeight: DROPS_HEIGHT, laneTop: LANE_TOP, laneHeight: LANE_HEIGHT, axisTop: AXIS_TOP,
    },
  };
}
