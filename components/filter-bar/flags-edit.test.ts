import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../lib/api/shell-words';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { formatObserveCommand, printObserveArgs } from '../../lib/filter/print-observe-args';
import { readFlagsState, setNamespaces, setToggle, TOGGLE_OPTIONS, type FlagsEdit, type ToggleFlag } from './flags-edit';

const parse = (text: string) => parseObserveArgs(splitShellWords(text));

function text(edit: FlagsEdit): string {
  if (!edit.ok) throw new Error(`edit refused: ${edit.error}`);
  return edit.text;
}

/** Texts the toggles can edit: plain flags, short and `=` forms, quotes, a terminator. */
const EDITABLE = [
  '',
  '--namespace shop',
  '-n shop --pod frontend',
  '--verdict FORWARDED --port 80',
  `--label 'k8s:app in (a, b)' --http-path '^/api/.*' --type l7`,
  '--from-pod shop/frontend --to-port 8080 --since 1h',
  '--not --ip 10.0.0.1 --verdict=DROPPED',
  '--protocol TCP --traffic-direction Egress --',
  '-4Af',
];

describe('quick toggles', () => {
  it('checking a value adds the flag and means what typing the flag means', () => {
    expect(text(setToggle('', 'verdict', 'DROPPED', true))).toBe('--verdict DROPPED');
    expect(text(setToggle('--namespace shop', 'verdict', 'DROPPED', true))).toBe('--namespace shop --verdict DROPPED');
    expect(text(setToggle('--verdict FORWARDED --port 80', 'verdict', 'DROPPED', true))).toBe('--verdict FORWARDED --verdict DROPPED --port 80');
    expect(text(setToggle('--verdict DROPPED --', 'protocol', 'tcp', true))).toBe('--verdict DROPPED --protocol tcp --');
    const edited = text(setToggle('--namespace shop', 'verdict', 'DROPPED', true));
    expect(printObserveArgs(parse(edited))).toEqual(['--namespace', 'shop', '--verdict', 'DROPPED']);
  });

  it('round-trips every option on every editable text through the parser', () => {
    for (const base of EDITABLE) {
      for (const flag of Object.keys(TOGGLE_OPTIONS) as ToggleFlag[]) {
        for (const value of TOGGLE_OPTIONS[flag]) {
          const state = readFlagsState(base).toggles[flag];
          expect(state.editable, `${base} ${flag}`).toBe(true);
          if (state.selected.includes(value)) continue;
          const on = text(setToggle(base, flag, value, true));
          // Flag order does not matter to the filter; appending the flag is the reference.
          expect(parse(on), `${base} + ${value}`).toEqual(parse(`${base.replace(/ --$/, '')} --${flag} ${value}${base.endsWith(' --') ? ' --' : ''}`));
          expect(readFlagsState(on).toggles[flag].selected).toContain(value);
          expect(formatObserveCommand(parse(on))).toMatch(new RegExp(`--${flag} ${value}\\b`, 'i'));
          const off = text(setToggle(on, flag, value, false));
          expect(off, `${base} + ${value} - ${value}`).toBe(base);
          expect(parse(off)).toEqual(parse(base));
        }
      }
    }
  });

  it('reads values case-insensitively where the flag is, and unchecks every form of one', () => {
    const state = readFlagsState('--protocol TCP --traffic-direction Egress');
    expect(state.toggles.protocol).toEqual({ editable: true, selected: ['tcp'] });
    expect(state.toggles['traffic-direction']).toEqual({ editable: true, selected: ['egress'] });
    expect(text(setToggle('--protocol TCP --verdict=DROPPED --port 53 --verdict DROPPED', 'verdict', 'DROPPED', false))).toBe('--protocol TCP --port 53');
    expect(text(setToggle('--protocol TCP --protocol udp', 'protocol', 'tcp', false))).toBe('--protocol udp');
  });

  it('leaves the text alone when the value already is as asked', () => {
    expect(setToggle('--verdict DROPPED', 'verdict', 'DROPPED', true)).toEqual({ ok: true, text: '--verdict DROPPED' });
    expect(setToggle('--port 80', 'verdict', 'DROPPED', false)).toEqual({ ok: true, text: '--port 80' });
  });

  it.each([
    ['--not --verdict FORWARDED', 'verdict', /--not --verdict FORWARDED excludes/],
    ['--verdict DROPPED --not --protocol udp', 'protocol', /--not --protocol udp excludes/],
    [`--denylist '{"verdict":["FORWARDED"]}'`, 'verdict', /--denylist filter sets verdict/],
    ['--protocol icmpv6', 'protocol', /--protocol icmpv6 has no toggle/],
    [`--verdict DROPPED --allowlist '{"source_pod":["shop/"]}'`, 'verdict', /--allowlist filters, which are ORed/],
  ] as const)('fixes the toggles for %s instead of guessing', (flags, flag, reason) => {
    const state = readFlagsState(flags).toggles[flag];
    expect(state.editable).toBe(false);
    if (!state.editable) expect(state.reason).toMatch(reason);
    const edit = setToggle(flags, flag, TOGGLE_OPTIONS[flag][1], true);
    expect(edit.ok).toBe(false);
    if (!edit.ok) expect(edit.error).toMatch(reason);
  });

  it('keeps the other groups editable when one is fixed, and shows what is selected', () => {
    const state = readFlagsState('--verdict DROPPED --not --verdict FORWARDED --protocol udp');
    expect(state.toggles.verdict).toMatchObject({ editable: false, selected: ['DROPPED'] });
    expect(state.toggles.protocol).toEqual({ editable: true, selected: ['udp'] });
    expect(text(setToggle('--not --verdict FORWARDED', 'protocol', 'tcp', true))).toBe('--not --verdict FORWARDED --protocol tcp');
  });

  it('fixes every control, with the parser message, while the text is not valid flags', () => {
    const state = readFlagsState('--verdict dropped');
    expect(state.error).toBe('invalid argument "dropped" for "--verdict" flag: invalid --verdict value: dropped');
    for (const control of [...Object.values(state.toggles), state.namespaces]) {
      expect(control).toMatchObject({ editable: false, reason: `fix the flags first: ${state.error}` });
    }
    expect(readFlagsState(`--pod 'shop`).error).toMatch(/unterminated single quote/);
  });
});

