import { describe, expect, it } from 'vitest';
import { FilterError } from './filter-error';
import { compileLabelSelectors, parseCiliumLabel, parseLabelSelector, translateLabelSelector } from './label-selector';

describe('Cilium source translation', () => {
  it.each([
    ['app=foo', 'any.app=foo'],
    ['k8s:app=foo', 'k8s.app=foo'],
    ['!k8s:app', '!k8s.app'],
    ['app in (a, b),k8s:x notin (c)', 'any.app in (a, b),k8s.x notin (c)'],
    ['reserved:world', 'reserved.world'],
    ['', ''],
  ])('%j → %j', (selector, translated) => {
    expect(translateLabelSelector(selector)).toBe(translated);
  });
});

describe('Cilium label strings', () => {
  it.each([
    ['k8s:app=foo', { source: 'k8s', key: 'app', value: 'foo' }],
    ['reserved:host', { source: 'reserved', key: 'host', value: '' }],
    ['$host', { source: 'reserved', key: 'host', value: '' }],
    ['app=foo', { source: 'unspec', key: 'app', value: 'foo' }],
    ['k8s:a.b/c=d=e', { source: 'k8s', key: 'a.b/c', value: 'd=e' }],
  ])('%j', (text, parsed) => {
    expect(parseCiliumLabel(text)).toMatchObject(parsed);
  });
});

const POD = [
  'k8s:app=foo', 'k8s:io.kubernetes.pod.namespace=default', 'reserved:host', 'container:tier=web', 'k8s:num=5',
  'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default',
];

describe('selectors on endpoint labels', () => {
  it.each([
    ['app=foo', true], ['k8s:app=foo', true], ['container:app=foo', false], ['app==foo', true],
    ['app!=foo', false], ['app!=bar', true], ['missing!=x', true], ['app in (foo,bar)', true],
    ['app in (bar)', false], ['app notin (foo)', false], ['missing notin (x)', true], ['app', true],
    ['!app', false], ['!missing', true], ['reserved:host', true], ['host', true], ['k8s:host', false],
    ['app=foo,tier=web', true], ['app=foo, tier=db', false], ['', true], ['num>4', true], ['num<5', false],
    ['num<6', true], ['app>1', false], ['k8s:io.kubernetes.pod.namespace=default', true],
    ['io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default', true], ['unspec:app=foo', true],
    ['app in ()', false], ['missing in ()', false], ['missing=', false], ['missing!=', true],
  ])('%j → %s', (selector, expected) => {
    expect(compileLabelSelectors([selector])(POD)).toBe(expected);
  });

  it('ORs selectors', () => {
    expect(compileLabelSelectors(['app=bar', 'tier=web'])(POD)).toBe(true);
    expect(compileLabelSelectors(['app=bar', 'tier=db'])(POD)).toBe(false);
  });

  it('treats missing labels as an empty set', () => {
    expect(compileLabelSelectors(['!app'])(undefined)).toBe(true);
    expect(compileLabelSelectors(['app'])(undefined)).toBe(false);
  });

  it('matches node labels, which carry no source', () => {
    const node = ['kubernetes.io/hostname=kind-worker', 'node-role.kubernetes.io/control-plane='];
    expect(compileLabelSelectors(['kubernetes.io/hostname=kind-worker'])(node)).toBe(true);
    expect(compileLabelSelectors(['node-role.kubernetes.io/control-plane'])(node)).toBe(true);
    expect(compileLabelSelectors(['k8s:kubernetes.io/hostname=kind-worker'])(node)).toBe(false);
  });

  it('matches cidr labels by containment', () => {
    const world = ['reserved:world', 'cidr:10.0.0.0/24'];
    expect(compileLabelSelectors(['cidr:10.0.0.0/8'])(world)).toBe(true);
    expect(compileLabelSelectors(['cidr:10.0.0.0/25'])(world)).toBe(false);
    expect(compileLabelSelectors(['cidr:11.0.0.0/8'])(world)).toBe(false);
  });
});

describe('selector syntax errors', () => {
  it.each([
    'app in (a b)', '=foo', 'app=foo bar', 'app in a', '(app)', 'app=-x', 'a:b:c', 'k8s:', 'app>x', 'app>-1',
    '!app=x', 'a,', 'app in (a', 'a/b/c=d', 'Upper.Case/x=y',
  ])('%j', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(FilterError);
  });

  it('quotes the selector in the message', () => {
    expect(() => parseLabelSelector('app in (a b)')).toThrow(/invalid label selector "app in \(a b\)"/);
  });
});
