/**
 * Fuzz: thousands of seeded random query strings (real and bogus flags, plausible and hostile values,
 * broken quotes, unicode, U+0000, SQL text, in every parameter) → parseServiceMapQuery answers a
 * query or a 400 with a message, and never throws. SERVICE_MAP_QUERY_SEED=<n> replays a run.
 */
import { describe, expect, it } from 'vitest';
import { createQueryGen, seededRandom } from './flows-query-gen';
import { parseServiceMapQuery, SERVICE_MAP_MAX_SPAN_MS, SERVICE_MAP_NOISE } from './service-map';

const SEED = Number(process.env.SERVICE_MAP_QUERY_SEED ?? 20261127);
const NOW_MS = Date.UTC(2026, 0, 15, 12);
const RUNS = 5_000;
const TIMES = ['5m', '1h', '24h', '7d', '2026-01-15T11:00:00Z', '2026-01-15', '-5m', '0s', '900h', 'soon', '', '2026-01-15T11:00:00.5+01:00'];
const HOSTILE = [`'; DROP TABLE edge_minute; --`, '\0', 'a\0b', '🚀', 'ünï', '%', '$1', ' ', 'x'.repeat(300), '{a,b}'];

describe(`parseServiceMapQuery fuzz (seed ${SEED})`, () => {
  it(`answers a query or a 400 for ${RUNS} random query strings`, () => {
    const random = seededRandom(SEED);
    const gen = createQueryGen(random, { nowMs: NOW_MS });
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const outcomes = { ok: 0, rejected: 0 };
    for (let i = 0; i < RUNS; i++) {
      const p = new URLSearchParams();
      if (random() < 0.7) p.set('q', gen.q());
      for (const name of ['since', 'until', 'timelineSince', 'timelineUntil']) if (random() < 0.3) p.set(name, random() < 0.8 ? pick(TIMES) : pick(HOSTILE));
      for (const name of ['namespace', 'cluster']) while (random() < 0.3) p.append(name, random() < 0.8 ? pick(['shop', 'kube-system', 'demo', '']) : pick(HOSTILE));
      while (random() < 0.25) p.append('hide', random() < 0.8 ? pick(SERVICE_MAP_NOISE) : pick(HOSTILE));
      let result;
      try {
        result = parseServiceMapQuery(p, NOW_MS);
      } catch (e) {
        throw new Error(`run ${i}: parseServiceMapQuery threw for ?${p}: ${(e as Error)?.stack ?? String(e)}`);
      }
      if (!result.ok) {
        outcomes.rejected++;
        expect(result.status).toBe(400);
        expect(result.error.length).toBeGreaterThan(0);
        continue;
      }
      outcomes.ok++;
      const q = result.query;
      expect(q.sinceMs).toBeLessThan(q.untilMs);
      expect(q.untilMs - q.sinceMs).toBeLessThanOrEqual(SERVICE_MAP_MAX_SPAN_MS);
      expect(q.timelineSinceMs).toBeLessThan(q.timelineUntilMs);
      for (const h of q.hide) expect(SERVICE_MAP_NOISE).toContain(h);
    }
    // Both kinds must be well represented, or the generator has drifted.
    expect(outcomes.ok).toBeGreaterThan(RUNS / 5);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 5);
  });

  it('never throws for random characters in every parameter', () => {
    const random = seededRandom(SEED + 1);
    const junk = () => Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
    for (let i = 0; i < RUNS; i++) {
      const p = new URLSearchParams();
      for (const name of ['q', 'since', 'until', 'namespace', 'cluster', 'hide', 'timelineSince', 'timelineUntil']) if (random() < 0.5) p.set(name, junk());
      const result = parseServiceMapQuery(p, NOW_MS);
      if (!result.ok) expect(result.error).toBeTruthy();
    }
  });
});
