/**
 * Label selectors (`source_label`, `destination_label`, `node_labels`) → SQL over a `text[]` column
 * holding the flow's label strings as they came (`k8s:app=x`, `reserved:world`, `$host`).
 *
 * The matcher's rules (`lib/filter/label-selector.ts`), reproduced exactly:
 * - each label string is parsed with Cilium's ParseLabel (`$` and `reserved.` prefixes, the first `:`
 *   ends the source, the first `=` ends the key, no source = `unspec`);
 * - a requirement reads ONE label: the first (in array order) whose key equals the selector's key and
 *   whose source matches (any source for a key without one); for a `cidr:` prefix key, labels whose
 *   own `cidr:` prefix lies inside also count and the one that sorts first by key wins;
 * - `!=`, `notin` and `!k` match endpoints without the key; `gt`/`lt` need int64 values.
 */
import type { IPPrefix } from '../../lib/filter/ip-address';
import { parseLabelSelector, type LabelRequirement } from '../../lib/filter/label-selector';
import { allSql, anySql, cidrText, param, type SqlOut } from './filter-sql-params';

/**
 * One row per label with its position `u.i`, its raw source `a.s0` ('' when none) and the rest `a.n`
 * (`key[=value]`), as ParseLabel splits them. `OFFSET 0` keeps PostgreSQL from inlining the step's
 * expressions into every later use.
 */
function labelRows(column: string): string {
  const dollar = `starts_with(u.l, '$')`;
  const colon = `strpos(u.l, ':')`;
  const reservedDot = `starts_with(u.l, 'reserved.')`;
  return `unnest(${column}) WITH ORDINALITY AS u(l, i)`
    + ` CROSS JOIN LATERAL (SELECT CASE WHEN ${dollar} THEN 'reserved' WHEN ${colon} > 0 THEN left(u.l, ${colon} - 1)`
    + ` WHEN ${reservedDot} THEN 'reserved' ELSE '' END AS s0,`
    + ` CASE WHEN ${dollar} THEN substr(u.l, 2) WHEN ${colon} > 0 THEN substr(u.l, ${colon} + 1)`
    + ` WHEN ${reservedDot} THEN substr(u.l, 10) ELSE u.l END AS n OFFSET 0) a`;
}

/** `p.k`, `p.v`: key and value of the label in `a` (the first `=` ends the key; `reserved:=k` is key `k`). */
const KEY_VALUE = ` CROSS JOIN LATERAL (SELECT strpos(a.n, '=') AS eq OFFSET 0) b`
  + ` CROSS JOIN LATERAL (SELECT CASE WHEN b.eq = 0 THEN a.n WHEN b.eq = 1 AND a.s0 = 'reserved' THEN substr(a.n, 2) ELSE left(a.n, b.eq - 1) END AS k,`
  + ` CASE WHEN b.eq = 0 OR (b.eq = 1 AND a.s0 = 'reserved') THEN '' ELSE substr(a.n, b.eq + 1) END AS v OFFSET 0) p`;

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const HEX = '[0-9A-Fa-f]{1,4}';

/** IPv6 text as Go's netip.ParseAddr accepts it (no zone): 8 groups, or fewer around one `::`. */
function ipv6Pattern(): string {
  const groups = (n: number, tail: string) => (n === 0 ? tail : `(?:${HEX}:){${n}}${tail}`);
  const alternatives = [groups(7, HEX), groups(6, IPV4)];
  for (let left = 0; left <= 7; left++) {
    const room = 7 - left;
    const rights = [''];
    if (room >= 1) rights.push(`(?:${HEX}:){0,${room - 1}}${HEX}`);
    if (room >= 2) rights.push(`(?:${HEX}:){0,${room - 2}}${IPV4}`);
    alternatives.push(`${left === 0 ? '' : groups(left - 1, HEX)}::(?:${rights.join('|')})`);
  }
  return `(?:${alternatives.join('|')})`;
}

/**
 * What Go's netip.ParsePrefix accepts (written in the syntax JS and PostgreSQL share), so that the
 * inet cast after it cannot fail. Exported for tests.
 */
export const GO_PREFIX_RE = `^(?:${IPV4}/(?:3[0-2]|[12]?[0-9])|${ipv6Pattern()}/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`;

interface KeyMatch { from: string; where: string; order: string; value: string }

function sourceMatch(out: SqlOut, source: string): string[] {
  if (source === 'any') return [];
  return [source === 'unspec' ? `a.s0 = ''` : `a.s0 = ${param(out, source, 'text')}`];
}

/**
 * The labels a requirement reads. For a plain key K that is `K`, `K=value` or (reserved only) `=K`
 * after the source, found without splitting every label; a `cidr:` key needs each label's key.
 */
