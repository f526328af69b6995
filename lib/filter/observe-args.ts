/**
 * `hubble observe` arguments → the request the CLI would send: its filter flags become exactly the
 * FlowFilters the CLI builds (cilium v1.17 `hubble/cmd/observe/flows_filter.go`, `flows.go`), and
 * the selectors (`--since`, `--until`, `--last`, `--first`, `--all`, `--follow`) are kept as given
 * after the CLI's checks. Filter values are also checked the way Hubble's server checks them, so a
 * bad regexp or CIDR fails here, naming its flag, instead of at query time.
 */
import { FilterError } from './filter-error';
import type { FlowFilter, FlowFilterSet } from './flow-filter';
import { compileFlowFilter } from './match';
import { ObserveArgsError } from './observe-args-error';
import { flagDisplayName, scanObserveArgs, type FilterFlagName, type ObserveFlagSpec } from './observe-flags';
import { FlagValueError, goQuote, parseGoBool, parseGoUint } from './observe-go-values';
import { RawFilterError, parseRawFilters } from './observe-raw-filters';
import { FilterTracker, flagsWritingField } from './observe-tracker';
import { ObserveTimeError, parseObserveTime } from '../time/observe-time';

/** What a `hubble observe` command line asks for. Absent selectors were not given (or were 0/false). */
export interface ObserveRequest {
  /** Whitelist: the flag-built filters, then `--allowlist` entries; blacklist likewise with `--not` / `--denylist`. */
  filters: FlowFilterSet;
  /** As given: a Go duration (`3h`, meaning now minus 3h) or an absolute time; see lib/time/observe-time. */
  since?: string;
  /** As given, like `since`; dropped (and not checked) with `--follow`, as the CLI does. */
  until?: string;
  /** `--last N`, N > 0. */
  last?: number;
  /** `--first N`, N > 0. */
  first?: number;
  /** `--all`. */
  all?: boolean;
  /** `-f` / `--follow`. */
  follow?: boolean;
}

interface State {
  allow?: FilterTracker;
  deny?: FilterTracker;
  negating: boolean;
  since: string;
  until: string;
  last: bigint;
  first: bigint;
  all: boolean;
  follow: boolean;
  allowlist: string[];
  denylist: string[];
}

function setFilter(st: State, name: FilterFlagName, value: string): void {
  if (name === 'not') {
    if (st.negating) throw new FlagValueError('consecutive --not statements');
    st.negating = true;
    return;
  }
  const tracker = st.negating ? (st.deny ??= new FilterTracker()) : (st.allow ??= new FilterTracker());
  st.negating = false;
  tracker.set(name, value);
}

