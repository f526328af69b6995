/**
 * The inverse of the CLI's filter tracker: given the one or two FlowFilters a run of filter flags
 * should produce (left and right, or a single collapsed filter), find flags that produce exactly
 * them. Candidates are built from the field tables below and always checked by parsing them back,
 * so a filter that flags cannot express (a `reply` field, an unknown enum number, conflicting
 * flags) simply yields no flags and is printed as `--allowlist` JSON instead.
 */
import type { FlowFilter } from './flow-filter';
import { parseObserveArgs } from './observe-args';
import { ObserveArgsError } from './observe-args-error';
import { filterKey } from './observe-raw-filters';
import { namespaceFlags, namespaceGuesses, stripNamespaces } from './print-observe-namespaces';
import { BOTH, SPLIT, flag, isString, type FlagOccurrence, type SplitField } from './print-observe-values';

const list = (f: FlowFilter, k: keyof FlowFilter): unknown[] => (Array.isArray(f[k]) ? (f[k] as unknown[]) : []);
const same = (a: unknown, b: unknown) => filterKey(a as FlowFilter) === filterKey(b as FlowFilter);

/** Greedily removes `sub` (as a subsequence) from `values`; undefined when it is not one. */
function without(values: unknown[], sub: unknown[]): unknown[] | undefined {
  const rest: unknown[] = [];
  let k = 0;
  for (const v of values) {
    if (k < sub.length && same(v, sub[k])) k++;
    else rest.push(v);
  }
  return k === sub.length ? rest : undefined;
}

/**
 * Whether `values` interleaves `a` and `b` (order kept within each); if so, for each `b` value,
 * how many `a` values come before it.
 */
function interleaving(values: unknown[], a: unknown[], b: unknown[]): number[] | undefined {
  if (values.length !== a.length + b.length) return undefined;
  const dead = new Set<number>();
  const before: number[] = [];
  const go = (i: number, j: number): boolean => {
    if (i + j === values.length) return true;
    if (dead.has(i * (b.length + 1) + j)) return false;
    if (i < a.length && same(values[i + j], a[i]) && go(i + 1, j)) return true;
    if (j < b.length && same(values[i + j], b[j])) {
      before[j] = i;
      if (go(i, j + 1)) return true;
    }
    dead.add(i * (b.length + 1) + j);
    return false;
  };
  return go(0, 0) ? before : undefined;
}

/**
 * Flags for one two-sided field: `--from-x` values are the right filter's source list, `--to-x`
 * values the left filter's destination list, and plain `--x` values are interleaved with them on
 * the left's source and the right's destination. Only `--cluster` may mix with its `--from-`/`--to-`
 * forms, so values are emitted interleaved to keep their order.
 */
function splitFlags(left: FlowFilter, right: FlowFilter, s: SplitField): FlagOccurrence[] | undefined {
  const from = list(right, s.source);
  const to = list(left, s.destination);
  const leftSource = list(left, s.source);
  const rightDestination = list(right, s.destination);
  const plains = to.length === 0 ? [rightDestination] : from.length === 0 ? [leftSource]
    : [without(leftSource, from), without(rightDestination, to)];
  for (const plain of plains) {
    const src = plain && interleaving(leftSource, from, plain);
    const dst = plain && interleaving(rightDestination, to, plain);
    if (src && dst) return emitSplit(s, from, to, plain!, src, dst);
  }
  return undefined;
}

function emitSplit(
  s: SplitField, from: unknown[], to: unknown[], plain: unknown[], fromBefore: number[], toBefore: number[],
): FlagOccurrence[] | undefined {
  const text = s.text ?? ((v: unknown) => (isString(v) ? v : undefined));
  const out: (FlagOccurrence | undefined)[] = [];
  let f = 0;
  let t = 0;
  const flush = (fromUntil: number, toUntil: number) => {
    for (; f < fromUntil; f++) out.push(flag(`--from-${s.flag}`, text)(from[f]));
    for (; t < toUntil; t++) out.push(flag(`--to-${s.flag}`, text)(to[t]));
  };
  plain.forEach((v, i) => {
    flush(fromBefore[i], toBefore[i]);
    out.push(flag(`--${s.flag}`, text)(v));
  });
  flush(from.length, to.length);
  return out.every((o) => o !== undefined) ? (out as FlagOccurrence[]) : undefined;
}

