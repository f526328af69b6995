/**
 * `hubble observe`'s flag table and a command-line scanner with pflag's rules (v1.0.6 as vendored
 * by hubble v1.17): `--flag value`, `--flag=value`, `-n value`, `-nvalue`, `-n=value`, grouped
 * shorthands (`-4Af`), flags whose value is optional (`--not`, `-A`, `-4`, bools) taking a value
 * only after `=`, `--` ending the flags, and pflag's error messages.
 */
import { ObserveArgsError } from './observe-args-error';

/** filter: a FlowFilter flag; bool/count/time: selectors; raw: `--allowlist` / `--denylist`. */
export type ObserveFlagKind = 'filter' | 'bool' | 'count' | 'time' | 'raw';

/** One flag as pflag knows it. `noOptDefVal` is the value used when none is attached with `=`. */
export interface ObserveFlagSpec {
  readonly name: string;
  readonly kind: ObserveFlagKind;
  readonly short?: string;
  readonly noOptDefVal?: string;
}

/** Every FlowFilter flag of `hubble observe` v1.17, long names. */
export const FILTER_FLAG_NAMES = [
  'not', 'uuid', 'node-name', 'node-label', 'from-cluster', 'cluster', 'to-cluster', 'protocol', 'tcp-flags',
  'type', 'verdict', 'drop-reason-desc', 'http-status', 'http-method', 'http-path', 'http-url', 'http-header',
  'trace-id', 'from-fqdn', 'fqdn', 'to-fqdn', 'from-ip', 'snat-ip', 'ip', 'to-ip', 'ipv4', 'ipv6', 'ip-version',
  'from-pod', 'pod', 'to-pod', 'from-namespace', 'namespace', 'to-namespace', 'from-all-namespaces',
  'all-namespaces', 'to-all-namespaces', 'from-label', 'label', 'to-label', 'from-service', 'service',
  'to-service', 'from-port', 'port', 'to-port', 'from-workload', 'workload', 'to-workload', 'from-identity',
  'identity', 'to-identity', 'traffic-direction', 'cel-expression', 'interface',
] as const;

/** A FlowFilter flag's long name. */
export type FilterFlagName = (typeof FILTER_FLAG_NAMES)[number];

const SHORT: Partial<Record<string, string>> = { namespace: 'n', 'all-namespaces': 'A', label: 'l', type: 't', ipv4: '4', ipv6: '6' };
const NO_OPT: Partial<Record<string, string>> = {
  not: 'true', ipv4: 'v4', ipv6: 'v6', 'all-namespaces': 'true', 'from-all-namespaces': 'true', 'to-all-namespaces': 'true',
};

const SPECS: readonly ObserveFlagSpec[] = [
  ...FILTER_FLAG_NAMES.map((name): ObserveFlagSpec => ({ name, kind: 'filter', short: SHORT[name], noOptDefVal: NO_OPT[name] })),
  { name: 'all', kind: 'bool', noOptDefVal: 'true' },
  { name: 'follow', kind: 'bool', short: 'f', noOptDefVal: 'true' },
  { name: 'last', kind: 'count' },
  { name: 'first', kind: 'count' },
  { name: 'since', kind: 'time' },
  { name: 'until', kind: 'time' },
  { name: 'allowlist', kind: 'raw' },
  { name: 'denylist', kind: 'raw' },
];

const BY_NAME = new Map(SPECS.map((s) => [s.name, s]));
const BY_SHORT = new Map(SPECS.filter((s) => s.short !== undefined).map((s) => [s.short!, s]));

/** Flags `hubble observe` has that are about output or connection, not about which flows. */
const OTHER_HUBBLE_FLAGS = new Set([
  'output', 'time-format', 'print-node-name', 'numeric', 'ip-translation', 'color', 'silent-errors',
  'print-raw-filters', 'input-file', 'experimental-field-mask', 'experimental-use-default-field-masks', 'config',
  'debug', 'server', 'timeout', 'request-timeout', 'tls', 'tls-allow-insecure', 'tls-ca-cert-files',
  'tls-client-cert-file', 'tls-client-key-file', 'tls-server-name', 'basic-auth-username', 'basic-auth-password',
  'port-forward', 'port-forward-port', 'kube-context', 'kubeconfig', 'kube-namespace', 'help',
]);
const OTHER_HUBBLE_SHORTS: Partial<Record<string, string>> = { o: 'output', s: 'silent-errors', D: 'debug', P: 'port-forward', h: 'help' };

