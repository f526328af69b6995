import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../lib/api/shell-words';
import type { Flow } from '../../lib/flow/flow';
import { compileFilters } from '../../lib/filter/match';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { readFlagsState, setClusters, setNamespaces, type FlagsEdit } from './flags-edit';

const parse = (text: string) => parseObserveArgs(splitShellWords(text));

function text(edit: FlagsEdit): string {
  if (!edit.ok) throw new Error(`edit refused: ${edit.error}`);
  return edit.text;
}

const flow = (from: string, to: string): Flow => ({
  time: '2026-11-26T10:00:00Z', verdict: 'FORWARDED',
  source: { cluster_name: from, namespace: 'shop', pod_name: 'frontend-1' },
  destination: { cluster_name: to, namespace: 'shop', pod_name: 'api-1' },
});

describe('cluster picker', () => {
  it('picks clusters as --cluster flags, meaning either side in any picked cluster', () => {
    const edited = text(setClusters('--verdict DROPPED', ['west']));
    expect(edited).toBe('--cluster west --verdict DROPPED');
    expect(readFlagsState(edited).clusters).toEqual({ editable: true, selected: ['west'] });
    const match = compileFilters(parse(text(setClusters('', ['west']))).filters);
    expect(match(flow('west', 'west'))).toBe(true);
    expect(match(flow('west', 'east'))).toBe(true);
    expect(match(flow('east', 'west'))).toBe(true);
    expect(match(flow('east', 'east'))).toBe(false);
    const both = compileFilters(parse(text(setClusters('', ['east', 'west']))).filters);
    expect(both(flow('east', 'east'))).toBe(true);
    expect(both(flow('north', 'north'))).toBe(false);
  });

  it('replaces the clusters where they were, "all" removes them, and namespaces stay as typed', () => {
    expect(text(setClusters('--port 80 --cluster east --verdict DROPPED --cluster=west', ['north']))).toBe('--port 80 --cluster north --verdict DROPPED');
    expect(text(setClusters('--cluster east --namespace shop', []))).toBe('--namespace shop');
    const edited = text(setNamespaces(text(setClusters('-n shop', ['east'])), ['shop', 'data']));
    expect(edited).toBe('--cluster east --namespace shop --namespace data');
    expect(readFlagsState(edited)).toMatchObject({ clusters: { selected: ['east'] }, namespaces: { selected: ['shop', 'data'] } });
  });

  it.each([
    ['--from-cluster east', /--from-cluster is not something the picker can show \(it sets --cluster, either side\)/],
    ['--to-cluster west --cluster east', /--to-cluster is not/],
    ['--not --cluster east', /--not --cluster is not/],
    [`--allowlist '{"verdict":["DROPPED"]}'`, /--allowlist filters/],
    ['--verdict nope', /fix the flags first/],
  ])('is fixed for %s, and keeps what it shows', (flags, reason) => {
    const state = readFlagsState(flags).clusters;
    expect(state.editable).toBe(false);
    if (!state.editable) expect(state.reason).toMatch(reason);
    expect(setClusters(flags, ['x']).ok).toBe(false);
  });

  it('leaves the namespace picker editable beside one-sided cluster flags, and the other way round', () => {
    expect(readFlagsState('--from-cluster east --namespace shop').namespaces.editable).toBe(true);
    expect(readFlagsState('--from-namespace shop --cluster east').clusters).toEqual({ editable: true, selected: ['east'] });
  });
});
