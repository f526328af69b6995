import { describe, expect, it } from 'vitest';
import { parseObserveArgs } from './observe-args';
import { ObserveArgsError } from './observe-args-error';

const split = (s: string) => s.split(' ');

function errorOf(args: string[]): ObserveArgsError {
  try {
    parseObserveArgs(args);
  } catch (e) {
    expect(e).toBeInstanceOf(ObserveArgsError);
    return e as ObserveArgsError;
  }
  throw new Error(`expected ${JSON.stringify(args)} to fail`);
}

/** [command line, exact message or a fragment (/regexp/), flag the error names]. */
const ERRORS: [string | string[], string | RegExp, string?][] = [
  // Values with the CLI's exact wording, wrapped the way pflag wraps them.
  ['--verdict dropped', 'invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped', '--verdict'],
  ['--http-status 2xx', /^invalid argument "2xx" for "--http-status" flag: http_status_code: invalid http status code "2xx"/, '--http-status'],
  ['--http-status 600', /invalid http status code "600"/],
  ['--drop-reason-desc policy_denied', 'invalid argument "policy_denied" for "--drop-reason-desc" flag: invalid --drop-reason-desc value: policy_denied'],
  [['--drop-reason-desc', ''], 'invalid argument "" for "--drop-reason-desc" flag: empty --drop-reason-desc value'],
  ['--identity bad', 'invalid argument "bad" for "--identity" flag: invalid security identity, expected one of '
    + '[host world unmanaged health init remote-node kube-apiserver ingress world-ipv4 world-ipv6 11] or a numeric value'],
  ['--to-identity 4294967296', /for "--to-identity" flag: invalid security identity/],
  ['-t some-invalid-type', 'invalid argument "some-invalid-type" for "-t, --type" flag: unable to parse type \'some-invalid-type\', '
    + 'not a known type name and unable to parse as numeric value: strconv.ParseUint: parsing "some-invalid-type": invalid syntax', '--type'],
  ['-t trace:some-invalid-sub-type', /unable to parse event sub-type 'some-invalid-sub-type', not a known sub-type name/],
  [['-t', 'agent:Policy updated'], /unable to parse event sub-type 'Policy updated'/],
  ['-t 4:to-endpoint', /unable to parse event sub-type 'to-endpoint'/],
  ['-t 4294967296', /strconv.ParseUint: parsing "4294967296": value out of range/],
  ['--tcp-flags unknown', 'invalid argument "unknown" for "--tcp-flags" flag: unknown tcp flag: unknown'],
  ['--tcp-flags syn,', 'invalid argument "syn," for "--tcp-flags" flag: unknown tcp flag: '],
  ['--tcp-flags ,syn', /unknown tcp flag: $/],
  [['--traffic-direction', 'to the moon'], 'invalid argument "to the moon" for "--traffic-direction" flag: to the moon: invalid traffic direction, expected ingress or egress'],
  ['--http-header foobar', 'invalid argument "foobar" for "--http-header" flag: invalid http-header value "foobar", expected name:value'],
  // Conflicts, with the CLI's message (the first flag of the group in the CLI's group order).
  ['--pod a --from-pod b', 'invalid argument "b" for "--from-pod" flag: filters --from-pod and --pod cannot be combined', '--from-pod'],
  ['--from-service foo --service bar', /filters --service and --from-service cannot be combined/],
  ['--from-ip 1.2.3.4 --from-fqdn doesnt.work', /filters --from-fqdn and --from-ip cannot be combined/],
  ['--namespace a --all-namespaces', /filters --namespace and --all-namespaces cannot be combined/],
  ['-n a --to-pod b', /filters --to-pod and --namespace cannot be combined/],
  ['--label a --to-label b', /filters --label and --to-label cannot be combined/],
  ['--port 1 --from-port 2', /filters --port and --from-port cannot be combined/],
  ['--identity 1 --to-identity 2', /filters --identity and --to-identity cannot be combined/],
  ['--workload a --from-workload b', /filters --workload and --from-workload cannot be combined/],
  ['--ip 1.1.1.1 --to-namespace x', /filters --ip and --to-namespace cannot be combined/],
  ['--not --pod a --not --from-pod b', /filters --from-pod and --pod cannot be combined/],
  // Namespaces that disagree with a pod or service.
  ['--to-namespace kube-system --to-pod cilium/foo', /namespace conflict: "kube-system" does not contain "cilium\/foo"$/],
  ['--from-namespace kube-system --from-service cilium/foo', /namespace conflict: "kube-system" does not contain "cilium\/foo"/],
  ['-n a --pod b/x', 'invalid argument "b/x" for "--pod" flag: namespace conflict: "a" does not contain "b/x"'],
  ['-A --pod kube-system/x', /namespace conflict: "" does not contain "kube-system\/x"/],
  ['--from-service cilium/foo --from-pod kube-system/hubble', /namespace of service "cilium\/foo" conflict with pod "kube-system"/],
  ['--to-pod kube-system/hubble --to-service kube-dns', /namespace of service "kube-dns" conflict with pod "kube-system"/],
  // --not, selectors.
  ['--not --not', 'invalid argument "true" for "--not" flag: consecutive --not statements', '--not'],
  ['--pod x --not', 'trailing --not found in the arguments', '--not'],
  ['--first 5 --last 3', 'cannot set both --first and --last', '--first'],
  ['--first 2 --follow', 'cannot set both --first and --follow'],
  ['--first 2 --all', 'cannot set both --first and --all'],
  ['--last 2 --all', 'cannot set both --last and --all'],
  ['--all=maybe', 'invalid argument "maybe" for "--all" flag: strconv.ParseBool: parsing "maybe": invalid syntax', '--all'],
  ['-f=2', /for "-f, --follow" flag: strconv.ParseBool/],
  ['--last abc', 'invalid argument "abc" for "--last" flag: strconv.ParseUint: parsing "abc": invalid syntax'],
  ['--last -1', /strconv.ParseUint: parsing "-1": invalid syntax/],
  ['--first 18446744073709551616', /value out of range/],
  ['--last 9007199254740992', /above the largest supported count/],
  ['--since yesterday', /^failed to parse the since time: failed to convert yesterday to time/, '--since'],
  ['--until 2d', /^failed to parse the until time: failed to convert 2d to time/, '--until'],
  ['--since 2024-01-02T15:04', /failed to parse the since time/],
  // Raw filters.
  [['--allowlist', '{"foo":1}'], 'invalid --allowlist flag: failed to decode \'{"foo":1}\': proto: unknown field "foo"', '--allowlist'],
  [['--allowlist', '{"verdict":["dropped"]}'], /invalid value for enum field verdict: "dropped"/],
  [['--denylist', '{"source_pod":"x"}'], /^invalid --denylist flag: failed to decode .*list field source_pod/],
  [['--allowlist', '{"source_pod":["a"],"sourcePod":["b"]}'], /duplicate field "sourcePod"/],
  [['--allowlist', '{"source_pod":[1]}'], /invalid value for string field source_pod: 1/],
  [['--allowlist', '{"reply":["true"]}'], /invalid value for bool field reply/],
  [['--allowlist', '{} x'], /invalid character 'x' looking for beginning of value/],
  [['--allowlist', '[]'], /expected a JSON object/],
  [['--allowlist', '{"http_path":["("]}'], /^invalid --allowlist flag: \{"http_path":\["\("\]\}: http_path: /, '--allowlist'],
  // Values Hubble's server rejects, caught at parse time with their flag.
  ['--from-ip 10.0.0.300', 'invalid argument "10.0.0.300" for "--from-ip" flag: source_ip: invalid IP address "10.0.0.300"', '--from-ip'],
  ['--ip 10.0.0.0/33', /for "--ip" flag: source_ip: invalid IP prefix/],
  [['--http-path', '('], /for "--http-path" flag: http_path: /],
  ['--port 70000', /for "--port" flag: source_port: invalid port "70000"/],
  ['--protocol foo', /for "--protocol" flag: protocol: unknown protocol "foo"/],
  [['--fqdn', 'a b'], /for "--fqdn" flag: source_fqdn: /],
  [['--label', 'a in ('], /for "-l, --label" flag: source_label: /, '--label'],
  [['--cluster', ''], /for "--cluster" flag: source_cluster_name: name must not be empty/],
  [['--pod', ''], 'invalid filter (from --pod): source_pod: name must not be empty', '--pod'],
  ['--type trace --http-method get', /^invalid filter \(from --http-method\): http_method: filtering by http_method requires/, '--http-method'],
  ['--not --type trace --not --http-status 200', /^invalid filter \(from --not --http-status\)/],
  // Command-line syntax, with pflag's messages.
  ['--foo', 'unknown flag: --foo', '--foo'],
  ['--foo=bar', 'unknown flag: --foo'],
  ['-x', "unknown shorthand flag: 'x' in -x", '-x'],
  ['-4x', "unknown shorthand flag: 'x' in -x"],
  ['--verdict', 'flag needs an argument: --verdict', '--verdict'],
  ['-n', "flag needs an argument: 'n' in -n", '--namespace'],
  ['---x', 'bad flag syntax: ---x'],
  ['--=x', 'bad flag syntax: --=x'],
  ['foo', /^unexpected argument "foo"/],
  ['--pod x -- y', /^unexpected argument "y"/],
  ['-o json', /^flag --output is not supported here/, '--output'],
  ['--server localhost:4245', /^flag --server is not supported here/],
  ['--help', /^flag --help is not supported here/],
];

describe('parseObserveArgs: errors', () => {
  it.each(ERRORS)('%s', (line, message, flag) => {
    const err = errorOf(typeof line === 'string' ? split(line) : line);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    if (flag !== undefined) expect(err.flag).toBe(flag);
  });

  it('reports the first bad flag, in command-line order, as pflag does', () => {
    expect(errorOf(split('--verdict nope --foo')).message).toMatch(/--verdict/);
    expect(errorOf(split('--foo --verdict nope')).message).toBe('unknown flag: --foo');
  });

  it('ignores Go test flags exactly as pflag does', () => {
    expect(parseObserveArgs(['-test.v', '--pod', 'x']).filters.whitelist).toHaveLength(2);
  });

  it('keeps the underlying error as the cause', () => {
    expect(errorOf(split('--from-ip nope')).cause).toBeInstanceOf(Error);
  });
});
