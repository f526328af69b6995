/**
 * Structured logs: pino, JSON lines on stderr, one child logger per component so every line says
 * which room it came from. stderr keeps stdout clean for what commands print (export, observe).
 */
import { pino, type Logger } from 'pino';

const root = pino(
  {
    level: 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  pino.destination({ fd: 2, sync: true }),
);

/** Sets the level for every component (main calls it with the configured LOG_LEVEL). */
export function setLogLevel(level: string): void {
  root.level = level;
}

/** A logger whose lines carry `component`. */
export function logger(component: string): Logger {
  return root.child({ component });
}

export type { Logger };
