import { describe, expect, it } from 'vitest';
import { pickerSummary } from './multi-value-picker';

const nouns = { one: 'cluster', many: 'clusters', title: 'Clusters' };

describe('pickerSummary', () => {
  it('says what is picked, and "All" for nothing picked', () => {
    expect(pickerSummary(nouns, [], ['east', 'west'])).toBe('All clusters');
    expect(pickerSummary(nouns, ['west'], ['east', 'west'])).toBe('west');
    expect(pickerSummary(nouns, ['west', 'east'], ['east', 'west'])).toBe('west, east');
    expect(pickerSummary(nouns, ['a', 'b', 'c'], [])).toBe('3 clusters');
  });

  it('names the only value seen without passing it off as picked', () => {
    expect(pickerSummary(nouns, [], ['demo'], true)).toBe('All clusters (demo)');
    expect(pickerSummary(nouns, [], ['demo'])).toBe('All clusters');
  });
});
