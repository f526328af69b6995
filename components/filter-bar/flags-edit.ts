/**
 * The quick toggles and the namespace and cluster pickers as edits of the flags text. The text
 * stays the one source of truth: a control reads its state from the flags (as lib/filter parses
 * them) and an edit adds or removes whole flag occurrences, leaving everything else exactly as
 * typed, then checks the result with the same parser. Where the flags mean something a control
 * cannot show (a negated verdict, `--from-namespace`, `--allowlist` filters ORed with the flags),
 * the control is fixed and says why instead of guessing.
 */
import { ShellWordsError, splitShellWords } from '../../lib/api/shell-words';
import { Verdict } from '../../lib/flow/enums';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { parseObserveArgs, type ObserveRequest } from '../../lib/filter/observe-args';
import { ObserveArgsError } from '../../lib/filter/observe-args-error';
import { shellQuote } from '../../lib/filter/print-observe-args';
import { flagOccurrences, occurrenceSpan, type FlagOccurrence, type ScannedFlag } from './flag-occurrences';
import { shellWordsAt } from './shell-words-at';

/** The flags the quick toggles edit. */
export type ToggleFlag = 'verdict' | 'protocol' | 'traffic-direction';

/** The values each toggle group offers, as the flag takes them. */
export const TOGGLE_OPTIONS: { readonly [F in ToggleFlag]: readonly string[] } = {
  verdict: Verdict.names.filter((n) => n !== 'VERDICT_UNKNOWN'),
  protocol: ['tcp', 'udp', 'icmp', 'sctp', 'http', 'dns', 'kafka'],
  'traffic-direction': ['ingress', 'egress'],
};

const FILTER_FIELD: { readonly [F in ToggleFlag]: keyof FlowFilter } = {
  verdict: 'verdict', protocol: 'protocol', 'traffic-direction': 'traffic_direction',
};

/** Verdicts are exact enum names; the other flags are case-insensitive. */
const normalize = (flag: ToggleFlag, value: string) => (flag === 'verdict' ? value : value.toLowerCase());

/** What a control can show: the values the flags select, and whether the control may edit them. */
export type FlagControlState =
  | { editable: true; selected: readonly string[] }
  | { editable: false; reason: string; selected: readonly string[] };

/** Every control's state for one flags text. */
export interface FlagsState {
  /** The parser's message when the text is not valid flags (every control is then fixed). */
  error?: string;
  toggles: { readonly [F in ToggleFlag]: FlagControlState };
  namespaces: FlagControlState;
  clusters: FlagControlState;
}

/** The flags a picker edits: each selects flows with either side in any of its values. */
export type PickerFlag = 'namespace' | 'cluster';

/** An edit's outcome: the new text, or the parser's reason for refusing it. */
export type FlagsEdit = { ok: true; text: string } | { ok: false; error: string };

/** The flags text as the API reads it; throws ObserveArgsError or ShellWordsError. */
function parseText(text: string): ObserveRequest {
  return parseObserveArgs(splitShellWords(text));
}

function parseError(text: string): string | undefined {
  try {
    parseText(text);
    return undefined;
  } catch (e) {
    if (e instanceof ObserveArgsError || e instanceof ShellWordsError) return e.message;
    throw e;
  }
}

const fixed = (reason: string, selected: readonly string[] = []): FlagControlState => ({ editable: false, reason, selected });

/** Every flag of the text with its occurrence. */
function scanned(occurrences: readonly FlagOccurrence[]): Array<ScannedFlag & { occurrence: FlagOccurrence }> {
  return occurrences.flatMap((occurrence) => occurrence.flags.map((f) => ({ ...f, occurrence })));
}

const ALLOWLIST_REASON = 'the flags include --allowlist filters, which are ORed with the other flags; edit the text';

function toggleState(flag: ToggleFlag, flags: ReturnType<typeof scanned>, request: ObserveRequest): FlagControlState {
  const mine = flags.filter((f) => f.spec.name === flag);
  const selected = [...new Set(mine.filter((f) => !f.negated).map((f) => normalize(flag, f.value)))];
  if (flags.some((f) => f.spec.name === 'allowlist')) return fixed(ALLOWLIST_REASON, selected);
  const negated = mine.find((f) => f.negated);
  if (negated) return fixed(`--not --${flag} ${negated.value} excludes rather than selects; edit the text`, selected);
  const field = FILTER_FIELD[flag];
  if (request.filters.blacklist.some((f) => f[field] !== undefined)) return fixed(`a --denylist filter sets ${field}; edit the text`, selected);
  const other = selected.find((v) => !TOGGLE_OPTIONS[flag].includes(v));
  if (other !== undefined) return fixed(`--${flag} ${other} has no toggle; edit the text`, selected);
  return { editable: true, selected };
}

/** Flags a picker cannot show next to its own: one side only, or every value. */
const ONE_SIDED: { readonly [F in PickerFlag]: readonly string[] } = {
  namespace: ['from-namespace', 'to-namespace', 'all-namespaces', 'from-all-namespaces', 'to-all-namespaces'],
  cluster: ['from-cluster', 'to-cluster'],
};

function pickerState(flag: PickerFlag, flags: ReturnType<typeof scanned>): FlagControlState {
  const selected = [...new Set(flags.filter((f) => f.spec.name === flag && !f.negated).map((f) => f.value))];
  if (flags.some((f) => f.spec.name === 'allowlist')) return fixed(ALLOWLIST_REASON, selected);
  const other = flags.find((f) => ONE_SIDED[flag].includes(f.spec.name) || (f.spec.name === flag && f.negated));
  if (other) {
    const shown = `${other.negated ? '--not ' : ''}--${other.spec.name}`;
    return fixed(`${shown} is not something the picker can show (it sets --${flag}, either side); edit the text`, selected);
  }
  return { editable: true, selected };
}