function keyMatch(out: SqlOut, column: string, r: LabelRequirement): KeyMatch {
  const t = r.target;
  const parts = sourceMatch(out, t.source);
  const cidr: IPPrefix | undefined = t.cidr;
  if (cidr === undefined) {
    const key = param(out, t.key, 'text');
    parts.push(`(a.n = ${key} OR starts_with(a.n, ${key} || '=') OR (a.s0 = 'reserved' AND a.n = '=' || ${key}))`);
    const value = `CASE WHEN starts_with(a.n, ${key} || '=') THEN substr(a.n, length(${key}) + 2) ELSE '' END`;
    return { from: labelRows(column), where: parts.join(' AND '), order: 'u.i', value };
  }
  const prefix = `replace(p.k, '-', ':')`;
  const inside = `CASE WHEN ${prefix} ~ ${param(out, GO_PREFIX_RE, 'text')} THEN ${prefix}::inet <<= ${param(out, cidrText(cidr.addr.bytes, cidr.bits), 'cidr')} END`;
  parts.push(`(p.k = ${param(out, t.key, 'text')} OR ${inside})`);
  // Candidate keys are ASCII here (the selector key, or prefix text), so byte order is JS string order.
  return { from: labelRows(column) + KEY_VALUE, where: parts.join(' AND '), order: 'p.k COLLATE "C", u.i', value: 'p.v' };
}

/** A necessary condition an index on the column can serve: one of the label strings that parse to source:key=value. */
function candidates(out: SqlOut, column: string, r: LabelRequirement): string | undefined {
  const { source, key, cidr } = r.target;
  if (cidr !== undefined || source === 'any' || source === 'reserved' || source === 'unspec') return undefined;
  const texts = r.values.flatMap((v) => (v === '' ? [`${source}:${key}`, `${source}:${key}=`] : [`${source}:${key}=${v}`]));
  return `${column} && ${param(out, texts, 'text[]')}`;
}

/**
 * A necessary condition for `key in (values)` with non-empty values that needs no parsing: the label
 * read then has `key=value` as its text after the source, so the joined labels hold that text. Rows
 * whose labels have the key with other values (most rows, for keys like `app`) end here instead of
 * in the per-label subquery, which costs about four times more (bench/flows-api.ts, `--label app=nosuch`).
 */
function valueTexts(out: SqlOut, column: string, r: LabelRequirement): string | undefined {
  if (r.target.cidr !== undefined || r.values.some((v) => v === '')) return undefined;
  const joined = `array_to_string(${column}, ',')`;
  return `COALESCE(${anySql(r.values.map((v) => `strpos(${joined}, ${param(out, `${r.target.key}=${v}`, 'text')}) > 0`))}, FALSE)`;
}

function requirementSql(out: SqlOut, column: string, r: LabelRequirement): string {
  const { from, where, order, value } = keyMatch(out, column, r);
  const first = `SELECT ${value} AS v FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT 1`;
  const exists = (cond: string) => `EXISTS (SELECT 1 FROM (${first}) f WHERE ${cond})`;
  const values = () => param(out, [...r.values], 'text[]');
  // A label with key K holds K as text: rows whose labels do not are decided without parsing them.
  const mayHold = () => r.target.cidr === undefined ? `COALESCE(strpos(array_to_string(${column}, ','), ${param(out, r.target.key, 'text')}) > 0, FALSE)` : 'TRUE';
  switch (r.operator) {
    case 'exists':
      return `${mayHold()} AND EXISTS (SELECT 1 FROM ${from} WHERE ${where})`;
    case '!':
      return `NOT (${mayHold()} AND EXISTS (SELECT 1 FROM ${from} WHERE ${where}))`;
    case 'in': case '=': case '==': {
      const pre = candidates(out, column, r) ?? valueTexts(out, column, r);
      return `${pre ?? mayHold()} AND ${exists(`f.v = ANY(${values()})`)}`;
    }
    case 'notin': case '!=':
      return `NOT (${mayHold()} AND ${exists(`f.v = ANY(${values()})`)})`;
    case 'gt': case 'lt': {
      const n = `CASE WHEN f.v ~ '^[+-]?[0-9]+$' THEN f.v::numeric END`;
      const op = r.operator === 'gt' ? '>' : '<';
      return `${mayHold()} AND EXISTS (SELECT 1 FROM (SELECT ${n} AS n FROM (${first}) f OFFSET 0) g`
        + ` WHERE g.n BETWEEN -9223372036854775808 AND 9223372036854775807 AND g.n ${op} ${param(out, r.values[0], 'numeric')})`;
    }
  }
}

/** Label selectors (ORed; requirements within one ANDed; an empty selector matches all) over `column`. */
export function labelSelectorsSql(out: SqlOut, column: string, selectors: readonly string[]): string {
  return anySql(selectors.map((s) => allSql(parseLabelSelector(s).requirements.map((r) => requirementSql(out, column, r)))));
}
