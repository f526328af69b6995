/**
 * Fuzz: thousands of seeded random query strings (real and bogus flags, plausible and hostile
 * values, broken quotes, unicode, U+0000, SQL text) → parseFlowsQuery answers a query or a 400 with
 * a message, and never throws. FLOWS_QUERY_SEED=<n> replays a run.
 */
import { describe, expect, it } from 'vitest';
import { parseObserveArgs } from '../filter/observe-args';
import { createQueryGen, seededRandom } from './flows-query-gen';
import { FLOWS_PAGE_MAX_LIMIT, parseFlowsQuery } from './flows-query';
import { splitShellWords } from './shell-words';

const SEED = Number(process.env.FLOWS_QUERY_SEED ?? 20260115);
const NOW_MS = Date.UTC(2026, 0, 15, 12);
const RUNS = 5_000;

describe(`parseFlowsQuery fuzz (seed ${SEED})`, () => {
  it(`answers a query or a 400 for ${RUNS} random query strings`, () => {
    const gen = createQueryGen(seededRandom(SEED), { nowMs: NOW_MS });
    const outcomes = { ok: 0, rejected: 0 };
    for (let i = 0; i < RUNS; i++) {
      const params = gen.params();
      let result;
      try {
        result = parseFlowsQuery(params, NOW_MS);
      } catch (e) {
        throw new Error(`run ${i}: parseFlowsQuery threw for ?${params}: ${(e as Error)?.stack ?? String(e)}`);
      }
      if (!result.ok) {
        outcomes.rejected++;
        expect(result.status).toBe(400);
        expect(typeof result.error).toBe('string');
        expect(result.error.length).toBeGreaterThan(0);
        continue;
      }
      outcomes.ok++;
      const q = result.query;
      expect(q.limit).toBeGreaterThanOrEqual(1);
      expect(q.limit).toBeLessThanOrEqual(FLOWS_PAGE_MAX_LIMIT);
      // The printed command asks for the very same filters.
      const again = parseObserveArgs(splitShellWords(q.command).slice(2));
      expect(again.filters, `?${params}`).toEqual(q.filters);
    }
    // Both kinds must be well represented, or the generator has drifted.
    expect(outcomes.ok).toBeGreaterThan(RUNS / 5);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 5);
  });

  it('never throws for random bytes in every parameter', () => {
    const random = seededRandom(SEED + 1);
    const junk = () => Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
    for (let i = 0; i < RUNS; i++) {
      const params = new URLSearchParams();
      for (const name of ['q', 'since', 'until', 'limit', 'cursor', 'format']) if (random() < 0.5) params.set(name, junk());
      const result = parseFlowsQuery(params, NOW_MS);
      if (!result.ok) expect(result.error).toBeTruthy();
    }
  });
});
