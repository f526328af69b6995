/**
 * A drop group's page in the store: its count over the window from the rollups, and its newest
 * sample flows from the raw `flows`, with what they tell (labels of both sides, denying policies
 * and their kinds, direction) for the suggested policy.
 *
 * Samples are the flows `edgeFilter(dropGroupSelection(key))` selects (the same filter the page's
 * /flows link and `hubble observe` command use) whose rollup key is exactly the group's, so flows
 * denied by other policies are not mixed in. The rollups say where the newest samples lie, so the
 * raw read is bounded to the buckets that hold them rather than the whole window.
 */
import type { DropGroupKey } from '../../lib/api/drop-groups';
import { dropGroupSelection } from '../../lib/api/drop-groups';
import { dropGroupFacts, type DropGroupFacts } from '../../lib/drops/drop-group-facts';
import { HOUR_MS, minuteWindow, type MinuteWindow } from '../../lib/drops/drop-window';
import { edgeFilter } from '../../lib/filter/edge-filter';
import type { FlowsResponse } from '../../lib/flow/flow';
import { logger } from '../log/logger';
import type { Db } from './db';
import { DROPPED, groupKeySql, rfc3339Sql, rollupDropsSql } from './drop-rows';
import { EDGE_KEY_FROM_FLOWS } from './edge-counts';
import { compileFilterSql, SqlParams } from './filter-sql';

const log = logger('drop-group-detail');

export interface DropGroupDetailRequest {
  key: DropGroupKey;
  /** Window bounds, RFC 3339; counted in the whole minutes they touch (lib/drops/drop-window.ts minuteWindow). */
  since: string;
  until: string;
  /** Sample flows to read, newest first. */
  sampleLimit: number;
}

export interface DropGroupDetailResult {
  /** Drops of the group in the window (whole minutes, from the rollups). */
  count: number;
  /** Start of the first and last bucket with drops (RFC 3339); absent without drops. */
  firstSeen?: string;
  lastSeen?: string;
  samples: FlowsResponse[];
  facts: DropGroupFacts;
}

interface BucketRow { ms: number; t: string; n: number }

async function groupBuckets(db: Db, key: DropGroupKey, span: MinuteWindow): Promise<BucketRow[]> {
  const params = new SqlParams();
  const rows = await db.query<BucketRow>(
    `SELECT extract(epoch FROM bucket)::float8 * 1000 AS ms, ${rfc3339Sql('bucket')} AS t, sum(flows)::float8 AS n
     FROM (${rollupDropsSql(span, groupKeySql(key, params), params)}) b GROUP BY bucket ORDER BY bucket DESC`,
    params.values,
  );
  return rows.map((r) => ({ ms: Number(r.ms), t: r.t, n: Number(r.n) }));
}

/**
 * The part of the span that holds the newest `limit` drops: from the bucket where the count, summed
 * from the newest bucket back, reaches `limit`, to the end of the newest bucket (an hour at most).
 */
function sampleSpan(buckets: readonly BucketRow[], span: MinuteWindow, limit: number): MinuteWindow {
  let seen = 0;
  let fromMs = span.fromMs;
  for (const b of buckets) {
    seen += b.n;
    if (seen >= limit) {
      fromMs = Math.max(span.fromMs, b.ms);
      break;
    }
  }
  return { fromMs, toMs: Math.min(span.toMs, buckets[0].ms + HOUR_MS) };
}

async function sampleFlows(db: Db, key: DropGroupKey, span: MinuteWindow, limit: number): Promise<FlowsResponse[]> {
  const params = new SqlParams();
  const filter = compileFilterSql({ whitelist: [edgeFilter(dropGroupSelection(key))], blacklist: [] }, params);
  const from = params.add(new Date(span.fromMs).toISOString());
  const to = params.add(new Date(span.toMs).toISOString());
  const rows = await db.query<{ raw: string; flow_key: string }>(
    `SELECT raw, flow_key FROM (
       SELECT raw, flow_key, time, ${EDGE_KEY_FROM_FLOWS} FROM flows
       WHERE verdict = ${DROPPED} AND time >= ${from}::timestamptz AND time < ${to}::timestamptz AND (${filter})
     ) keyed WHERE ${groupKeySql(key, params)}
     ORDER BY time DESC, flow_key DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  const out: FlowsResponse[] = [];
  for (const row of rows) {
    try {
      out.push(JSON.parse(row.raw) as FlowsResponse);
    } catch (err) {
      log.warn({ err, flowKey: row.flow_key }, 'stored flow line not readable; left out of the samples');
    }
  }
  return out;
}

/**
 * A group's count, first and last seen over the window, and its newest sample flows with their
 * facts. Throws the filter compiler's FilterError if the group's filter cannot be matched (values
 * the store cannot hold); an empty group answers count 0 and no samples.
 */
export async function readDropGroupDetail(db: Db, request: DropGroupDetailRequest): Promise<DropGroupDetailResult> {
  const span = minuteWindow(Date.parse(request.since), Date.parse(request.until));
  const buckets = await groupBuckets(db, request.key, span);
  if (buckets.length === 0) return { count: 0, samples: [], facts: dropGroupFacts([]) };
  const samples = await sampleFlows(db, request.key, sampleSpan(buckets, span, request.sampleLimit), request.sampleLimit);
  return {
    count: buckets.reduce((sum, b) => sum + b.n, 0),
    firstSeen: buckets[buckets.length - 1].t,
    lastSeen: buckets[0].t,
    samples,
    facts: dropGroupFacts(samples),
  };
}
