/**
 * Investigations in the store: a frozen view and its own copy of the matching flows. The copy is
 * made in SQL inside the creating transaction (INSERT … SELECT from `flows`, newest first, up to
 * the cap): no flow passes through Node. Every read of an investigation goes through this module,
 * so that who may open one is decided in one place. Which flows match a window: ./investigation-plan.ts.
 */
import { randomBytes } from 'node:crypto';
import { scopeFilterSet, type NamespaceScope } from '../../lib/access/namespace-scope';
import { scopeFromText, scopeText } from '../../lib/access/scope-text';
import type { FlowsPage } from '../../lib/api/flows-query';
import { encodeFlowsCursor } from '../../lib/api/flows-cursor';
import {
  INVESTIGATION_FLOW_CAP, investigationCommand, investigationFilters, type InvestigationDetail, type InvestigationDraft,
  type InvestigationFlowsQuery, type InvestigationList, type InvestigationPreview, type InvestigationSummary, type InvestigationWindowQuery,
} from '../../lib/api/investigations';
import type { InvestigationKind } from '../../lib/api/investigation-view';
import { logger } from '../log/logger';
import type { Db, Queryable } from './db';
import { SqlParams } from './filter-sql';
import { windowWhere } from './investigation-plan';
import { flowScanTooSlow, isQueryCanceled, limitStatements, queryWithin } from './statement-timeout';

export { streamInvestigationFlows } from './investigation-export';

const log = logger('investigations');

/** RFC 3339 UTC with microseconds: what a cursor carries, and what PostgreSQL reads back exactly. */
const timeText = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIME_TEXT = timeText('time');

interface InvestigationRow {
  id: string;
  kind: InvestigationKind;
  title: string;
  notes: string;
  created_at: Date;
  q: string;
  since: string;
  until: string;
  view_state: string;
  map_snapshot: string | null;
  flow_cap: number;
  flow_count: number;
  truncated: boolean;
  matching_flows: number | string | null;
  scope: string;
}

const SUMMARY_COLUMNS = 'id, kind, title, created_at, q, since, until, flow_cap, flow_count, truncated, matching_flows';

function summaryOf(row: Omit<InvestigationRow, 'notes' | 'view_state' | 'map_snapshot'>): InvestigationSummary {
  return {
    id: row.id, kind: row.kind, title: row.title, createdAt: row.created_at.toISOString(), q: row.q, since: row.since, until: row.until,
    flowCap: row.flow_cap, flowCount: row.flow_count, truncated: row.truncated,
    matchingFlows: row.matching_flows === null ? null : Number(row.matching_flows),
  };
}

/** A new investigation id: 16 random bytes, base64url (22 characters). */
export function newInvestigationId(): string {
  return randomBytes(16).toString('base64url');
}

export interface CreateInvestigationOptions {
  /** The creation time (ms since the epoch). */
  nowMs: number;
  /** Most flows to copy; INVESTIGATION_FLOW_CAP by default. */
  cap?: number;
  newId?: () => string;
  /** The creator's namespaces: only their flows are copied, and only viewers who see them all may open it. */
  scope?: NamespaceScope;
  /** Statement timeout while the flows are found and copied; INVESTIGATION_TIMEOUT_MS by default. */
  timeoutMs?: number;
}

/**
 * Whether `flows` holds a matching flow older than the oldest one copied; true when finding out
 * was cancelled by the statement timeout (countInvestigationMatches counts them afterwards).
 */
