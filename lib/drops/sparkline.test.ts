import { describe, expect, it } from 'vitest';
import { sparklineGeometry } from './sparkline';

describe('sparklineGeometry', () => {
  it('scales counts to the box, largest at the top', () => {
    expect(sparklineGeometry([0, 5, 10], 100, 22)).toEqual({ line: 'M0 21 L50 11 L100 1', area: 'M0 21 L50 11 L100 1 L100 21 L0 21 Z', max: 10 });
  });

  it('draws one bin across the box, zeros on the baseline, and nothing without bins', () => {
    expect(sparklineGeometry([3], 40, 10).line).toBe('M0 1 L40 1');
    expect(sparklineGeometry([0, 0], 40, 10).line).toBe('M0 9 L40 9');
    expect(sparklineGeometry([], 40, 10)).toEqual({ line: '', area: '', max: 0 });
    expect(sparklineGeometry([Number.NaN, -1, 2], 20, 10).line).toBe('M0 9 L10 9 L20 1');
  });
});
