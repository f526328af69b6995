/**
 * The last `capacity` flow keys seen, to drop repeats: a collector that resumes asks its relay
 * again from a little before its newest flow, so live streams see some flows twice.
 */
export class RecentKeys {
  private readonly set = new Set<string>();
  private readonly ring: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** Whether `key` is new (it is remembered from now on, the oldest forgotten beyond capacity). */
  add(key: string): boolean {
    if (this.set.has(key)) return false;
    if (this.ring.length < this.capacity) this.ring.push(key);
    else {
      this.set.delete(this.ring[this.next]);
      this.ring[this.next] = key;
      this.next = (this.next + 1) % this.capacity;
    }
    this.set.add(key);
    return true;
  }
}