async function moreThanCopied(tx: Queryable, draft: InvestigationDraft, id: string): Promise<boolean> {
  const [oldest] = await tx.query<{ t: string; flow_key: string }>(
    `SELECT ${TIME_TEXT} AS t, flow_key FROM investigation_flows WHERE investigation_id = $1 ORDER BY time, flow_key LIMIT 1`, [id],
  );
  if (!oldest) return false;
  const params = new SqlParams();
  const where = windowWhere(draft, params);
  const t = params.add(oldest.t);
  // A savepoint, so that a cancelled check leaves the copy and the transaction usable.
  await tx.query('SAVEPOINT more_than_copied');
  try {
    const [row] = await tx.query<{ more: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM flows WHERE ${where} AND time <= ${t}::timestamptz
         AND (time, flow_key) < (${t}::timestamptz, ${params.add(oldest.flow_key)})) AS more`,
      params.values,
    );
    await tx.query('RELEASE SAVEPOINT more_than_copied');
    return row.more;
  } catch (err) {
    if (!isQueryCanceled(err)) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT more_than_copied');
    return true;
  }
}

/** How long finding an investigation's flows may take, to count them or to freeze them (PostgreSQL). */
export const INVESTIGATION_TIMEOUT_MS = 30_000;

/**
 * Creates an investigation and copies the newest `cap` matching flows into it, in one transaction.
 * When more matched, `truncated` is set and `matchingFlows` left null for countInvestigationMatches.
 * Throws a FilterError (the client's to fix) before touching the database for a filter the store
 * cannot match exactly, and a QueryTooSlowError when finding the flows runs past its timeout.
 */
export async function createInvestigation(db: Db, draft: InvestigationDraft, opts: CreateInvestigationOptions): Promise<InvestigationSummary> {
  const cap = opts.cap ?? INVESTIGATION_FLOW_CAP;
  const timeoutMs = opts.timeoutMs ?? INVESTIGATION_TIMEOUT_MS;
  const id = (opts.newId ?? newInvestigationId)();
  const scope = opts.scope ?? '*';
  draft = { ...draft, filters: scopeFilterSet(draft.filters, scope) };
  const params = new SqlParams();
  const where = windowWhere(draft, params);
  const startedMs = performance.now();
  const summary = await db.transaction(async (tx) => {
    // Compiling this one statement for JIT costs more (~150 ms) than running it.
    if (db.kind === 'postgres') await tx.query('SET LOCAL jit = off');
    if (db.kind === 'postgres') await limitStatements(tx, timeoutMs);
    const [copied] = await tx.query<{ n: number }>(
      `WITH copied AS (
         INSERT INTO investigation_flows (investigation_id, time, flow_key, raw)
         SELECT ${params.add(id)}, time, flow_key, raw FROM flows WHERE ${where}
         ORDER BY time DESC, flow_key DESC LIMIT ${params.add(cap)}
         RETURNING 1)
       SELECT count(*)::int AS n FROM copied`,
      params.values,
    );
    // What is left of the time allowed, for the check and the rest.
    if (db.kind === 'postgres') await limitStatements(tx, Math.max(1_000, timeoutMs - (performance.now() - startedMs)));
    const truncated = copied.n >= cap && (await moreThanCopied(tx, draft, id));
    const [row] = await tx.query<InvestigationRow>(
      `INSERT INTO investigations (id, kind, title, notes, created_at, q, since, until, view_state, map_snapshot, flow_cap, flow_count, truncated, matching_flows, scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${SUMMARY_COLUMNS}`,
      [id, draft.kind, draft.title, draft.notes, new Date(opts.nowMs), draft.q, draft.since, draft.until, JSON.stringify(draft.view),
        draft.map ? JSON.stringify(draft.map) : null, cap, copied.n, truncated, truncated ? null : copied.n, scopeText(scope)],
    );
    return summaryOf(row);
  }).catch((err: unknown) => {
    throw isQueryCanceled(err) ? flowScanTooSlow('Freezing the matching flows', timeoutMs) : err;
  });
  log.info({ id, kind: draft.kind, flows: summary.flowCount, truncated: summary.truncated, ms: Math.round(performance.now() - startedMs) }, 'investigation created');
  return summary;
}

/**
 * Counts every flow a truncated investigation's filter matches in its window, and stores the count
 * (at least one more than was copied: retention may have dropped some since). Slow on long
 * windows, so it runs after the create has answered. Resolves with the count; undefined when the
 * investigation is gone or was not truncated.
 */
export async function countInvestigationMatches(db: Db, id: string): Promise<number | undefined> {
  const [inv] = await db.query<Pick<InvestigationRow, 'q' | 'since' | 'until' | 'truncated' | 'matching_flows' | 'scope'>>(
    'SELECT q, since, until, truncated, matching_flows, scope FROM investigations WHERE id = $1', [id],
  );
  if (!inv?.truncated || inv.matching_flows !== null) return undefined;
  const params = new SqlParams();
  const filters = scopeFilterSet(investigationFilters(inv.q), scopeFromText(inv.scope));
  const where = windowWhere({ filters, since: inv.since, until: inv.until }, params);
  const startedMs = performance.now();
  const [{ n }] = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM flows WHERE ${where}`, params.values);
  const [row] = await db.query<{ matching_flows: number | string }>(
    'UPDATE investigations SET matching_flows = GREATEST($2::bigint, flow_count + 1) WHERE id = $1 AND matching_flows IS NULL RETURNING matching_flows',
    [id, String(n)],
  );
  log.info({ id, matching: Number(n), ms: Math.round(performance.now() - startedMs) }, 'investigation matches counted');
  return row ? Number(row.matching_flows) : undefined;
}

/** How many flows a filter matches in a window, counted up to `cap + 1` (what Share would freeze). */
export async function previewInvestigation(
  db: Db, window: InvestigationWindowQuery, cap = INVESTIGATION_FLOW_CAP, timeoutMs = INVESTIGATION_TIMEOUT_MS,
): Promise<InvestigationPreview> {
  const params = new SqlParams();
  const where = windowWhere(window, params);
  const sql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM flows WHERE ${where} LIMIT ${params.add(cap + 1)}) matching`;
  const [{ n }] = await queryWithin<{ n: number }>(db, timeoutMs, sql, params.values).catch((err: unknown) => {
    throw isQueryCanceled(err) ? flowScanTooSlow('Counting the matching flows', timeoutMs) : err;
  });
  return { since: window.since, until: window.until, matching: Math.min(n, cap), capped: n > cap, cap };
}

/** The newest investigations first, of those a viewer of `scope` may open. */
export async function listInvestigations(db: Db, limit: number, scope: NamespaceScope = '*'): Promise<InvestigationList> {
  const visible = scope === '*' ? 'TRUE' : `scope <> '*' AND string_to_array(scope, ',') <@ $2::text[]`;
  const rows = await db.query<InvestigationRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM investigations WHERE ${visible} ORDER BY created_at DESC, id LIMIT $1`,
    scope === '*' ? [limit + 1] : [limit + 1, [...scope]],
  );
  return { investigations: rows.slice(0, limit).map(summaryOf), more: rows.length > limit };
}

