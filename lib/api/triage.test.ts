import { describe, expect, it } from 'vitest';
import { parseTriageQuery, triageUrl } from './triage';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');

describe('parseTriageQuery', () => {
  it('looks from now without `at`, or from the time `at` names as hubble observe takes it', () => {
    expect(parseTriageQuery(new URLSearchParams(''), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS } });
    expect(parseTriageQuery(new URLSearchParams('at='), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS } });
    expect(parseTriageQuery(new URLSearchParams('at=1h'), NOW_MS)).toEqual({ ok: true, query: { nowMs: NOW_MS - 3_600_000 } });
    expect(parseTriageQuery(new URLSearchParams('at=2026-01-15T03:10:00Z'), NOW_MS))
      .toEqual({ ok: true, query: { nowMs: Date.parse('2026-01-15T03:10:00Z') } });
  });

  it('answers a 400 naming the parameter for a time it cannot read, never throwing', () => {
    const r = parseTriageQuery(new URLSearchParams('at=yesterday'), NOW_MS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.error).toMatch(/^at: failed to convert yesterday to time/);
    }
  });

  it('builds the API URL the page fetches', () => {
    expect(triageUrl()).toBe('/api/triage');
    expect(triageUrl('2026-01-15T03:10:00Z')).toBe('/api/triage?at=2026-01-15T03%3A10%3A00Z');
  });
});
