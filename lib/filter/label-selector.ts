/**
 * Kubernetes label selectors over Cilium labels, as Hubble's `source_label`, `destination_label` and
 * `node_labels` filters evaluate them (`pkg/hubble/filters/labels.go`, `labelparser.go`, Cilium's
 * `LabelArray` and its slim copy of the apimachinery selector parser).
 *
 * A selector key may name a Cilium source (`k8s:app`, `reserved:world`); a key without one means
 * "this key from any source". Flow labels are `source:key=value` strings.
 */
import { FilterError } from './filter-error';
import { parseIPPrefix, prefixContains, type IPPrefix } from './ip-address';

/** One parsed Cilium label. `cidr` is set for `cidr:` labels whose key is a valid prefix. */
export interface CiliumLabel {
  readonly source: string;
  readonly key: string;
  readonly value: string;
  readonly cidr?: IPPrefix;
}

/** Selector operators, in the apimachinery `selection.Operator` spelling. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement; `target` is the key as a select label (source `any` when none was given). */
export interface LabelRequirement {
  readonly key: string;
  readonly target: CiliumLabel;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** A parsed selector: all requirements must match (an empty selector matches everything). */
export interface LabelSelector {
  readonly source: string;
  readonly requirements: readonly LabelRequirement[];
}

function cidrOf(source: string, key: string): IPPrefix | undefined {
  return source === 'cidr' ? parseIPPrefix(key.replace(/-/g, ':')) : undefined;
}

function label(source: string, key: string, value: string): CiliumLabel {
  const cidr = cidrOf(source, key);
  return cidr === undefined ? { source, key, value } : { source, key, value, cidr };
}

/** Parses a label string with Cilium's `ParseLabel` rules (`k8s:app=x`, `reserved:host`, `$host`, `app=x`). */
export function parseCiliumLabel(str: string, delimiter = ':'): CiliumLabel {
  let source = '';
  let next = str;
  if (str.startsWith('$')) {
    source = 'reserved';
    next = str.slice(1);
  } else {
    const i = str.indexOf(delimiter);
    if (i >= 0) {
      source = str.slice(0, i);
      next = str.slice(i + 1);
    } else if (delimiter !== '.' && str.startsWith('reserved.')) {
      source = 'reserved';
      next = str.slice('reserved.'.length);
    }
  }
  const eq = next.indexOf('=');
  const src = source === '' ? 'unspec' : source;
  if (eq < 0) return label(src, next, '');
  if (eq === 0 && source === 'reserved') return label(src, next.slice(1), '');
  return label(src, next.slice(0, eq), next.slice(eq + 1));
}

const parsedLabels = new WeakMap<readonly string[], readonly CiliumLabel[]>();
const NO_LABELS: readonly CiliumLabel[] = [];

/** Parses a flow's label list once (cached per array object). */
export function parseCiliumLabels(labels: readonly string[] | undefined): readonly CiliumLabel[] {
  if (labels === undefined || labels.length === 0) return NO_LABELS;
  let parsed = parsedLabels.get(labels);
  if (parsed === undefined) {
    parsed = labels.map((l) => parseCiliumLabel(l));
    parsedLabels.set(labels, parsed);
  }
  return parsed;
}

function hasKey(l: CiliumLabel, target: CiliumLabel): boolean {
  if (target.source !== 'any' && l.source !== target.source) return false;
  if (target.cidr && l.cidr && target.cidr.bits <= l.cidr.bits && prefixContains(target.cidr, l.cidr.addr)) return true;
  return l.key === target.key;
}

/** Cilium's `LabelArray.Get`: the value of the matching label that sorts first by key, if any. */
function getLabel(labels: readonly CiliumLabel[], target: CiliumLabel): CiliumLabel | undefined {
  let found: CiliumLabel | undefined;
  for (const l of labels) if (hasKey(l, target) && (found === undefined || l.key < found.key)) found = l;
  return found;
}

function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function requirementMatches(r: LabelRequirement, labels: readonly CiliumLabel[]): boolean {
  const found = getLabel(labels, r.target);
  switch (r.operator) {
    case 'in': case '=': case '==':
      return found !== undefined && r.values.includes(found.value);
    case 'notin': case '!=':
      return found === undefined || !r.values.includes(found.value);
    case 'exists':
      return found !== undefined;
    case '!':
      return found === undefined;
    case 'gt': case 'lt': {
      const have = found === undefined ? undefined : parseInt64(found.value);
      const want = parseInt64(r.values[0]);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

/** Whether a parsed selector matches parsed labels. */
export function labelSelectorMatches(selector: LabelSelector, labels: readonly CiliumLabel[]): boolean {
  for (const r of selector.requirements) if (!requirementMatches(r, labels)) return false;
  return true;
}

/**
 * Cilium's selector translation: every key gets a source (`app` → `any.app`, `k8s:app` → `k8s.app`),
 * because the Kubernetes parser does not allow `:` in keys.
 */
export function translateLabelSelector(selector: string): string {
  let out = '';
  let pos = 0;
  const chars = Array.from(selector);
  while (pos < chars.length) {
    while (pos < chars.length && (/\s/u.test(chars[pos]) || chars[pos] === '!')) out += chars[pos++];
    let key = '';
    while (pos < chars.length && !/[\s=!,]/u.test(chars[pos])) key += chars[pos++];
    out += (key.includes(':') ? key : `any:${key}`).replace(':', '.');
    let nesting = 0;
    while (pos < chars.length) {
      const c = chars[pos++];
      if (c === '(') nesting++;
      if (c === ')') nesting--;
      out += c;
      if (c === ',' && nesting === 0) break;
    }
  }
  return out;
}

// --- the Kubernetes selector grammar (apimachinery labels.Parse) ---

type Tok = 'id' | 'eos' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';
interface Token { tok: Tok; lit: string }

const SYMBOLS = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSymbolChar = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos])) pos++;
    if (pos >= s.length) {
      tokens.push({ tok: 'eos', lit: '' });
      return tokens;
    }
    const start = pos;
    if (isSymbolChar(s[pos])) {
      // Longest symbol: `!=` and `==` are one token; `=!` is two.
      pos += pos + 1 < s.length && SYMBOLS.has(s.slice(pos, pos + 2)) ? 2 : 1;
      tokens.push({ tok: s.slice(start, pos) as Tok, lit: s.slice(start, pos) });
      continue;
    }
    while (pos < s.length && !isSymbolChar(s[pos]) && !isSpace(s[pos])) pos++;
    const lit = s.slice(start, pos);
    tokens.push({ tok: lit === 'in' || lit === 'notin' ? lit : 'id', lit });
  }
}