function parseJson<T>(text: string, id: string, what: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    log.warn({ err, id }, `stored ${what} not readable`);
    return undefined;
  }
}

/** One investigation with its view, map and the span of its frozen flows; undefined when there is none. */
export async function readInvestigation(db: Db, id: string): Promise<InvestigationDetail | undefined> {
  const [row] = await db.query<InvestigationRow>('SELECT * FROM investigations WHERE id = $1', [id]);
  if (!row) return undefined;
  const [span] = await db.query<{ oldest: string | null; newest: string | null }>(
    `SELECT ${timeText('min(time)')} AS oldest, ${timeText('max(time)')} AS newest
     FROM investigation_flows WHERE investigation_id = $1`, [id],
  );
  const map = row.map_snapshot === null ? undefined : parseJson<InvestigationDetail['map']>(row.map_snapshot, id, 'map snapshot');
  return {
    ...summaryOf(row),
    notes: row.notes,
    view: parseJson<InvestigationDetail['view']>(row.view_state, id, 'view state') ?? {},
    ...(map ? { map } : {}),
    command: investigationCommand(investigationFilters(row.q), row.since, row.until),
    ...(span?.oldest ? { oldestFlowTime: span.oldest } : {}),
    ...(span?.newest ? { newestFlowTime: span.newest } : {}),
  };
}

/** The scope investigation `id` was created with; undefined when there is none. */
export async function investigationScope(db: Db, id: string): Promise<NamespaceScope | undefined> {
  const [row] = await db.query<{ scope: string }>('SELECT scope FROM investigations WHERE id = $1', [id]);
  return row ? scopeFromText(row.scope) : undefined;
}

/** Whether investigation `id` exists (before an export starts streaming). */
export async function investigationExists(db: Db, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM investigations WHERE id = $1', [id])).length > 0;
}

/** Deletes an investigation and its flows; false when there was none. */
export async function deleteInvestigation(db: Db, id: string): Promise<boolean> {
  const deleted = await db.transaction(async (tx) => {
    await tx.query('DELETE FROM investigation_flows WHERE investigation_id = $1', [id]);
    return tx.query('DELETE FROM investigations WHERE id = $1 RETURNING id', [id]);
  });
  if (deleted.length > 0) log.info({ id }, 'investigation deleted');
  return deleted.length > 0;
}

/** A page of an investigation's frozen flows, newest first (keyset on time, flow_key); undefined when there is none. */
export async function readInvestigationFlowsPage(db: Db, id: string, query: Omit<InvestigationFlowsQuery, 'format'>): Promise<FlowsPage | undefined> {
  const [inv] = await db.query<Pick<InvestigationRow, 'q' | 'since' | 'until'>>('SELECT q, since, until FROM investigations WHERE id = $1', [id]);
  if (!inv) return undefined;
  const params = new SqlParams();
  const where = [`investigation_id = ${params.add(id)}`];
  if (query.cursor) {
    const t = params.add(query.cursor.time);
    where.push(`time <= ${t}::timestamptz`, `(time, flow_key) < (${t}::timestamptz, ${params.add(query.cursor.flowKey)})`);
  }
  const rows = await db.query<{ t: string; flow_key: string; raw: string }>(
    `SELECT ${TIME_TEXT} AS t, flow_key, raw FROM investigation_flows WHERE ${where.join(' AND ')}
     ORDER BY time DESC, flow_key DESC LIMIT ${params.add(query.limit + 1)}`,
    params.values,
  );
  const pageRows = rows.slice(0, query.limit);
  const flows = pageRows.flatMap((r) => parseJson<FlowsPage['flows'][number]>(r.raw, id, 'flow line') ?? []);
  const last = pageRows.at(-1);
  const command = investigationCommand(investigationFilters(inv.q), inv.since, inv.until);
  return rows.length > query.limit && last
    ? { flows, nextCursor: encodeFlowsCursor({ time: last.t, flowKey: last.flow_key }), command }
    : { flows, command };
}
