import type { InvestigationKind, InvestigationSummary } from '../../lib/api/investigations';

export const KIND_NAMES: Readonly<Record<InvestigationKind, string>> = { flows: 'Flows', map: 'Service map', 'drop-group': 'Drop group' };

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * A truncated snapshot's total is counted after the create answers, by the process that made it;
 * a count not done after this long will not be (that process stopped), and the page stops waiting.
 */
export const COUNT_WAIT_MS = 15 * 60_000;

type Counted = Pick<InvestigationSummary, 'truncated' | 'matchingFlows' | 'createdAt'>;

/** Whether the total of a truncated snapshot may still arrive. */
export function stillCounting(s: Counted, nowMs: number): boolean {
  return s.truncated && s.matchingFlows === null && nowMs - Date.parse(s.createdAt) < COUNT_WAIT_MS;
}

/** What the snapshot holds, in a sentence: how many flows, and what the cap left out. */
export function snapshotText(s: Counted & Pick<InvestigationSummary, 'flowCount' | 'flowCap'>, nowMs: number): string {
  const frozen = `${fmt(s.flowCount)} flow${s.flowCount === 1 ? '' : 's'} frozen`;
  if (!s.truncated) return `${frozen}: every flow that matched in the window (an investigation keeps up to ${fmt(s.flowCap)}).`;
  const matched = s.matchingFlows !== null ? `${fmt(s.matchingFlows)} matched`
    : stillCounting(s, nowMs) ? 'more matched (still counting how many)' : 'more matched (the total was not counted)';
  return `${frozen}, the newest ones: ${matched}, and an investigation keeps at most ${fmt(s.flowCap)}. The exports hold the frozen flows only.`;
}

/** Flow count for the list: `1,234` or `50,000 of 1,200,000`. */
export function flowCountText(s: Pick<InvestigationSummary, 'flowCount' | 'truncated' | 'matchingFlows'>): string {
  if (!s.truncated) return fmt(s.flowCount);
  return s.matchingFlows === null ? `${fmt(s.flowCount)} of more` : `${fmt(s.flowCount)} of ${fmt(s.matchingFlows)}`;
}
