import { describe, expect, it } from 'vitest';
import { ShellWordsError, splitShellWords } from '../../lib/api/shell-words';
import { shellWordsAt } from './shell-words-at';

/** A small deterministic generator, so a failure names a reproducible line. */
function* lines(count: number): Generator<string> {
  let state = 20260115;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const alphabet = ['a', 'b', ' ', ' ', "'", '"', '\\', '-', '=', '\n', '\t', '$'];
  for (let i = 0; i < count; i++) {
    let line = '';
    const length = next() % 16;
    for (let j = 0; j < length; j++) line += alphabet[next() % alphabet.length];
    yield line;
  }
}

describe('shellWordsAt', () => {
  it('finds the words splitShellWords finds, at their places', () => {
    expect(shellWordsAt(`  --label 'k8s:app=a b'  -n"sh"op \\ x`)).toEqual([
      { start: 2, end: 9, value: '--label' },
      { start: 10, end: 23, value: 'k8s:app=a b' },
      { start: 25, end: 33, value: '-nshop' },
      { start: 34, end: 37, value: ' x' },
    ]);
  });

  it('agrees with splitShellWords on thousands of generated lines', () => {
    let compared = 0;
    for (const line of lines(5000)) {
      const words = shellWordsAt(line);
      let want: string[];
      try {
        want = splitShellWords(line);
      } catch (e) {
        if (!(e instanceof ShellWordsError)) throw e;
        expect(words.at(-1)?.open, JSON.stringify(line)).toBeDefined();
        continue;
      }
      compared++;
      expect(words.map((w) => w.value), JSON.stringify(line)).toEqual(want);
      for (const w of words) expect(splitShellWords(line.slice(w.start, w.end)), JSON.stringify(line)).toEqual([w.value]);
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('reads an unterminated quote as if it were closed, and says which one is open', () => {
    expect(shellWordsAt(`--pod 'shop/fr`)).toEqual([{ start: 0, end: 5, value: '--pod' }, { start: 6, end: 14, value: 'shop/fr', open: "'" }]);
    expect(shellWordsAt(`--label="a b`).at(-1)).toEqual({ start: 0, end: 12, value: '--label=a b', open: '"' });
    expect(shellWordsAt(`"ab\\`).at(-1)).toEqual({ start: 0, end: 4, value: 'ab\\', open: '"' });
  });
});
