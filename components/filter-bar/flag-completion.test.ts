import { describe, expect, it } from 'vitest';
import { applyCompletion, completionAt, FLAG_NAMES, matchCandidates, valueSource } from './flag-completion';

const at = (text: string, cursor = text.length) => completionAt(text, cursor);

describe('completionAt', () => {
  it('completes the value of the flag before the cursor, in every form pflag reads', () => {
    expect(at('--namespace ')).toEqual({ kind: 'value', flag: 'namespace', typed: '', start: 12, end: 12 });
    expect(at('--verdict DROPPED --namespace sh')).toEqual({ kind: 'value', flag: 'namespace', typed: 'sh', start: 30, end: 32 });
    expect(at('-n sh')).toEqual({ kind: 'value', flag: 'namespace', typed: 'sh', start: 3, end: 5 });
    expect(at('--to-pod=shop/f')).toEqual({ kind: 'value', flag: 'to-pod', typed: 'shop/f', start: 9, end: 15 });
    expect(at(`--label 'k8s:app=fr`)).toEqual({ kind: 'value', flag: 'label', typed: 'k8s:app=fr', start: 8, end: 19 });
    expect(at('-nsh')).toEqual({ kind: 'value', flag: 'namespace', typed: 'sh', start: 2, end: 4 });
    expect(at('-l=k8s')).toEqual({ kind: 'value', flag: 'label', typed: 'k8s', start: 3, end: 6 });
    expect(at('--not --drop-reason-desc POL')).toEqual({ kind: 'value', flag: 'drop-reason-desc', typed: 'POL', start: 25, end: 28 });
  });

  it('completes flag names, and nothing where no flag or value is being typed', () => {
    expect(at('--verdict DROPPED --na')).toEqual({ kind: 'flag', typed: '--na', start: 18, end: 22 });
    expect(at('-')).toEqual({ kind: 'flag', typed: '-', start: 0, end: 1 });
    expect(at('')).toBeUndefined();
    expect(at('--verdict DROPPED ')).toBeUndefined();
    expect(at('-n')).toBeUndefined();
    expect(at('-4 ')).toBeUndefined();
    expect(at('--all ')).toBeUndefined();
    expect(at('stray')).toBeUndefined();
  });

  it('looks only at the text before the cursor', () => {
    expect(at('--namespace sh --verdict DROPPED', 14)).toEqual({ kind: 'value', flag: 'namespace', typed: 'sh', start: 12, end: 14 });
    expect(at('--pod x --verdict DROPPED', 5)).toEqual({ kind: 'flag', typed: '--pod', start: 0, end: 5 });
    // The word is replaced whole, but only what is before the cursor counts as typed.
    expect(at('--namespace shop --verdict DROPPED', 14)).toEqual({ kind: 'value', flag: 'namespace', typed: 'sh', start: 12, end: 16 });
    expect(at(`--label 'k8s:app=fr --verdict DROPPED`, 19)).toEqual({ kind: 'value', flag: 'label', typed: 'k8s:app=fr', start: 8, end: 19 });
  });
});

describe('valueSource', () => {
  it('asks the data for what it stores and uses the CLI lists for the rest', () => {
    expect(valueSource('from-namespace')).toEqual({ api: 'namespace' });
    expect(valueSource('drop-reason-desc')).toEqual({ api: 'drop_reason' });
    expect(valueSource('snat-ip')).toEqual({ api: 'ip' });
    expect(valueSource('traffic-direction')).toEqual({ list: ['ingress', 'egress'] });
    expect(valueSource('to-identity')).toMatchObject({ list: expect.arrayContaining(['world', 'kube-apiserver']) });
    expect(valueSource('type')).toMatchObject({ list: expect.arrayContaining(['l7', 'trace:to-endpoint']) });
    expect(valueSource('http-path')).toBeUndefined();
  });
});

describe('matchCandidates and applyCompletion', () => {
  it('matches case-insensitively, prefix matches first', () => {
    expect(matchCandidates(['kube-system', 'shop', 'monitoring', 'shopping'], 'SHOP', 10)).toEqual(['shop', 'shopping']);
    expect(matchCandidates(['--to-namespace', '--namespace', '--from-namespace'], 'namesp', 10)).toEqual(['--to-namespace', '--namespace', '--from-namespace']);
    expect(matchCandidates(FLAG_NAMES, '--na', 1)).toEqual(['--namespace']);
  });

  it('inserts a value quoted by shell rules and moves past it', () => {
    const text = `--label 'k8s:app=fr --verdict DROPPED`;
    const ctx = completionAt(text, 19)!;
    expect(applyCompletion(text, ctx, 'k8s:app=front end')).toEqual({ text: `--label 'k8s:app=front end' --verdict DROPPED`, cursor: 28 });
    const ns = completionAt('--namespace sh', 14)!;
    expect(applyCompletion('--namespace sh', ns, 'shop')).toEqual({ text: '--namespace shop ', cursor: 17 });
  });

  it('completes a flag name with a space after it when it takes a value', () => {
    expect(applyCompletion('--na', completionAt('--na', 4)!, '--namespace')).toEqual({ text: '--namespace ', cursor: 12 });
    expect(applyCompletion('--al', completionAt('--al', 4)!, '--all')).toEqual({ text: '--all', cursor: 5 });
  });
});
