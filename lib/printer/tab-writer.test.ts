import { describe, expect, it } from 'vitest';
import { GoTabWriter, HUBBLE_TABLE_SETTINGS, type TabWriterOptions } from './tab-writer';

// Vectors from Go's src/text/tabwriter/tabwriter_test.go (those without HTML, escapes or Debug):
// [name, minwidth, tabwidth, padding, padchar, flags, src, expected].
type Flags = Pick<TabWriterOptions, 'alignRight' | 'discardEmptyColumns'>;
const R: Flags = { alignRight: true };
const D: Flags = { discardEmptyColumns: true };
const GO_VECTORS: [string, number, number, number, string, Flags, string, string][] = [
  ['1a', 8, 0, 1, '.', {}, '', ''],
  ['2', 8, 0, 1, '.', {}, '\n\n\n', '\n\n\n'],
  ['3', 8, 0, 1, '.', {}, 'a\nb\nc', 'a\nb\nc'],
  ['4a', 8, 0, 1, '.', {}, '\t', ''],
  ['4b', 8, 0, 1, '.', R, '\t', ''],
  ['5', 8, 0, 1, '.', {}, '*\t*', '*.......*'],
  ['5b', 8, 0, 1, '.', {}, '*\t*\n', '*.......*\n'],
  ['5c', 8, 0, 1, '.', {}, '*\t*\t', '*.......*'],
  ['5d', 8, 0, 1, '.', R, '*\t*\t', '.......**'],
  ['6', 8, 0, 1, '.', {}, '\t\n', '........\n'],
  ['7a', 8, 0, 1, '.', {}, 'a) foo', 'a) foo'],
  ['7b', 8, 0, 1, ' ', {}, 'b) foo\tbar', 'b) foo  bar'],
  ['7c', 8, 0, 1, '.', {}, 'c) foo\tbar\t', 'c) foo..bar'],
  ['7d', 8, 0, 1, '.', {}, 'd) foo\tbar\n', 'd) foo..bar\n'],
  ['7e', 8, 0, 1, '.', {}, 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
  ['8', 8, 0, 1, '*', {}, 'Hello, world!\n', 'Hello, world!\n'],
  ['9a', 1, 0, 0, '.', {}, '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
  ['9c', 1, 0, 0, '.', {}, '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1234\n11222333344444\n'],
  ['10a', 5, 0, 0, '.', {}, '1\t2\t3\t4\n', '1....2....3....4\n'],
  ['10b', 5, 0, 0, '.', {}, '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  ['11', 8, 0, 1, '.', {}, '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n',
    '本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n'],
  ['12a', 8, 0, 1, ' ', R, 'a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n',
    '       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n'],
  ['12b', 2, 0, 0, ' ', {}, 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a  b  c\naa bbbcccc\naaabbbb\n'],
  ['12c', 8, 0, 1, '_', {}, 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n'],
  ['13a', 4, 0, 1, '-', {},
    '4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n'],
  ['13b', 4, 0, 3, '.', {},
    '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n'],
  ['14', 1, 0, 2, ' ', R,
    '.0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t',
    '    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3'],
  ['15a', 4, 0, 0, '.', {}, 'a\t\tb', 'a.......b'],
  ['15b', 4, 0, 0, '.', D, 'a\t\tb', 'a.......b'],
  ['15c', 4, 0, 0, '.', D, 'a\v\vb', 'a...b'],
  ['15d', 4, 0, 0, '.', { ...R, ...D }, 'a\v\vb', '...ab'],
  ['16a', 100, 100, 0, '\t', {}, 'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
  ['16b', 100, 100, 0, '\t', D, 'a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n',
    'a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
  ['16c', 100, 100, 0, '\t', D, 'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
];

describe('GoTabWriter against Go text/tabwriter test vectors', () => {
  it.each(GO_VECTORS)('%s', (_name, minWidth, tabWidth, padding, padChar, flags, src, expected) => {
    const opts = { minWidth, tabWidth, padding, padChar, ...flags };
    const whole = new GoTabWriter(opts);
    whole.write(src);
    expect(whole.flush()).toBe(expected);
    // Go's test also writes byte by byte: the result must not depend on how text is split.
    const pieces = new GoTabWriter(opts);
    for (const ch of src) pieces.write(ch);
    expect(pieces.flush()).toBe(expected);
  });
});

describe('GoTabWriter with hubble settings (2, 0, 3, space)', () => {
  it('pads every column to its widest cell plus 3 and leaves the last cell unpadded', () => {
    const tw = new GoTabWriter(HUBBLE_TABLE_SETTINGS);
    tw.write('TIMESTAMP\tSOURCE\tSUMMARY\n');
    tw.write('a\tbb\tlong summary text\n');
    expect(tw.flush()).toBe('TIMESTAMP   SOURCE   SUMMARY\na           bb       long summary text\n');
  });

  it('gives a column of empty cells the padding (3 spaces), which beats the minimum width 2', () => {
    const tw = new GoTabWriter(HUBBLE_TABLE_SETTINGS);
    tw.write('\tx\tend\n');
    expect(tw.flush()).toBe('   x   end\n');
  });

  it('is reusable after flush and returns only new output', () => {
    const tw = new GoTabWriter(HUBBLE_TABLE_SETTINGS);
    tw.write('a\tb\n');
    expect(tw.flush()).toBe('a   b\n');
    tw.write('cc\td\n');
    expect(tw.flush()).toBe('cc   d\n');
  });

  it('counts a character outside the BMP as one rune', () => {
    const tw = new GoTabWriter(HUBBLE_TABLE_SETTINGS);
    tw.write('\u{1F680}\tx\nab\ty\n');
    expect(tw.flush()).toBe('\u{1F680}    x\nab   y\n');
  });

  it('rejects negative settings', () => {
    expect(() => new GoTabWriter({ minWidth: -1, tabWidth: 0, padding: 0, padChar: ' ' })).toThrow(RangeError);
  });
});