describe('namespace picker', () => {
  it('picks namespaces as --namespace flags, meaning either side in any of them', () => {
    const edited = text(setNamespaces('--verdict DROPPED', ['a', 'b']));
    expect(edited).toBe('--namespace a --namespace b --verdict DROPPED');
    expect(parse(edited).filters.whitelist).toEqual([
      { source_pod: ['a/', 'b/'], verdict: ['DROPPED'] },
      { destination_pod: ['a/', 'b/'], verdict: ['DROPPED'] },
    ]);
    expect(readFlagsState(edited).namespaces).toEqual({ editable: true, selected: ['a', 'b'] });
  });

  it('replaces the namespaces where they were, and "all" removes them', () => {
    expect(text(setNamespaces('--port 80 -n shop --verdict DROPPED --namespace=x', ['kube-system']))).toBe('--port 80 --namespace kube-system --verdict DROPPED');
    expect(text(setNamespaces('-n shop --verdict DROPPED', []))).toBe('--verdict DROPPED');
    expect(text(setNamespaces('--namespace shop', []))).toBe('');
    expect(text(setNamespaces('--pod frontend', ['shop']))).toBe('--namespace shop --pod frontend');
    expect(parse('--namespace shop --pod frontend').filters.whitelist[0].source_pod).toEqual(['shop/frontend']);
  });

  it('splits a shorthand group that holds -n, keeping its other flags', () => {
    const edited = text(setNamespaces('-4nshop --port 53', []));
    expect(edited).toBe('--ipv4 --port 53');
    expect(parse(edited)).toEqual(parse('-4 --port 53'));
    expect(readFlagsState('-A4').namespaces.editable).toBe(false);
  });

  it.each([
    ['--from-namespace shop', /--from-namespace is not something the picker can show/],
    ['--to-all-namespaces', /--to-all-namespaces is not/],
    ['-A', /--all-namespaces is not/],
    ['--not --namespace kube-system', /--not --namespace is not/],
    [`--allowlist '{"verdict":["DROPPED"]}'`, /--allowlist filters/],
  ])('is fixed for %s', (flags, reason) => {
    const state = readFlagsState(flags).namespaces;
    expect(state.editable).toBe(false);
    if (!state.editable) expect(state.reason).toMatch(reason);
    expect(setNamespaces(flags, ['x']).ok).toBe(false);
  });

  it('refuses a pick the CLI would refuse, with its message', () => {
    expect(setNamespaces('--from-pod shop/frontend', ['shop'])).toEqual({
      ok: false, error: expect.stringMatching(/--namespace.*--from-pod|--from-pod.*--namespace/),
    });
  });

  it('quotes what the shell would split', () => {
    const edited = text(setNamespaces('', ["it's odd"]));
    expect(edited).toBe(`--namespace 'it'\\''s odd'`);
    expect(splitShellWords(edited)).toEqual(['--namespace', "it's odd"]);
  });
});