/** The state of every control for `text`. */
export function readFlagsState(text: string): FlagsState {
  let request: ObserveRequest;
  try {
    request = parseText(text);
  } catch (e) {
    if (!(e instanceof ObserveArgsError || e instanceof ShellWordsError)) throw e;
    const reason = `fix the flags first: ${e.message}`;
    const toggles = { verdict: fixed(reason), protocol: fixed(reason), 'traffic-direction': fixed(reason) };
    return { error: e.message, toggles, namespaces: fixed(reason), clusters: fixed(reason) };
  }
  const flags = scanned(flagOccurrences(shellWordsAt(text)));
  return {
    toggles: {
      verdict: toggleState('verdict', flags, request),
      protocol: toggleState('protocol', flags, request),
      'traffic-direction': toggleState('traffic-direction', flags, request),
    },
    namespaces: pickerState('namespace', flags),
    clusters: pickerState('cluster', flags),
  };
}

/** A flag as text: `--name value`, `--name` for its no-value default, else `--name=value`. */
function flagText({ spec, value }: ScannedFlag): string {
  if (spec.noOptDefVal === undefined) return `--${spec.name} ${shellQuote(value)}`;
  return value === spec.noOptDefVal ? `--${spec.name}` : `--${spec.name}=${shellQuote(value)}`;
}

/** One replacement of a text range. */
interface Splice { start: number; end: number; insert: string }

/** Applies non-overlapping splices and tidies the whitespace they leave. */
function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) {
    const before = out.slice(0, s.start);
    const after = out.slice(s.end);
    if (s.insert === '') out = `${before.replace(/[ \t]+$/, '')}${before.trim() && after.trim() ? ' ' : ''}${after.replace(/^[ \t]+/, '')}`;
    else out = `${before}${before && !/\s$/.test(before) ? ' ' : ''}${s.insert}${after && !/^\s/.test(after) ? ' ' : ''}${after}`;
  }
  return out.trim();
}

/** Where a new flag goes when nothing better fits: the end, before a `--` that ends the flags. */
function endOf(text: string, occurrences: readonly FlagOccurrence[]): number {
  const terminator = occurrences.find((o) => o.flags.length === 0 && o.words[0].value === '--');
  return terminator ? terminator.words[0].start : text.trimEnd().length;
}

function checked(text: string): FlagsEdit {
  const error = parseError(text);
  return error === undefined ? { ok: true, text } : { ok: false, error };
}

/**
 * Checks (`on`) or unchecks one toggle value: adds `--<flag> <value>` after the flag's last
 * occurrence (or at the end), or removes every occurrence selecting that value.
 */
export function setToggle(text: string, flag: ToggleFlag, value: string, on: boolean): FlagsEdit {
  const state = readFlagsState(text);
  const control = state.toggles[flag];
  if (!control.editable) return { ok: false, error: control.reason };
  const want = normalize(flag, value);
  if (control.selected.includes(want) === on) return { ok: true, text };
  const occurrences = flagOccurrences(shellWordsAt(text));
  const mine = occurrences.filter((o) => o.flags.length === 1 && o.flags[0].spec.name === flag && !o.flags[0].negated);
  if (on) {
    const at = mine.length > 0 ? occurrenceSpan(mine[mine.length - 1]).end : endOf(text, occurrences);
    return checked(applySplices(text, [{ start: at, end: at, insert: `--${flag} ${shellQuote(want)}` }]));
  }
  const removed = mine.filter((o) => normalize(flag, o.flags[0].value) === want);
  return checked(applySplices(text, removed.map((o) => ({ ...occurrenceSpan(o), insert: '' }))));
}

/**
 * Makes the plain `--<flag>` flags exactly `values` (none: every value). The new flags take the
 * place of the first old one; other flags that shared a word with it (`-4nshop`) are kept,
 * written out long.
 */
function setPicked(text: string, flag: PickerFlag, values: readonly string[]): FlagsEdit {
  const state = readFlagsState(text);
  const control = flag === 'namespace' ? state.namespaces : state.clusters;
  if (!control.editable) return { ok: false, error: control.reason };
  const occurrences = flagOccurrences(shellWordsAt(text));
  const splices: Splice[] = [];
  for (const o of occurrences) {
    if (!o.flags.some((f) => f.spec.name === flag)) continue;
    const kept = o.flags.filter((f) => f.spec.name !== flag);
    splices.push({ ...occurrenceSpan(o), insert: kept.map(flagText).join(' ') });
  }
  const wanted = [...new Set(values)].map((v) => `--${flag} ${shellQuote(v)}`).join(' ');
  if (wanted !== '') {
    const at = splices.length > 0 ? splices[0].start : 0;
    if (splices.length > 0 && splices[0].insert === '') splices[0] = { ...splices[0], insert: wanted };
    else if (splices.length > 0) splices[0] = { ...splices[0], insert: `${wanted} ${splices[0].insert}` };
    else splices.push({ start: at, end: at, insert: wanted });
  }
  return checked(applySplices(text, splices));
}

/** Makes the plain `--namespace` flags exactly `namespaces` (none: all namespaces). */
export function setNamespaces(text: string, namespaces: readonly string[]): FlagsEdit {
  return setPicked(text, 'namespace', namespaces);
}

/**
 * Makes the plain `--cluster` flags exactly `clusters` (none: all clusters): flows with either side
 * in a picked cluster, as `hubble observe --cluster a --cluster b` selects them.
 */
export function setClusters(text: string, clusters: readonly string[]): FlagsEdit {
  return setPicked(text, 'cluster', clusters);
}
