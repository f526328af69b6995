/**
 * A planner hint for the snapshot copy. The copy wants the newest matching flows, in (time,
 * flow_key) order, and stops at the cap. When every matching flow has one and the same verdict,
 * saying `verdict = <n>` in so many words lets PostgreSQL walk the (verdict, time) index backwards
 * and read only the flows it keeps; the compiled filter spells verdicts as `verdict = ANY(...)`,
 * which the planner cannot use for ordering, so it would otherwise walk every flow of the window
 * newest first (ten times as many rows for drops at a 10% drop rate). The hint is redundant: it
 * only states what the filter already implies.
 */
import { Verdict } from '../../lib/flow/enums';
import type { FlowFilter, FlowFilterSet } from '../../lib/filter/flow-filter';

const DROPPED = Verdict.byName.get('DROPPED')!;

/** The verdict column values a filter admits; undefined when it admits any. */
function filterVerdicts(filter: FlowFilter): Set<number> | undefined {
  let admitted: Set<number> | undefined;
  const verdicts = filter.verdict;
  if (Array.isArray(verdicts) && verdicts.length > 0) {
    const numbers = verdicts.map((v) => (typeof v === 'number' ? v : Verdict.byName.get(v)));
    // 0 (and what a smallint cannot hold) shares the column value 0 with unknown names: no hint.
    if (numbers.some((n) => n === undefined || n === 0 || !Number.isInteger(n) || n < -32768 || n > 32767)) return undefined;
    admitted = new Set(numbers as number[]);
  }
  // A drop reason only matches DROPPED flows (lib/filter/match-flow.ts).
  if (Array.isArray(filter.drop_reason_desc) && filter.drop_reason_desc.length > 0) {
    admitted = admitted ? new Set([...admitted].filter((n) => n === DROPPED)) : new Set([DROPPED]);
  }
  return admitted;
}

/** The one verdict number every flow the filters select has, if there is one. */
export function impliedVerdict(filters: FlowFilterSet): number | undefined {
  if (filters.whitelist.length === 0) return undefined;
  const all = new Set<number>();
  for (const filter of filters.whitelist) {
    const admitted = filterVerdicts(filter);
    if (!admitted) return undefined;
    for (const n of admitted) all.add(n);
  }
  return all.size === 1 ? [...all][0] : undefined;
}
