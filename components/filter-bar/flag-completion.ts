/**
 * What the flags box can complete at the cursor: a flag name (`--na` → `--namespace`) or the value
 * of the flag before it (`--namespace sh`, `--label=k8s:a`, `-nsh`), where those values come from
 * (the stored data through /api/flow-values, or a fixed list the CLI defines), and the text after
 * a completion is taken, quoted by shell rules.
 */
import type { FlowValueField } from '../../lib/api/flow-values';
import { TCP_FLAG_NAMES } from '../../lib/flow/flow';
import { FILTER_FLAG_NAMES } from '../../lib/filter/observe-flags';
import { MESSAGE_TYPES, RESERVED_IDENTITIES, TRACE_SUBTYPES } from '../../lib/filter/observe-values';
import { shellQuote } from '../../lib/filter/print-observe-args';
import { flagOccurrences, readFlagWord } from './flag-occurrences';
import { shellWordsAt } from './shell-words-at';

/** A completion to offer at the cursor: replace `text.slice(start, end)`, where `typed` was typed. */
export type CompletionContext =
  | { kind: 'flag'; typed: string; start: number; end: number }
  | { kind: 'value'; flag: string; typed: string; start: number; end: number };

/** Where a flag's values come from. */
export type ValueSource = { api: FlowValueField } | { list: readonly string[] };

const sides = (name: string) => [name, `from-${name}`, `to-${name}`];
const API_FIELDS: ReadonlyArray<[readonly string[], FlowValueField]> = [
  [sides('namespace'), 'namespace'], [sides('pod'), 'pod'], [sides('workload'), 'workload'], [sides('label'), 'label'],
  [sides('service'), 'service'], [sides('fqdn'), 'fqdn'], [[...sides('ip'), 'snat-ip'], 'ip'], [sides('port'), 'port'],
  [sides('cluster'), 'cluster'], [['node-name'], 'node'], [['verdict'], 'verdict'], [['drop-reason-desc'], 'drop_reason'],
  [['protocol'], 'protocol'],
];

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];
/** Go durations (`hubble observe --since` has no `d` unit). */
const DURATIONS = ['5m', '15m', '1h', '6h', '24h', '168h'];
const LISTS: Readonly<Record<string, readonly string[]>> = {
  'traffic-direction': ['ingress', 'egress'],
  type: [...MESSAGE_TYPES.keys(), ...TRACE_SUBTYPES.map((s) => `trace:${s}`)],
  'http-method': HTTP_METHODS,
  'tcp-flags': TCP_FLAG_NAMES.map((f) => f.toLowerCase()),
  'ip-version': ['4', '6', 'none'],
  since: DURATIONS,
  until: DURATIONS,
  ...Object.fromEntries(sides('identity').map((f) => [f, [...RESERVED_IDENTITIES.keys()]])),
};

/** Where the values of `flag` (long name) come from, if anywhere. */
export function valueSource(flag: string): ValueSource | undefined {
  const api = API_FIELDS.find(([flags]) => flags.includes(flag));
  if (api) return { api: api[1] };
  const list = LISTS[flag];
  return list ? { list } : undefined;
}

/** Flags offered by name, the everyday ones first; `--first`, `--last` and `--follow` do not apply to pages. */
const COMMON = ['namespace', 'pod', 'verdict', 'label', 'workload', 'port', 'protocol', 'drop-reason-desc', 'not', 'to-namespace', 'from-namespace'];
export const FLAG_NAMES: readonly string[] = [...new Set([
  ...COMMON, ...FILTER_FLAG_NAMES, 'since', 'until', 'all', 'allowlist', 'denylist',
])].map((n) => `--${n}`);

/** The long name of the flag whose value a word like `-nsh` or `-n=sh` starts, and where the value starts. */
function attachedShort(raw: string): { flag: string; at: number } | undefined {
  const m = /^-([A-Za-z0-9])(=?)/.exec(raw);
  if (!m) return undefined;
  const read = readFlagWord(`-${m[1]}`);
  if (!read.takesNext || read.flags.length !== 1) return undefined;
  return { flag: read.flags[0].spec.name, at: m[0].length };
}

/**
 * The completion at `cursor`, or undefined where there is nothing to complete. What was typed is
 * read from the text before the cursor; the completion replaces the whole word, or only up to the
 * cursor when the word's quote is still open (the rest of the line is inside it).
 */
export function completionAt(text: string, cursor: number): CompletionContext | undefined {
  const head = text.slice(0, cursor);
  const words = shellWordsAt(head);
  const current = words.length > 0 && words[words.length - 1].end === head.length ? words[words.length - 1] : undefined;
  const last = flagOccurrences(current ? words.slice(0, -1) : words).at(-1);
  const whole = current && shellWordsAt(text.slice(current.start))[0];
  const start = current?.start ?? cursor;
  const end = current && whole && !whole.open ? current.start + whole.end : cursor;
  if (last?.missingValue) {
    const flags = last.flags;
    return { kind: 'value', flag: flags[flags.length - 1].spec.name, typed: current?.value ?? '', start, end };
  }
  // Only a word being typed that starts like a flag is completed; an empty spot offers nothing.
  if (!current || !current.value.startsWith('-') || current.value === '--') return undefined;
  const raw = head.slice(current.start);
  if (raw.startsWith('--')) {
    const eq = raw.indexOf('=');
    if (eq < 0) return { kind: 'flag', typed: current.value, start, end };
    const value = shellWordsAt(raw.slice(eq + 1))[0]?.value ?? '';
    return { kind: 'value', flag: raw.slice(2, eq), typed: value, start: start + eq + 1, end };
  }
  if (raw === '-') return { kind: 'flag', typed: raw, start, end };
  const short = attachedShort(raw);
  // `-n` alone is a whole flag; its value follows after a space.
  if (!short || raw.length === 2) return undefined;
  const value = shellWordsAt(raw.slice(short.at))[0]?.value ?? '';
  return { kind: 'value', flag: short.flag, typed: value, start: start + short.at, end };
}

/** `candidates` that contain `typed` (case-insensitive), those starting with it first. */
export function matchCandidates(candidates: readonly string[], typed: string, limit: number): string[] {
  const t = typed.toLowerCase();
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(t));
  const contains = candidates.filter((c) => !c.toLowerCase().startsWith(t) && c.toLowerCase().includes(t));
  return [...new Set([...starts, ...contains])].slice(0, limit);
}

/** The text and cursor after taking `choice` for the completion `ctx`. */
export function applyCompletion(text: string, ctx: CompletionContext, choice: string): { text: string; cursor: number } {
  const insert = ctx.kind === 'flag' ? choice : shellQuote(choice);
  const after = text.slice(ctx.end);
  // A flag that takes a value, or a finished value, is followed by a space so typing can go on.
  const wantsSpace = ctx.kind === 'value' || readFlagWord(choice).takesNext || choice === '--not';
  const space = wantsSpace && !/^\s/.test(after) ? ' ' : '';
  const next = `${text.slice(0, ctx.start)}${insert}${space}${after}`;
  return { text: next, cursor: ctx.start + insert.length + (wantsSpace ? 1 : 0) };
}
