import { describe, expect, it } from 'vitest';
import { SharedAnswers } from './shared-answers';

describe('SharedAnswers', () => {
  it('shares an answer, in flight or done, while it is younger than the ttl, then computes again', async () => {
    const answers = new SharedAnswers<number>(1_000);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    const [a, b] = await Promise.all([answers.get('k', 0, compute), answers.get('k', 10, compute)]);
    expect([a, b]).toEqual([1, 1]);
    expect(await answers.get('k', 999, compute)).toBe(1);
    expect(await answers.get('k', 1_000, compute)).toBe(2);
    expect(await answers.get('other', 1_000, compute)).toBe(3);
  });

  it('forgets a failed answer at once', async () => {
    const answers = new SharedAnswers<number>(1_000);
    await expect(answers.get('k', 0, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await answers.get('k', 1, () => Promise.resolve(7))).toBe(7);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const answers = new SharedAnswers<string>(60_000, 2);
    for (const key of ['a', 'b', 'c']) await answers.get(key, 0, () => Promise.resolve(key));
    let recomputed = false;
    await answers.get('a', 1, () => { recomputed = true; return Promise.resolve('a2'); });
    expect(recomputed).toBe(true);
    expect(await answers.get('c', 2, () => Promise.resolve('c2'))).toBe('c');
  });
});
