/**
 * A drop group's trend: its count in the window against the previous window of equal length.
 */

/** Which way a group moved; `appeared` when the previous window had none. */
export type DropTrendDirection = 'appeared' | 'up' | 'down' | 'flat';

export interface DropTrend {
  direction: DropTrendDirection;
  /** Change in percent, rounded; undefined when the previous window had none. */
  changePct?: number;
  /** What a person reads: `+250%`, `−40%`, `±0%`, `none before`. */
  text: string;
}

/** Changes within this many percent read as flat. */
const FLAT_PCT = 10;

/**
 * The trend of `count` drops against `previous` drops in the window before. Counts are whole,
 * non-negative numbers; anything else is treated as 0.
 */
export function dropTrend(count: number, previous: number): DropTrend {
  const now = Number.isFinite(count) && count > 0 ? count : 0;
  const before = Number.isFinite(previous) && previous > 0 ? previous : 0;
  if (before === 0) return now === 0 ? { direction: 'flat', changePct: 0, text: '±0%' } : { direction: 'appeared', text: 'none before' };
  const changePct = Math.round(((now - before) / before) * 100);
  if (Math.abs(changePct) < FLAT_PCT) return { direction: 'flat', changePct, text: changePct === 0 ? '±0%' : signed(changePct) };
  return { direction: changePct > 0 ? 'up' : 'down', changePct, text: signed(changePct) };
}

const signed = (pct: number) => (pct > 0 ? `+${pct.toLocaleString('en-US')}%` : `\u2212${Math.abs(pct).toLocaleString('en-US')}%`);
