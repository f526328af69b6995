'use client';

import { useMemo } from 'react';
import type { TriageHealth, TriageTimeline as Timeline } from '../../lib/api/triage';
import { clockTime, fullTime } from './clock-time';
import { formatRate } from './triage-model';
import { allFlowsHref, dropsHref } from './triage-links';
import { TIMELINE_HEIGHT, TIMELINE_WIDTH, timelineLayout } from './timeline-layout';

const GAP_KIND_TEXT = {
  'relay-unreachable': 'relay unreachable', 'lost-events': 'events lost', 'not-recovered': 'not recovered after reconnecting',
  'collector-dropped': 'dropped by the collector',
} as const;

interface Props {
  timeline: Timeline;
  health: TriageHealth;
  recentSince: string;
  /** The clusters counted (none: every cluster); the bars' links carry them. */
  clusters: readonly string[];
  nowMs: number;
}

/**
 * The last day at a glance: flows and drops per minute, gaps shaded across both bands, relay
 * outages on the lane below, the last 15 minutes marked. Each bar opens its flows (the drop bar,
 * its drops); the bars stay out of the tab order, as the tables above link the same places.
 */
export function TriageTimeline({ timeline, health, recentSince, clusters, nowMs }: Props) {
  const layout = useMemo(
    () => timelineLayout(timeline, health.gaps, health.outages, recentSince),
    [timeline, health.gaps, health.outages, recentSince],
  );
  const g = layout.geometry;
  const summary = `Flows per minute over the last 24 hours peak at ${formatRate(layout.maxFlowsPerMin)}, drops at `
    + `${formatRate(layout.maxDropsPerMin)}; ${health.gaps.length} gaps and ${health.outages.length} relay outages shown.`;
  return (
    <section className="panel triage-section" aria-labelledby="triage-timeline">
      <h2 id="triage-timeline">Last 24 hours</h2>
      <svg className="triage-timeline" viewBox={`0 0 ${TIMELINE_WIDTH} ${TIMELINE_HEIGHT}`} role="img" aria-label={summary}>
        <rect className="recent-window" x={layout.recent.x} y={0} width={layout.recent.width} height={g.axisTop - 10} />
        <text className="band-label" x={4} y={g.flowsTop + 12}>flows/min</text>
        <text className="band-label" x={4} y={g.flowsTop + 26}>{formatRate(layout.maxFlowsPerMin)}</text>
        <text className="band-label" x={4} y={g.dropsTop + 12}>drops/min</text>
        <text className="band-label" x={4} y={g.dropsTop + 26}>{formatRate(layout.maxDropsPerMin)}</text>
        <text className="band-label" x={4} y={g.laneTop + g.laneHeight}>relay</text>
        {layout.bars.map((b) => (
          <g key={b.since}>
            <a href={allFlowsHref(b, clusters)} tabIndex={-1}>
              <title>{`${clockTime(b.since, nowMs)}–${clockTime(b.until, nowMs)}: ${formatRate(b.flowsPerMin)} flows/min`}</title>
              <rect className="bar-flows" x={b.x} y={b.flowsY} width={b.width} height={Math.max(b.flowsHeight, 0)} />
            </a>
            {b.dropsHeight > 0 && (
              <a href={dropsHref(b, clusters)} tabIndex={-1}>
                <title>{`${clockTime(b.since, nowMs)}–${clockTime(b.until, nowMs)}: ${formatRate(b.dropsPerMin)} drops/min`}</title>
                <rect className="bar-drops" x={b.x} y={b.dropsY} width={b.width} height={b.dropsHeight} />
              </a>
            )}
          </g>
        ))}
        <line className="baseline" x1={g.left} x2={g.right} y1={g.flowsTop + g.flowsHeight} y2={g.flowsTop + g.flowsHeight} />
        <line className="baseline" x1={g.left} x2={g.right} y1={g.dropsTop + g.dropsHeight} y2={g.dropsTop + g.dropsHeight} />
        {layout.gaps.map((m, i) => (
          <rect key={`gap-${i}`} className="gap-mark" x={m.x} y={g.flowsTop} width={m.width} height={g.laneTop - g.flowsTop}>
            <title>{`Gap, ${GAP_KIND_TEXT[m.item.kind]}: ${fullTime(m.item.from)} – ${fullTime(m.item.to)}`
              + `${m.item.lostFlows !== null ? `, ${m.item.lostFlows.toLocaleString('en-US')} flows lost` : ''}`}</title>
          </rect>
        ))}
        {layout.outages.map((m, i) => (
          <rect key={`outage-${i}`} className="outage-mark" x={m.x} y={g.laneTop} width={m.width} height={g.laneHeight}>
            <title>{`Relay ${m.item.relay} unreachable ${fullTime(m.item.from)} – ${m.item.ongoing ? 'now' : fullTime(m.item.to)}`}</title>
          </rect>
        ))}
        {layout.ticks.map((t) => (
          <text key={t.time.getTime()} className="tick" x={t.x} y={g.axisTop} textAnchor="middle">
            {clockTime(t.time.toISOString(), nowMs)}
          </text>
        ))}
      </svg>
      <p className="muted legend">
        <span className="key key-flows" /> flows/min <span className="key key-drops" /> drops/min{' '}
        <span className="key key-gap" /> gap in the data <span className="key key-outage" /> relay unreachable{' '}
        <span className="key key-recent" /> last 15 minutes · bars of {timeline.bucketMinutes} minutes
      </p>
    </section>
  );
}
