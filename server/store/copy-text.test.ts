import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from './copy-text';

describe('copyField', () => {
  it('gives a frozen array (shared by many flows, its text reused) the same text as a fresh one', () => {
    const labels = ['k8s:app=a"b', 'k8s:x=back\\slash', 'tab\there', 'new\nline', 'nul\0byte'];
    const frozen = Object.freeze([...labels]);
    const expected = '{"k8s:app=a\\\\"b","k8s:x=back\\\\\\\\slash","tab\\there","new\\nline","nulbyte"}';
    expect(copyField(labels)).toBe(expected);
    expect(copyField(frozen)).toBe(expected);
    expect(copyField(frozen)).toBe(expected);
    expect(copyLine([frozen, null, 3, true])).toBe(`${expected}\t\\N\t3\tt`);
  });
});