/** The flag as pflag names it in errors: `-n, --namespace` or `--verdict`. */
export function flagDisplayName(spec: ObserveFlagSpec): string {
  return spec.short === undefined ? `--${spec.name}` : `-${spec.short}, --${spec.name}`;
}

/** Receives each flag occurrence in command-line order. */
export type FlagHandler = (spec: ObserveFlagSpec, value: string) => void;

function unsupported(name: string): ObserveArgsError {
  return new ObserveArgsError(`flag --${name} is not supported here: only hubble observe's filter and selector flags are`, `--${name}`);
}

function scanLong(arg: string, rest: string[], onFlag: FlagHandler): void {
  const body = arg.slice(2);
  if (body === '' || body[0] === '-' || body[0] === '=') throw new ObserveArgsError(`bad flag syntax: ${arg}`);
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const spec = BY_NAME.get(name);
  if (spec === undefined) {
    if (OTHER_HUBBLE_FLAGS.has(name)) throw unsupported(name);
    throw new ObserveArgsError(`unknown flag: --${name}`, `--${name}`);
  }
  let value: string;
  if (eq >= 0) value = body.slice(eq + 1);
  else if (spec.noOptDefVal !== undefined) value = spec.noOptDefVal;
  else if (rest.length > 0) value = rest.shift()!;
  else throw new ObserveArgsError(`flag needs an argument: ${arg}`, `--${name}`);
  onFlag(spec, value);
}

function scanShort(arg: string, rest: string[], onFlag: FlagHandler): void {
  let shorthands = arg.slice(1);
  // pflag leaves Go test flags (-test.v) to the testing package.
  if (shorthands.startsWith('test.')) return;
  while (shorthands.length > 0) {
    const c = shorthands[0];
    const spec = BY_SHORT.get(c);
    if (spec === undefined) {
      const other = OTHER_HUBBLE_SHORTS[c];
      if (other !== undefined) throw unsupported(other);
      throw new ObserveArgsError(`unknown shorthand flag: '${c}' in -${shorthands}`, `-${c}`);
    }
    let value: string;
    if (shorthands.length > 2 && shorthands[1] === '=') {
      value = shorthands.slice(2);
      shorthands = '';
    } else if (spec.noOptDefVal !== undefined) {
      value = spec.noOptDefVal;
      shorthands = shorthands.slice(1);
    } else if (shorthands.length > 1) {
      value = shorthands.slice(1);
      shorthands = '';
    } else if (rest.length > 0) {
      value = rest.shift()!;
      shorthands = '';
    } else {
      throw new ObserveArgsError(`flag needs an argument: '${c}' in -${shorthands}`, `--${spec.name}`);
    }
    onFlag(spec, value);
  }
}

/**
 * Walks `args` the way pflag does and calls `onFlag` for every flag occurrence, in order, so that
 * an invalid value is reported before a later syntax error, as the CLI does. Positional arguments
 * (which `hubble observe` silently ignores) are rejected here, since they are always a mistake in
 * a filter. Throws ObserveArgsError.
 */
export function scanObserveArgs(args: readonly string[], onFlag: FlagHandler): void {
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--') {
      if (rest.length > 0) throw new ObserveArgsError(`unexpected argument ${JSON.stringify(rest[0])}: hubble observe takes no positional arguments`);
      return;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      throw new ObserveArgsError(`unexpected argument ${JSON.stringify(arg)}: hubble observe takes no positional arguments`);
    }
    if (arg[1] === '-') scanLong(arg, rest, onFlag);
    else scanShort(arg, rest, onFlag);
  }
}
