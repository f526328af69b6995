import { describe, expect, it } from 'vitest';
import { dropTrend } from './drop-trend';

describe('dropTrend', () => {
  it.each([
    [10, 0, { direction: 'appeared', text: 'none before' }],
    [0, 0, { direction: 'flat', changePct: 0, text: '±0%' }],
    [35, 10, { direction: 'up', changePct: 250, text: '+250%' }],
    [6, 10, { direction: 'down', changePct: -40, text: '\u221240%' }],
    [105, 100, { direction: 'flat', changePct: 5, text: '+5%' }],
    [0, 20, { direction: 'down', changePct: -100, text: '\u2212100%' }],
    [Number.NaN, -3, { direction: 'flat', changePct: 0, text: '±0%' }],
  ])('%d against %d', (count, previous, expected) => {
    expect(dropTrend(count, previous)).toEqual(expected);
  });
});
