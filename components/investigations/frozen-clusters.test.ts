import { describe, expect, it } from 'vitest';
import { filterClusters, frozenClustersText } from './frozen-clusters';

describe('frozen clusters', () => {
  it('names the clusters the filter selects by, whichever side', () => {
    expect(filterClusters('--cluster west --cluster east --verdict DROPPED')).toEqual(['east', 'west']);
    expect(filterClusters('--from-cluster west --to-cluster east --from-namespace shop')).toEqual(['east', 'west']);
    expect(filterClusters('--namespace shop')).toEqual([]);
    expect(filterClusters('--verdict nope')).toEqual([]);
  });

  it('says "all" without cluster flags, with what the snapshot holds', () => {
    expect(frozenClustersText('--cluster west', ['east', 'west'])).toBe('west (from the filter)');
    expect(frozenClustersText('', ['west', '', 'east', 'west'])).toBe('all; the snapshot holds east, west');
    expect(frozenClustersText('', [])).toBe('all');
  });
});
