/**
 * Answers to identical requests, shared for a moment: everyone on call watching the same live map
 * (each page asks every 2 s) costs one database read per moment instead of one each. An answer is
 * reused while it is younger than `ttlMs`, including while it is still being computed; a failed
 * one is forgotten at once. Keys must hold everything the answer depends on, the viewer's
 * namespace scope included.
 */
export class SharedAnswers<T> {
  private readonly entries = new Map<string, { atMs: number; answer: Promise<T> }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 200) {}

  get(key: string, nowMs: number, compute: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.atMs < this.ttlMs) return entry.answer;
    const answer = compute();
    this.entries.delete(key);
    this.entries.set(key, { atMs: nowMs, answer });
    answer.catch(() => {
      if (this.entries.get(key)?.answer === answer) this.entries.delete(key);
    });
    this.evict(nowMs);
    return answer;
  }

  private evict(nowMs: number): void {
    // Insertion order is age order: the oldest go first, expired or beyond the bound.
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && nowMs - entry.atMs < this.ttlMs) break;
      this.entries.delete(key);
    }
  }
}
