/**
 * FQDN and node-name wildcard patterns, compiled the way Hubble compiles them
 * (`pkg/hubble/filters/patterns.go`). Every compiler throws a {@link FilterError} (without a field;
 * the caller adds it) on invalid input.
 */
import { FilterError } from './filter-error';

/** What an empty cluster or node part of a node-name pattern matches (Hubble's `fqdnRegexpStr`). */
const ANY_FQDN = '(?:[-0-9_a-z]+(?:\\.[-0-9_a-z]+)*)';

function fqdnPatternSource(pattern: string): string {
  let p = pattern.trim();
  if (p.endsWith('.')) p = p.slice(0, -1);
  p = p.toLowerCase();
  if (p === '') throw new FilterError(`empty pattern ${JSON.stringify(pattern)}`);
  if (p.endsWith('.')) throw new FilterError(`multiple trailing dots in pattern ${JSON.stringify(pattern)}`);
  let out = '';
  for (const ch of p) {
    if (ch === '.') out += '\\.';
    // `*` spans dots but not underscores, exactly as in Hubble.
    else if (ch === '*') out += '[-.0-9a-z]*';
    else if (ch === '-' || ch === '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z')) out += ch;
    else throw new FilterError(`invalid character ${JSON.stringify(ch)} in pattern ${JSON.stringify(pattern)}`);
  }
  return out;
}

/**
 * Compiles FQDN wildcard patterns (ORed) into one anchored RegExp. Patterns are trimmed,
 * lower-cased and lose one trailing dot; `*` matches any run of `[-.0-9a-z]`.
 */
export function compileFQDNPatterns(patterns: readonly string[]): RegExp {
  return new RegExp(`^(?:${patterns.map(fqdnPatternSource).join('|')})$`);
}

/** A predicate over a flow's `source_names` / `destination_names`: true if any name matches. */
export function compileFQDNMatcher(patterns: readonly string[]): (names: readonly string[] | undefined) => boolean {
  const re = compileFQDNPatterns(patterns);
  return (names) => {
    if (names === undefined) return false;
    for (const name of names) if (re.test(name)) return true;
    return false;
  };
}

function nodeNamePatternSource(pattern: string): string {
  if (pattern === '') throw new FilterError('empty pattern ""');
  const parts = pattern.split('/');
  if (parts.length > 2) throw new FilterError(`too many slashes in pattern ${JSON.stringify(pattern)}`);
  const [cluster, node] = parts.length === 1 ? ['', parts[0]] : parts;
  const clusterSource = cluster === '' ? ANY_FQDN : fqdnPatternSource(cluster);
  return `${clusterSource}/${node === '' ? ANY_FQDN : fqdnPatternSource(node)}`;
}

/**
 * Compiles node-name patterns `[cluster/]node` (each part an FQDN wildcard, an empty or missing part
 * matching any name) into one anchored RegExp over `cluster/node`.
 */
export function compileNodeNamePatterns(patterns: readonly string[]): RegExp {
  return new RegExp(`^(?:${patterns.map(nodeNamePatternSource).join('|')})$`);
}

/** A predicate over `flow.node_name`; a name without `/` is taken as `default/<name>`, as Hubble does. */
export function compileNodeNameMatcher(patterns: readonly string[]): (nodeName: string | undefined) => boolean {
  const re = compileNodeNamePatterns(patterns);
  return (nodeName) => {
    if (!nodeName) return false;
    return re.test(nodeName.includes('/') ? nodeName : `default/${nodeName}`);
  };
}