/** Flags for a left/right pair (or a single filter passed twice); undefined when fields cannot be expressed. */
function candidate(left: FlowFilter, right: FlowFilter): FlagOccurrence[] | undefined {
  const out: FlagOccurrence[] = [];
  const handled = new Set<string>(['experimental']);
  for (const s of SPLIT) {
    handled.add(s.source).add(s.destination);
    const flags = splitFlags(left, right, s);
    if (flags === undefined) return undefined;
    out.push(...flags);
  }
  if (!same(left.experimental ?? {}, right.experimental ?? {})) return undefined;
  for (const cel of left.experimental?.cel_expression ?? []) out.push(['--cel-expression', cel]);
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)]) as Set<keyof FlowFilter>) {
    if (handled.has(key)) continue;
    const format = BOTH[key];
    if (format === undefined || !same(left[key], right[key])) return undefined;
    for (const v of list(left, key)) {
      const occurrence = format(v);
      if (occurrence === undefined) return undefined;
      out.push(occurrence);
    }
  }
  return out;
}

const NAMESPACE_FLAG: Record<string, string> = { '--pod': '', '--from-pod': 'from-', '--to-pod': 'to-' };

/** `--pod ns/` → `--namespace ns`, `--pod /` → `--all-namespaces` (and the from/to forms). */
function withNamespaces(flags: FlagOccurrence[]): FlagOccurrence[] {
  return flags.map((occurrence) => {
    const [name, value] = occurrence;
    const prefix = NAMESPACE_FLAG[name];
    if (prefix === undefined || value === undefined || !/^[^/]*\/$/.test(value)) return occurrence;
    return value === '/' ? [`--${prefix}all-namespaces`] : [`--${prefix}namespace`, value.slice(0, -1)];
  });
}

function reproduces(flags: FlagOccurrence[], target: FlowFilter[]): boolean {
  try {
    const got = parseObserveArgs(flags.flat()).filters;
    return got.blacklist.length === 0 && same(got.whitelist, target);
  } catch (e) {
    if (e instanceof ObserveArgsError) return false;
    throw e;
  }
}

/** Flag sets to try for a target (one filter, or left and right), prettiest first, lazily. */
function* options(target: FlowFilter[]): Generator<FlagOccurrence[]> {
  const left = target[0];
  const right = target[target.length - 1];
  const plain = candidate(left, right);
  if (plain !== undefined) yield* [withNamespaces(plain), plain];
  for (const guess of namespaceGuesses(left, right)) {
    for (const [l, r] of stripNamespaces(left, right, guess)) {
      const rest = candidate(l, r);
      if (rest !== undefined) yield [...namespaceFlags(guess), ...rest];
    }
  }
}

/**
 * Splits a whitelist (or blacklist) into leading filters that flags reproduce exactly (the flags
 * are returned) and the rest, which must go out as `--allowlist`/`--denylist` JSON.
 */
export function filterFlags(filters: readonly FlowFilter[]): { flags: FlagOccurrence[]; rest: FlowFilter[] } {
  const targets: FlowFilter[][] = [];
  if (filters.length >= 2) targets.push([filters[0], filters[1]]);
  if (filters.length >= 1) targets.push([filters[0]]);
  for (const target of targets) {
    for (const option of options(target)) {
      if (reproduces(option, target)) return { flags: option, rest: filters.slice(target.length) };
    }
  }
  return { flags: [], rest: [...filters] };
}
