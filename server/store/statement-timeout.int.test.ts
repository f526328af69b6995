/**
 * Reads that requests run over raw flows give up after their statement timeout on PostgreSQL and
 * say what to narrow: the flows page, Share's count and Share's freeze. The flows table is held by
 * another session's lock, which the timeout counts like a long scan; once it is released the same
 * reads answer, and the pool's connections carry no timeout on to other statements. A freeze whose
 * copy finished but whose check for older matches was cancelled is kept, as capped.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowsQuery } from '../../lib/api/flows-query';
import { parseInvestigationCreate, type InvestigationDraft } from '../../lib/api/investigations';
import { createDemoTraffic } from '../demo/traffic';
import { createFlowWriter } from './flow-writer';
import { readFlowsPage } from './flows-page';
import type { Db, DbTx } from './db';
import { countInvestigationMatches, createInvestigation, listInvestigations, previewInvestigation } from './investigations';
import { createPartitionManager } from './partitions';
import { QueryTooSlowError } from './statement-timeout';
import { withTestSchema, type PgTestDb } from './test-db';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const FROM_MS = NOW_MS - 10 * 60_000;
const SINCE = new Date(FROM_MS).toISOString();
const UNTIL = new Date(NOW_MS).toISOString();
const TIMEOUT_MS = 300;

const pageQuery = () => {
  const r = parseFlowsQuery(new URLSearchParams({ q: '--namespace shop', since: SINCE, until: UNTIL, limit: '50' }), NOW_MS);
  if (!r.ok) throw new Error(r.error);
  return r.query;
};
const draft = (): InvestigationDraft => {
  const r = parseInvestigationCreate({ kind: 'flows', title: 'slow', q: '--namespace shop', since: SINCE, until: UNTIL }, NOW_MS);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('statement timeouts on postgres', () => {
  let t: PgTestDb;
  let locker: pg.Client | undefined;

  beforeAll(async () => {
    t = await withTestSchema('statement_timeout');
    const flows = createDemoTraffic({ seed: 3, rateFlowsPerS: 40, defaultTimeline: false }).flowsBetween(FROM_MS, FROM_MS + 20_000)
      .map((flow) => ({ flow, node_name: flow.node_name, time: flow.time }));
    await createFlowWriter(t.db, { partitions: createPartitionManager(t.db) }).write(flows);
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await t?.cleanup();
  });

  /** Holds an exclusive lock on `flows` from another session until the returned function is called. */
  async function lockFlows(): Promise<() => Promise<void>> {
    locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE flows IN ACCESS EXCLUSIVE MODE');
    const held = locker;
    return async () => {
      await held.query('ROLLBACK');
      await held.end();
      locker = undefined;
    };
  }

  it('gives up on each read after its timeout and says what to narrow', async () => {
    const release = await lockFlows();
    try {
      const started = performance.now();
      await expect(readFlowsPage(t.db, pageQuery(), { timeoutMs: TIMEOUT_MS })).rejects.toThrow(QueryTooSlowError);
      expect(performance.now() - started).toBeLessThan(5_000);
      await expect(readFlowsPage(t.db, pageQuery(), { timeoutMs: TIMEOUT_MS })).rejects
        .toThrow(/^Finding 50 matching flows took over 300 ms: few flows in this time range match the filter, .* Narrow the time range, or add --namespace or --verdict/);
      await expect(previewInvestigation(t.db, draft(), 10, TIMEOUT_MS)).rejects.toThrow(/^Counting the matching flows took over 300 ms: /);
      await expect(createInvestigation(t.db, draft(), { nowMs: NOW_MS, timeoutMs: TIMEOUT_MS })).rejects
        .toThrow(/^Freezing the matching flows took over 300 ms: /);
    } finally {
      await release();
    }
    // Nothing of the cancelled Share was kept.
    expect((await listInvestigations(t.db, 10)).investigations).toEqual([]);
  });

  it('answers the same reads once the table is free, and leaves no timeout on the pool', async () => {
    const page = await readFlowsPage(t.db, pageQuery(), { timeoutMs: TIMEOUT_MS });
    expect(page.flows.length).toBe(50);
    expect((await previewInvestigation(t.db, draft(), 10, TIMEOUT_MS)).capped).toBe(true);
    const created = await createInvestigation(t.db, draft(), { nowMs: NOW_MS, timeoutMs: TIMEOUT_MS });
    expect(created.flowCount).toBeGreaterThan(50);
    // Four at once, so they run on different connections of the pool.
    const settings = await Promise.all(Array.from({ length: 4 }, () => t.db.query<{ statement_timeout: string }>('SHOW statement_timeout')));
    expect(settings.map(([s]) => s.statement_timeout)).toEqual(['0', '0', '0', '0']);
  });

  it('keeps a freeze whose check for older matches is cancelled, as capped', async () => {
    // The check for older matching flows (SELECT EXISTS …) is cancelled by the server, as a long one would be.
    const slowCheck: Db = {
      ...t.db,
      transaction: (fn) => t.db.transaction((tx) => fn({
        ...tx,
        query: async (sql, params) => {
          if (!sql.trimStart().startsWith('SELECT EXISTS')) return tx.query(sql, params);
          await tx.query('SET LOCAL statement_timeout = 1');
          return tx.query('SELECT pg_sleep(1)');
        },
      } as DbTx)),
    };
    const created = await createInvestigation(slowCheck, draft(), { nowMs: NOW_MS, cap: 10 });
    expect(created).toMatchObject({ flowCount: 10, truncated: true, matchingFlows: null });
    expect(await countInvestigationMatches(t.db, created.id)).toBeGreaterThan(10);
  });
});
