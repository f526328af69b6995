/**
 * Scripted incidents of the demo cluster, so the dashboard has something to find: a policy update
 * that starts dropping traffic, a DNS failure, a backend answering 503. Incidents are windows of
 * time; the traffic generator asks which are active for each whole second.
 *
 * The default timeline repeats every 20 minutes, counted from the Unix epoch, so every instance
 * (and every test) agrees on when an incident runs: at :02, :22 and :42 past each hour (UTC) the
 * policy change starts, and so on.
 */

export const INCIDENT_NAMES = ['policy-change', 'dns-failure', 'backend-503'] as const;
export type IncidentName = (typeof INCIDENT_NAMES)[number];

/** An incident active over [fromMs, toMs), milliseconds since the epoch. */
export interface IncidentWindow {
  name: IncidentName;
  fromMs: number;
  toMs: number;
}

/** An incident planned relative to a start (HUBBLE_DEMO_INCIDENTS: `name@+<delay>/<duration>`). */
export interface IncidentPlan {
  name: IncidentName;
  delayMs: number;
  durationMs: number;
}

/** The windows of planned incidents for a start at `startMs`. */
export function scheduleDemoIncidents(plans: readonly IncidentPlan[], startMs: number): IncidentWindow[] {
  return plans.map((p) => incidentWindow(p.name, startMs + p.delayMs, startMs + p.delayMs + p.durationMs));
}

/** An incident of the repeating timeline, as offsets from the start of a cycle. */
export interface TimelineEntry {
  name: IncidentName;
  fromOffsetMs: number;
  toOffsetMs: number;
}

const MINUTE_MS = 60_000;

export const DEFAULT_CYCLE_MS = 20 * MINUTE_MS;
/** Cycles start at this instant and every DEFAULT_CYCLE_MS after (and before) it. */
export const DEFAULT_CYCLE_EPOCH_MS = 0;

export const DEFAULT_TIMELINE: readonly TimelineEntry[] = [
  { name: 'policy-change', fromOffsetMs: 2 * MINUTE_MS, toOffsetMs: 7 * MINUTE_MS },
  { name: 'dns-failure', fromOffsetMs: 10 * MINUTE_MS, toOffsetMs: 12 * MINUTE_MS },
  { name: 'backend-503', fromOffsetMs: 15 * MINUTE_MS, toOffsetMs: 19 * MINUTE_MS },
];

/** What each incident does to the traffic, for people and for tests that look for it. */
export const INCIDENT_DESCRIPTIONS: Readonly<Record<IncidentName, string>> = {
  'policy-change':
    'CiliumNetworkPolicy shop/api-ingress is updated without frontend among its allowed sources: frontend → api on TCP 8080 '
    + 'is DROPPED (POLICY_DENIED, ingress_denied_by shop/api-ingress) and the ingress controller gets 502s from frontend.',
  'dns-failure':
    'CoreDNS fails to resolve payments.payments.svc.cluster.local. for checkout: bursts of NXDOMAIN (rcode 3) and SERVFAIL '
    + '(rcode 2) answers, and checkout stops calling payments.',
  'backend-503':
    'checkout (api\'s backend) answers 503 Service Unavailable to most requests, and api passes 503s on to frontend.',
};

/** Bit of an incident in an activity mask. */
export function incidentBit(name: IncidentName): number {
  switch (name) {
    case 'policy-change':
      return 1;
    case 'dns-failure':
      return 2;
    case 'backend-503':
      return 4;
  }
}

export function isIncidentName(value: string): value is IncidentName {
  return (INCIDENT_NAMES as readonly string[]).includes(value);
}

/** An incident over an explicit window, e.g. `incidentWindow('policy-change', now, now + 60_000)`. */
export function incidentWindow(name: IncidentName, fromMs: number, toMs: number): IncidentWindow {
  if (!isIncidentName(name)) throw new Error(`unknown incident ${String(name)}; known: ${INCIDENT_NAMES.join(', ')}`);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) {
    throw new Error(`invalid incident window ${name} [${fromMs}, ${toMs})`);
  }
  return { name, fromMs, toMs };
}

/** The default timeline's concrete windows that overlap [fromMs, toMs). */
export function defaultTimelineWindows(fromMs: number, toMs: number): IncidentWindow[] {
  const out: IncidentWindow[] = [];
  const first = Math.floor((fromMs - DEFAULT_CYCLE_EPOCH_MS) / DEFAULT_CYCLE_MS) - 1;
  for (let cycle = first; DEFAULT_CYCLE_EPOCH_MS + cycle * DEFAULT_CYCLE_MS < toMs; cycle++) {
    const start = DEFAULT_CYCLE_EPOCH_MS + cycle * DEFAULT_CYCLE_MS;
    for (const e of DEFAULT_TIMELINE) {
      const w = { name: e.name, fromMs: start + e.fromOffsetMs, toMs: start + e.toOffsetMs };
      if (w.fromMs < toMs && w.toMs > fromMs) out.push(w);
    }
  }
  return out;
}

/** Which incidents are active when; part of a traffic source's configuration. */
export interface IncidentSchedule {
  /** Explicit windows (the default timeline's are implied when `defaultTimeline`). */
  readonly windows: readonly IncidentWindow[];
  readonly defaultTimeline: boolean;
  /** Bit mask (see {@link incidentBit}) of the incidents active at `ms`. */
  maskAt(ms: number): number;
  /** Names of the incidents active at `ms`, in INCIDENT_NAMES order. */
  activeAt(ms: number): IncidentName[];
}

export function createIncidentSchedule(opts: { incidents?: readonly IncidentWindow[]; defaultTimeline?: boolean } = {}): IncidentSchedule {
  const windows = (opts.incidents ?? []).map((w) => incidentWindow(w.name, w.fromMs, w.toMs));
  const defaultTimeline = opts.defaultTimeline ?? true;
  const maskAt = (ms: number): number => {
    let mask = 0;
    for (const w of windows) if (ms >= w.fromMs && ms < w.toMs) mask |= incidentBit(w.name);
    if (defaultTimeline) {
      const offset = (((ms - DEFAULT_CYCLE_EPOCH_MS) % DEFAULT_CYCLE_MS) + DEFAULT_CYCLE_MS) % DEFAULT_CYCLE_MS;
      for (const e of DEFAULT_TIMELINE) if (offset >= e.fromOffsetMs && offset < e.toOffsetMs) mask |= incidentBit(e.name);
    }
    return mask;
  };
  return {
    windows,
    defaultTimeline,
    maskAt,
    activeAt: (ms) => INCIDENT_NAMES.filter((n) => (maskAt(ms) & incidentBit(n)) !== 0),
  };
}
