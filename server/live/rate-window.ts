/**
 * At most `rate` takes in each clock second (a live subscription's rate cap). Windows aligned to
 * the clock, rather than a token bucket that refills continuously, make every subscription with
 * the same filters and cap take the same flows (the first ones of each second): the flows the
 * collector thread sends to the main thread are then shared, not one different sample each.
 */
export class RateWindow {
  private second = -1;
  private taken = 0;

  constructor(private readonly rate: number) {}

  /** One take at `nowMs`, if this clock second has room. */
  take(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.taken = 0;
    }
    if (this.taken >= this.rate) return false;
    this.taken++;
    return true;
  }
}
