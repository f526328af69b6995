/**
 * Undoing the CLI's namespace flags for the printer. The CLI keeps `--namespace` (applied to the
 * left filter's source and the right filter's destination), `--from-namespace` and
 * `--to-namespace` (applied to both filters' source / destination) aside; when it builds the
 * filters it prefixes every pod/service value without a `/` with each namespace, and gives a side
 * with no pod and no service the pod `ns/`. Here we guess the namespace flags, work back to the
 * pod and service values the other flags must have written, and let the printer verify the result.
 */
import type { FlowFilter } from './flow-filter';

/** One guess of namespace flags: `ns` (plain, exclusive with the others), `src` and `dst`. */
export interface NamespaceGuess { ns: string[]; src: string[]; dst: string[] }

type Side = 'source' | 'destination';
type Kind = 'pod' | 'service';
/** The four places namespaces apply: left/right filter × source/destination. */
type Place = 'ls' | 'rs' | 'ld' | 'rd';
const PLACES: readonly Place[] = ['ls', 'rs', 'ld', 'rd'];
const sideOf = (p: Place): Side => (p[1] === 's' ? 'source' : 'destination');

const strings = (f: FlowFilter, k: keyof FlowFilter): string[] =>
  (Array.isArray(f[k]) ? (f[k] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
const values = (f: FlowFilter, side: Side, kind: Kind) => strings(f, `${side}_${kind}`);

/** Namespace lists that could have produced one side: its `ns/`-only pods, its prefixes, each prefix. */
function sideGuesses(f: FlowFilter, side: Side): string[][] {
  const pods = values(f, side, 'pod');
  const out: string[][] = [];
  if (values(f, side, 'service').length === 0 && pods.length > 0 && pods.every((v) => /^[^/]*\/$/.test(v))) out.push(pods.map((v) => v.slice(0, -1)));
  const distinct: string[] = [];
  for (const v of [...pods, ...values(f, side, 'service')]) {
    const slash = v.indexOf('/');
    if (slash >= 0 && !distinct.includes(v.slice(0, slash))) distinct.push(v.slice(0, slash));
  }
  out.push(distinct, ...distinct.map((ns) => [ns]));
  for (const list of [pods, values(f, side, 'service')]) out.push(firstRun(list));
  return out;
}

/** The prefixes of the leading run `a/x`, `b/x`, ... (one value namespaced by each of a, b, ...). */
function firstRun(list: readonly string[]): string[] {
  const slash = list.length > 0 ? list[0].indexOf('/') : -1;
  if (slash < 0) return [];
  const rest = list[0].slice(slash);
  const run: string[] = [];
  for (const v of list) {
    if (!v.endsWith(rest) || v.indexOf('/') !== v.length - rest.length) break;
    run.push(v.slice(0, v.length - rest.length));
  }
  return run;
}

function unique(lists: string[][]): string[][] {
  const seen = new Set<string>();
  return lists.filter((l) => l.length > 0 && !seen.has(JSON.stringify(l)) && seen.add(JSON.stringify(l)));
}

/** Guesses worth trying for a left/right pair (the "no namespace flags" guess is not included). */
export function namespaceGuesses(left: FlowFilter, right: FlowFilter): NamespaceGuess[] {
  const out: NamespaceGuess[] = unique(sideGuesses(left, 'source')).map((ns) => ({ ns, src: [], dst: [] }));
  const srcs = unique([...sideGuesses(right, 'source'), ...sideGuesses(left, 'source')]);
  const dsts = unique([...sideGuesses(left, 'destination'), ...sideGuesses(right, 'destination')]);
  for (const src of srcs) for (const dst of dsts) out.push({ ns: [], src, dst });
  for (const src of srcs) out.push({ ns: [], src, dst: [] });
  for (const dst of dsts) out.push({ ns: [], src: [], dst });
  return out;
}

const expand = (v: string, ns: readonly string[]) => (ns.length === 0 || v.includes('/') ? [v] : ns.map((n) => `${n}/${v}`));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Values `p` the flags may have written such that namespacing them with `nx` gives `x` and with
 * `ny` gives `y` (a small backtracking search; lists are short).
 */
function preimage(x: readonly string[], nx: readonly string[], y: readonly string[], ny: readonly string[]): string[] | undefined {
  if (x.length === 0 || y.length === 0) return x.length === 0 && y.length === 0 ? [] : undefined;
  // Un-namespaced first: the CLI refuses an explicit `ns/pod` next to a service without namespace.
  const candidates = new Set<string>();
  if (nx.length > 0 && x[0].startsWith(`${nx[0]}/`)) candidates.add(x[0].slice(nx[0].length + 1));
  candidates.add(x[0]);
  for (const p of candidates) {
    const ex = expand(p, nx);
    const ey = expand(p, ny);
    if (!sameList(x.slice(0, ex.length), ex) || !sameList(y.slice(0, ey.length), ey)) continue;
    const rest = preimage(x.slice(ex.length), nx, y.slice(ey.length), ny);
    if (rest !== undefined) return [p, ...rest];
  }
  return undefined;
}

type Lists = Record<Place, Record<Kind, string[]>>;

/** Pre-namespace lists for one kind: plain flags (`--pod`) or from/to flags (`--from-pod`, `--to-pod`). */
function solveKind(fin: Lists, n: Record<Place, string[]>, kind: Kind): Record<Place, string[]> | undefined {
  const { ls, rs, ld, rd } = { ls: fin.ls[kind], rs: fin.rs[kind], ld: fin.ld[kind], rd: fin.rd[kind] };
  if (rs.length === 0 && ld.length === 0) {
    const plain = preimage(ls, n.ls, rd, n.rd);
    if (plain !== undefined) return { ls: plain, rs: [], ld: [], rd: plain };
  }
  const from = preimage(rs, n.rs, ls, n.ls);
  const to = preimage(ld, n.ld, rd, n.rd);
  return from && to ? { ls: from, rs: from, ld: to, rd: to } : undefined;
}

/** Every way `filters` could have been built under `g`, as pre-namespace left/right pairs. */
export function stripNamespaces(left: FlowFilter, right: FlowFilter, g: NamespaceGuess): [FlowFilter, FlowFilter][] {
  const n: Record<Place, string[]> = { ls: g.ns.length > 0 ? g.ns : g.src, rs: g.src, ld: g.dst, rd: g.ns.length > 0 ? g.ns : g.dst };
  const filterOf = (p: Place) => (p[0] === 'l' ? left : right);
  // A place whose pods are exactly `ns/` for each namespace, with no service, may be the CLI's default.
  const defaultable = PLACES.filter((p) => n[p].length > 0 && values(filterOf(p), sideOf(p), 'service').length === 0
    && sameList(values(filterOf(p), sideOf(p), 'pod'), n[p].map((ns) => `${ns}/`)));
  const out: [FlowFilter, FlowFilter][] = [];
  for (let mask = 0; mask < 1 << defaultable.length; mask++) {
    const fin = {} as Lists;
    for (const p of PLACES) {
      const defaulted = defaultable.some((d, i) => d === p && (mask & (1 << i)) === 0);
      fin[p] = { pod: defaulted ? [] : values(filterOf(p), sideOf(p), 'pod'), service: values(filterOf(p), sideOf(p), 'service') };
    }
    const pods = solveKind(fin, n, 'pod');
    const services = solveKind(fin, n, 'service');
    if (pods && services) out.push([rebuild(left, 'l', pods, services), rebuild(right, 'r', pods, services)]);
  }
  return out;
}

function rebuild(f: FlowFilter, which: 'l' | 'r', pods: Record<Place, string[]>, services: Record<Place, string[]>): FlowFilter {
  const out: Record<string, unknown> = { ...f };
  const set = (k: string, v: string[]) => (v.length > 0 ? (out[k] = v) : delete out[k]);
  set('source_pod', pods[`${which}s`]);
  set('destination_pod', pods[`${which}d`]);
  set('source_service', services[`${which}s`]);
  set('destination_service', services[`${which}d`]);
  return out as FlowFilter;
}

/** The flags of a guess: `--namespace x`, `--from-all-namespaces` (for a lone ""), ... */
export function namespaceFlags(g: NamespaceGuess): string[][] {
  const flags = (prefix: string, list: string[]) => (list.length === 1 && list[0] === ''
    ? [[`--${prefix}all-namespaces`]]
    : list.map((n) => [`--${prefix}namespace`, n]));
  return [...flags('', g.ns), ...flags('from-', g.src), ...flags('to-', g.dst)];
}
