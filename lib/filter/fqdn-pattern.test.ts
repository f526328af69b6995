import { describe, expect, it } from 'vitest';
import { FilterError } from './filter-error';
import { compileFQDNMatcher, compileNodeNameMatcher } from './fqdn-pattern';

describe('FQDN patterns', () => {
  it.each([
    ['*.io', 'www.cilium.io', true],
    ['*.cilium.io', 'cilium.io', false],
    ['*cilium.io', 'cilium.io', true],
    ['cilium.io.', 'cilium.io', true],
    [' CILIUM.IO ', 'cilium.io', true],
    ['cilium.io', 'CILIUM.IO', false], // flow names are not lower-cased
    ['*', 'a.b.c', true],
    ['*', 'a_b', false], // `*` does not span underscores
    ['_srv.example.com', '_srv.example.com', true],
    ['api.*.svc', 'api.default.svc', true],
    ['cilium.io', 'xcilium.io', false],
  ])('%j against %j → %s', (pattern, name, expected) => {
    expect(compileFQDNMatcher([pattern])([name])).toBe(expected);
  });

  it('ORs patterns and matches any of the flow names', () => {
    const match = compileFQDNMatcher(['a.com', 'b.com']);
    expect(match(['x.com', 'b.com'])).toBe(true);
    expect(match(['x.com'])).toBe(false);
    expect(match(undefined)).toBe(false);
  });

  it.each(['', ' ', '..', 'a..', 'foo/bar', 'a b', 'ä.com', 'a?.com'])('rejects %j', (pattern) => {
    expect(() => compileFQDNMatcher([pattern])).toThrow(FilterError);
  });
});

describe('node name patterns', () => {
  it.each([
    ['kind-control-plane', 'kind-control-plane', true],
    ['default/kind-*', 'kind-worker', true], // a flow name without `/` is default/<name>
    ['other/kind-*', 'kind-worker', false],
    ['prod/', 'prod/node-1', true],
    ['/node-1', 'anything/node-1', true],
    ['node-1', 'prod/node-1', true],
    ['k8s*', 'cluster/k8s1', true],
    ['node1', 'Node1', false],
    ['prod/', 'prod/Node1', false], // the empty part matches lower-case FQDNs only, as in Hubble
    ['*.example.com', 'c/n1.example.com', true],
  ])('%j against %j → %s', (pattern, nodeName, expected) => {
    expect(compileNodeNameMatcher([pattern])(nodeName)).toBe(expected);
  });

  it('never matches a flow without a node name', () => {
    expect(compileNodeNameMatcher(['*'])(undefined)).toBe(false);
    expect(compileNodeNameMatcher(['*'])('')).toBe(false);
  });

  it.each(['', 'a/b/c', 'c/a b', 'c/..'])('rejects %j', (pattern) => {
    expect(() => compileNodeNameMatcher([pattern])).toThrow(FilterError);
  });
});
