/**
 * The timeline's kept buckets, on PostgreSQL and PGlite: a bucket that ended FINAL_AFTER_MS ago is
 * read once and kept, newer ones are read on every call, and kept ones are read again after
 * CACHE_TTL_MS; nothing is kept past the real clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verdict } from '../../lib/flow/enums';
import { EDGE_KEY } from './edge-counts';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';
import { CACHE_TTL_MS, FINAL_AFTER_MS, readTimeline } from './triage-timeline';
import { triageWindows } from './triage-windows';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');
const OLD = '2026-01-15T10:05:00Z';
const RECENT = '2026-01-15T11:58:00Z';

async function add(t: TestDb, bucket: string, verdict: 'FORWARDED' | 'DROPPED', flows: number): Promise<void> {
  await t.db.query(
    `INSERT INTO edge_minute (bucket, ${EDGE_KEY}, flows) VALUES ($1, '', 'shop', 'a', '', 'shop', 'b', '', '', 80, 'TCP', $2, 0, '', '', $3)
     ON CONFLICT (bucket, ${EDGE_KEY}) DO UPDATE SET flows = edge_minute.flows + excluded.flows`,
    [new Date(bucket), Verdict.byName.get(verdict)!, flows],
  );
}

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('triage_timeline')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('the triage timeline on %s', (_name, open) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await open();
    await add(t, OLD, 'FORWARDED', 10);
    await add(t, RECENT, 'DROPPED', 4);
  });
  afterEach(() => t?.cleanup());

  const at = (timeline: Awaited<ReturnType<typeof readTimeline>>, time: string) => timeline.points.find((p) => p.time === new Date(time).toISOString());
  const w = triageWindows(NOW_MS);

  it('keeps buckets that ended long enough ago and reads the newer ones every time', async () => {
    const first = await readTimeline(t.db, w, () => NOW_MS);
    expect(at(first, '2026-01-15T10:00:00Z')).toMatchObject({ flows: 10, drops: 0 });
    expect(at(first, '2026-01-15T11:45:00Z')).toMatchObject({ flows: 4, drops: 4 });
    await add(t, OLD, 'FORWARDED', 5);
    await add(t, RECENT, 'DROPPED', 6);
    const second = await readTimeline(t.db, w, () => NOW_MS + 60_000);
    expect(at(second, '2026-01-15T10:00:00Z')).toMatchObject({ flows: 10 });
    expect(at(second, '2026-01-15T11:45:00Z')).toMatchObject({ flows: 10, drops: 10 });
    expect(second.points).toHaveLength(first.points.length);
    const later = await readTimeline(t.db, w, () => NOW_MS + CACHE_TTL_MS + 60_000);
    expect(at(later, '2026-01-15T10:00:00Z')).toMatchObject({ flows: 15 });
  });

  it('keeps nothing the real clock has not passed by FINAL_AFTER_MS', async () => {
    const future = triageWindows(NOW_MS + 2 * 3_600_000);
    await readTimeline(t.db, future, () => NOW_MS - 3 * 3_600_000 + FINAL_AFTER_MS);
    await add(t, OLD, 'FORWARDED', 5);
    const again = await readTimeline(t.db, future, () => NOW_MS);
    expect(at(again, '2026-01-15T10:00:00Z')).toMatchObject({ flows: 15 });
  });
});
