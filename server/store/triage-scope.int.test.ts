/**
 * A restricted viewer's triage on PostgreSQL 15 and PGlite: their namespaces narrow the drop rates,
 * the new drop groups and the top pairs before each list is cut to TRIAGE_LIST_LIMIT. The viewer's
 * namespace drops least of 31, so a list cut first and narrowed after would leave it out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIAGE_LIST_LIMIT, TRIAGE_RATE_MINUTES, type TriageResponse } from '../../lib/api/triage';
import { DropReason } from '../../lib/flow/drop-reasons';
import { Verdict } from '../../lib/flow/enums';
import { EDGE_KEY } from './edge-counts';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';
import { readTriage } from './triage';

const NOW_MS = Date.parse('2026-01-15T12:00:30Z');
const DROPPED = Verdict.byName.get('DROPPED')!;
const POLICY_DENIED = DropReason.byName.get('POLICY_DENIED')!;
const BUSY = Array.from({ length: 30 }, (_, i) => `busy${String(i + 1).padStart(2, '0')}`);

/** [bucket, source namespace/workload, destination namespace/workload, flows] */
type Drop = [string, [string, string], [string, string], number];
const DROPS: Drop[] = [
  ...BUSY.map((ns, i): Drop => ['2026-01-15T11:57:00Z', [ns, 'client'], [ns, 'server'], 100 + i]),
  // The viewer's: older in the recent window and fewer than any other.
  ['2026-01-15T11:56:00Z', ['quiet', 'a'], ['quiet', 'b'], 1],
  ['2026-01-15T11:56:00Z', ['quiet', 'a'], ['busy01', 'server'], 2],
];

async function seed(t: TestDb): Promise<void> {
  for (const [bucket, src, dst, flows] of DROPS) {
    await t.db.query(
      `INSERT INTO edge_minute (bucket, ${EDGE_KEY}, flows) VALUES ($1, '', $2, $3, '', $4, $5, '', '', 80, 'TCP', $6, $7, '', 'quiet/deny', $8)`,
      [new Date(bucket), src[0], src[1], dst[0], dst[1], DROPPED, POLICY_DENIED, flows],
    );
  }
}

type Lists = Pick<TriageResponse, 'dropRates' | 'newDropGroups' | 'dropPairs'>;
const rateNamespaces = (t: Lists) => t.dropRates.namespaces.map((n) => n.namespace);
const groupPairs = (t: Lists) => t.newDropGroups.groups.map((g) => `${g.key.source.namespace}→${g.key.destination.namespace}`);
const pairs = (t: Lists) => t.dropPairs.pairs.map((p) => `${p.source.namespace}→${p.destination.namespace}`);

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('triage_scope')],
  ['PGlite', () => openTestPglite()],
];

describe.each(drivers)('a restricted viewer\'s triage on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await seed(t);
  });
  afterAll(() => t?.cleanup());

  it('leaves the quiet namespace out of every list cut for all namespaces', async () => {
    const all = await readTriage(t.db, { nowMs: NOW_MS });
    expect(rateNamespaces(all)).toHaveLength(TRIAGE_LIST_LIMIT);
    expect(all.dropRates.truncated).toBe(true);
    expect(rateNamespaces(all)).not.toContain('quiet');
    expect(groupPairs(all)).toHaveLength(TRIAGE_LIST_LIMIT);
    expect(all.newDropGroups.truncated).toBe(true);
    expect(groupPairs(all).filter((p) => p.includes('quiet'))).toEqual([]);
    expect(pairs(all)).toHaveLength(TRIAGE_LIST_LIMIT);
    expect(pairs(all).filter((p) => p.includes('quiet'))).toEqual([]);
  });

  it('narrows each list to the viewer\'s namespaces before cutting it', async () => {
    const mine = await readTriage(t.db, { nowMs: NOW_MS, namespaces: ['quiet'] });
    expect(mine.dropRates.namespaces).toEqual([{ namespace: 'quiet', nowPerMin: 3 / TRIAGE_RATE_MINUTES, hourAgoPerMin: 0, dayAgoPerMin: 0 }]);
    expect(mine.dropRates.truncated).toBe(false);
    expect(groupPairs(mine)).toEqual(['quiet→busy01', 'quiet→quiet']);
    expect(mine.newDropGroups.truncated).toBe(false);
    expect(pairs(mine)).toEqual(['quiet→busy01', 'quiet→quiet']);
    expect(mine.timeline.points.reduce((n, p) => n + p.drops, 0)).toBe(3);
  });

  it('counts a namespace the viewer shares with others only once, for that namespace', async () => {
    const shared = await readTriage(t.db, { nowMs: NOW_MS, namespaces: ['busy01', 'quiet'] });
    expect(shared.dropRates.namespaces.map((n) => [n.namespace, n.nowPerMin * TRIAGE_RATE_MINUTES])).toEqual([['busy01', 102], ['quiet', 3]]);
    expect(pairs(shared)).toEqual(['busy01→busy01', 'quiet→busy01', 'quiet→quiet']);
  });
});