const NAME_RE = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const VALUE_RE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name may contain at most one "/"';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix)) return 'prefix part must be a lowercase DNS subdomain';
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_RE.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

class SelectorParser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly fail: (msg: string) => FilterError) {}

  /** In value position `in` / `notin` are plain identifiers. */
  private peek(values = true): Token {
    const t = this.tokens[this.pos];
    return values && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }

  private next(values = true): Token {
    const t = this.peek(values);
    this.pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.tok === 'eos') return out;
      if (t.tok !== 'id' && t.tok !== '!') throw this.fail(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      out.push(this.requirement());
      const sep = this.next();
      if (sep.tok === 'eos') return out;
      if (sep.tok !== ',') throw this.fail(`found '${sep.lit}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.tok !== 'id' && after.tok !== '!') throw this.fail(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    const negated = t.tok === '!';
    if (negated) t = this.next();
    if (t.tok !== 'id') throw this.fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const problem = keyProblem(key);
    if (problem !== undefined) throw this.fail(`invalid label key ${JSON.stringify(key)}: ${problem}`);
    const ahead = this.peek().tok;
    if (negated || ahead === 'eos' || ahead === ',') return this.make(key, negated ? '!' : 'exists', []);
    const op = this.next(false);
    const ops: Partial<Record<Tok, LabelOperator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    const operator = ops[op.tok];
    if (operator === undefined) throw this.fail(`found '${op.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    return this.make(key, operator, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw this.fail(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.pos++;
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') throw this.fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        values.push(t.lit);
        const after = this.peek();
        if (after.tok === ')') break;
        if (after.tok !== ',') throw this.fail(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (values.length === 0) values.push('');
        const after = this.peek().tok;
        if (after === ')') {
          values.push('');
          break;
        }
        if (after === ',') {
          this.pos++;
          values.push('');
        }
      } else {
        throw this.fail(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    this.pos++;
    return values;
  }

  private exactValue(): string[] {
    const t = this.peek();
    if (t.tok === 'eos' || t.tok === ',') return [''];
    this.pos++;
    if (t.tok !== 'id') throw this.fail(`found '${t.lit}', expected: identifier`);
    return [t.lit];
  }

  private make(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
    for (const v of values) {
      if (v.length > 63 || !VALUE_RE.test(v)) throw this.fail(`invalid label value ${JSON.stringify(v)} for key ${JSON.stringify(key)}`);
    }
    if ((operator === 'gt' || operator === 'lt') && parseInt64(values[0]) === undefined) {
      throw this.fail(`for 'gt', 'lt' operators, the value must be an integer`);
    }
    const target = parseCiliumLabel(key, '.');
    const source = target.source === 'unspec' ? 'any' : target.source;
    return { key, operator, values, target: source === target.source ? target : { ...target, source } };
  }
}

/** Parses one selector (after Cilium's source translation); throws a FilterError when invalid. */
export function parseLabelSelector(selector: string): LabelSelector {
  const translated = translateLabelSelector(selector);
  const fail = (msg: string) => new FilterError(`invalid label selector ${JSON.stringify(selector)}: ${msg}`);
  return { source: selector, requirements: new SelectorParser(lex(translated), fail).parse() };
}

/** Compiles selectors (ORed) into a predicate over a label list such as `flow.source.labels`. */
export function compileLabelSelectors(selectors: readonly string[]): (labels: readonly string[] | undefined) => boolean {
  const parsed = selectors.map(parseLabelSelector);
  return (labels) => {
    const ls = parseCiliumLabels(labels);
    for (const s of parsed) if (labelSelectorMatches(s, ls)) return true;
    return false;
  };
}