function count(value: string): bigint {
  const n = parseGoUint(value, 0, 64);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new FlagValueError(`value ${value} is above the largest supported count ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

function applyFlag(st: State, spec: ObserveFlagSpec, value: string): void {
  try {
    switch (spec.kind) {
      case 'filter': return setFilter(st, spec.name as FilterFlagName, value);
      case 'bool':
        if (spec.name === 'all') st.all = parseGoBool(value);
        else st.follow = parseGoBool(value);
        return;
      case 'count':
        if (spec.name === 'last') st.last = count(value);
        else st.first = count(value);
        return;
      case 'time':
        if (spec.name === 'since') st.since = value;
        else st.until = value;
        return;
      case 'raw':
        (spec.name === 'allowlist' ? st.allowlist : st.denylist).push(value);
        return;
    }
  } catch (e) {
    if (!(e instanceof FlagValueError)) throw e;
    const message = `invalid argument ${goQuote(value)} for ${goQuote(flagDisplayName(spec))} flag: ${e.message}`;
    throw new ObserveArgsError(message, `--${spec.name}`, { cause: e });
  }
}

function checkSelectors(st: State): void {
  const conflict = (a: string, b: string) => new ObserveArgsError(`cannot set both --${a} and --${b}`, `--${a}`);
  const first = st.first > 0n;
  const last = st.last > 0n;
  if (first && last) throw conflict('first', 'last');
  if (first && st.all) throw conflict('first', 'all');
  if (first && st.follow) throw conflict('first', 'follow');
  if (last && st.all) throw conflict('last', 'all');
  const check = (which: 'since' | 'until', text: string) => {
    try {
      parseObserveTime(text);
    } catch (e) {
      if (!(e instanceof ObserveTimeError)) throw e;
      throw new ObserveArgsError(`failed to parse the ${which} time: ${e.message}`, `--${which}`, { cause: e });
    }
  };
  if (st.since !== '') check('since', st.since);
  if (st.until !== '' && !st.follow) check('until', st.until);
}

/** One entry of the request's whitelist or blacklist and where it came from, for error messages. */
interface Entry { filter: FlowFilter; flags?: readonly string[]; raw?: string }

function entries(tracker: FilterTracker | undefined, raws: readonly string[], rawFlag: string): Entry[] {
  const out: Entry[] = (tracker?.flowFilters() ?? []).map((filter) => ({ filter, flags: tracker!.changed }));
  for (const raw of raws) {
    let filters: FlowFilter[];
    try {
      filters = parseRawFilters(raw);
    } catch (e) {
      if (!(e instanceof RawFilterError)) throw e;
      throw new ObserveArgsError(`invalid --${rawFlag} flag: failed to decode '${raw}': ${e.message}`, `--${rawFlag}`, { cause: e });
    }
    out.push(...filters.map((filter) => ({ filter, raw })));
  }
  return out;
}

/** Compiles an entry as Hubble's server would; CEL is left to whoever evaluates the request. */
function validate(entry: Entry, negated: boolean, rawFlag: string): void {
  const { experimental: _cel, ...rest } = entry.filter;
  try {
    compileFlowFilter(rest);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    if (entry.raw !== undefined) {
      throw new ObserveArgsError(`invalid --${rawFlag} flag: ${entry.raw}: ${e.message}`, `--${rawFlag}`, { cause: e });
    }
    const writers = flagsWritingField(e.field ?? '').filter((f) => entry.flags?.includes(f));
    const named = writers.map((f) => `${negated ? '--not ' : ''}--${f}`);
    const from = named.length > 0 ? ` (from ${named.join(', ')})` : '';
    throw new ObserveArgsError(`invalid filter${from}: ${e.message}`, writers.length > 0 ? `--${writers[0]}` : undefined, { cause: e });
  }
}

function toRequest(st: State, filters: FlowFilterSet): ObserveRequest {
  const req: ObserveRequest = { filters };
  if (st.since !== '') req.since = st.since;
  if (st.until !== '' && !st.follow) req.until = st.until;
  if (st.last > 0n) req.last = Number(st.last);
  if (st.first > 0n) req.first = Number(st.first);
  if (st.all) req.all = true;
  if (st.follow) req.follow = true;
  return req;
}

/**
 * Parses `hubble observe` arguments (without `hubble observe` itself) into an ObserveRequest.
 * Accepts every filter flag of hubble v1.17 in long and short form (`-n`, `-A`, `-l`, `-t`, `-4`,
 * `-6`, `-f`), `--flag value` and `--flag=value`, repeated flags, `--not`, `--allowlist` and
 * `--denylist` FlowFilter JSON, and the selectors. Throws ObserveArgsError, with the CLI's message
 * where it has one, for anything the CLI or Hubble's server would reject.
 */
export function parseObserveArgs(args: readonly string[]): ObserveRequest {
  const st: State = {
    negating: false, since: '', until: '', last: 0n, first: 0n, all: false, follow: false, allowlist: [], denylist: [],
  };
  scanObserveArgs(args, (spec, value) => applyFlag(st, spec, value));
  if (st.negating) throw new ObserveArgsError('trailing --not found in the arguments', '--not');
  checkSelectors(st);
  const allow = entries(st.allow, st.allowlist, 'allowlist');
  const deny = entries(st.deny, st.denylist, 'denylist');
  for (const e of allow) validate(e, false, 'allowlist');
  for (const e of deny) validate(e, true, 'denylist');
  return toRequest(st, { whitelist: allow.map((e) => e.filter), blacklist: deny.map((e) => e.filter) });
}

/** How many flows the CLI asks for, and from which end, given a request (`getFlowsRequest`). */
export interface ObserveLimit {
  /** GetFlowsRequest.number: `--first`/`--last` N, 2^64−1 for `--all`, 20 by default, 0 for "no limit". */
  number: bigint;
  /** GetFlowsRequest.first. */
  first: boolean;
}

/**
 * The CLI's defaults for `number`: `--all` means 2^64−1 and a bare command means `--last 20`, but
 * only when no time range and no `--first` is given; following or reading a file (`inputFile`)
 * drops the default.
 */
export function observeRequestLimit(req: ObserveRequest, options: { inputFile?: boolean } = {}): ObserveLimit {
  const first = (req.first ?? 0) > 0;
  let last = BigInt(req.last ?? 0);
  if (req.since === undefined && req.until === undefined && !first) {
    if (req.all) last = 2n ** 64n - 1n;
    else if (last === 0n && !req.follow && !options.inputFile) last = 20n;
  }
  return { number: first ? BigInt(req.first!) : last, first };
}
