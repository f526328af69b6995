/**
 * Exponential backoff with full jitter (the delay is uniform in [0, min(cap, base·2^attempt))),
 * so that many collectors do not hammer a relay that comes back in lockstep. Pure given the
 * random function; time is passed in, never read.
 */

export interface BackoffOptions {
  /** Upper bound of the first delay. */
  baseMs?: number;
  /** Largest upper bound any delay can reach. */
  capMs?: number;
  /** A connection that stayed up this long counts as healthy and starts the sequence over. */
  healthyAfterMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  baseMs: 500,
  capMs: 30_000,
  healthyAfterMs: 10_000,
};

/** Full-jitter delay before retry number `attempt` (0-based); `random` returns [0, 1). */
export function fullJitterDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceilingMs = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceilingMs);
}

/** Retry bookkeeping for one connection: how many failures in a row, and the next delay. */
export class Backoff {
  private readonly options: Required<BackoffOptions>;
  private failures = 0;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.options = { ...DEFAULT_BACKOFF, ...options };
    const { baseMs, capMs, healthyAfterMs } = this.options;
    if (!(baseMs > 0) || !(capMs >= baseMs) || !(healthyAfterMs >= 0)) {
      throw new RangeError(`backoff needs 0 < baseMs <= capMs and healthyAfterMs >= 0 (got ${baseMs}, ${capMs}, ${healthyAfterMs})`);
    }
  }

  /** Failures since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  nextDelayMs(): number {
    const delay = fullJitterDelayMs(this.failures, this.options.baseMs, this.options.capMs, this.random);
    this.failures += 1;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }

  /** Call when a connection that had been established ends; resets if it had been healthy. */
  connectionEnded(upForMs: number): void {
    if (upForMs >= this.options.healthyAfterMs) this.reset();
  }
}
