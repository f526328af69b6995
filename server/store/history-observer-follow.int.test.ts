/**
 * Follow on the history observer, on PostgreSQL 15 and on PGlite: the stored part, then flows as
 * they are committed and published on the live bus, with nothing repeated or skipped at the seam,
 * repeats of the bus dropped, the filter applied to live flows, and lost_events for a follower that
 * falls behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery } from '../../lib/flow/observer';
import { formatTimestamp, timestampFromMs } from '../../lib/time/timestamp';
import type { LiveFlows } from './history-observer';
import {
  NOW_MS, StreamReader, WINDOW_STARTS, demoResponses, openHistoryFixture, uuidsOf, type HistoryFixture,
} from './history-test-fixture';
import { openTestPglite, withTestSchema, type TestDb } from './test-db';

const drivers: Array<[string, () => Promise<TestDb>]> = [
  ['PostgreSQL', () => withTestSchema('history_follow')],
  ['PGlite', () => openTestPglite()],
];

const unique = (list: string[]) => new Set(list).size === list.length;
/** The stored flows of one of the fixture's windows. */
const storedWindow = (i: number) => demoResponses(WINDOW_STARTS[i], WINDOW_STARTS[i] + 3_000);

describe.each(drivers)('history observer follow on %s', (_name, open) => {
  let f: HistoryFixture;
  let publishOnSubscribe: FlowsResponse[] = [];
  // Publishes already-stored flows right after a follower subscribes, while its stored part is read.
  const live: LiveFlows = {
    subscribeFlows(listener, spec) {
      const off = f.bus.subscribeFlows(listener, spec);
      const batch = publishOnSubscribe;
      publishOnSubscribe = [];
      if (batch.length) queueMicrotask(() => f.bus.publishFlows(batch));
      return off;
    },
  };
  let nextMs = NOW_MS + 1_000;
  /** Commits the next second of demo flows, then publishes them as the collector does. */
  async function commitNext(filter: (r: FlowsResponse) => boolean = () => true): Promise<FlowsResponse[]> {
    const batch = demoResponses(nextMs, nextMs + 1_000).filter(filter);
    nextMs += 1_000;
    await f.writer.write(batch);
    f.bus.publishFlows(batch);
    return batch;
  }
  /** Reads flows until `last` arrives; returns every response read. */
  async function readThrough(reader: StreamReader, last: string): Promise<FlowsResponse[]> {
    const out: FlowsResponse[] = [];
    while (out.at(-1)?.flow?.uuid !== last) out.push(await reader.next());
    return out;
  }
  function follow(query: FlowsQuery): { reader: StreamReader; abort: AbortController } {
    const abort = new AbortController();
    return { reader: new StreamReader(f.client.getFlows({ ...query, follow: true }, abort.signal)), abort };
  }

  beforeAll(async () => { f = await openHistoryFixture(open, { live }); });
  afterAll(() => f?.stop());

  it('sends the newest N stored flows, then committed flows once each, dropping repeats', async () => {
    const { reader, abort } = follow({ number: 5 });
    try {
      const head = await reader.take(6);
      expect(head[0].node_status?.state_change).toBe('NODE_CONNECTED');
      const stored = (await f.t.db.query<{ uuid: string }>('SELECT uuid FROM flows ORDER BY time DESC, flow_key DESC LIMIT 5')).map((r) => r.uuid).reverse();
      expect(uuidsOf(head)).toEqual(stored);
      const first = await commitNext();
      f.bus.publishFlows(first); // a resumed collector stream repeats what it committed
      f.bus.publishFlows(storedWindow(3)); // ... or flows stored long before
      const second = await commitNext();
      const got = await readThrough(reader, second.at(-1)?.flow?.uuid as string);
      expect(got.every((r) => r.flow)).toBe(true);
      expect(uuidsOf(got)).toEqual(uuidsOf([...first, ...second]));
      for (const [i, r] of got.entries()) expect(r).toEqual([...first, ...second][i]);
    } finally {
      abort.abort();
    }
  });

  it('has no repeat and no gap at the seam when flows are published while the stored part is read', async () => {
    // Stored a day ago and never published yet: the follower's stored part has them too.
    const since = formatTimestamp(timestampFromMs(WINDOW_STARTS[2]));
    publishOnSubscribe = storedWindow(2);
    const { reader, abort } = follow({ since });
    try {
      const fresh = await commitNext();
      const got = await readThrough(reader, fresh.at(-1)?.flow?.uuid as string);
      const storedSince = (await f.t.db.query<{ uuid: string }>('SELECT uuid FROM flows WHERE time >= $1 ORDER BY time, flow_key', [since])).map((r) => r.uuid);
      expect(got[0].node_status).toBeDefined();
      expect(unique(uuidsOf(got))).toBe(true);
      expect(uuidsOf(got)).toEqual(storedSince);
      expect(uuidsOf(got).slice(-fresh.length)).toEqual(uuidsOf(fresh));
    } finally {
      abort.abort();
    }
  });

  it('filters live flows like stored ones', async () => {
    const { reader, abort } = follow({ number: 3, whitelist: [{ verdict: ['DROPPED'] }] });
    try {
      const head = await reader.take(4);
      expect(head.slice(1).every((r) => r.flow?.verdict === 'DROPPED')).toBe(true);
      let dropped: FlowsResponse[] = [];
      while (dropped.length === 0) dropped = (await commitNext()).filter((r) => r.flow?.verdict === 'DROPPED');
      const got = await readThrough(reader, dropped.at(-1)?.flow?.uuid as string);
      expect(uuidsOf(got)).toEqual(uuidsOf(dropped));
    } finally {
      abort.abort();
    }
  });

  it('without number or since sends only live flows, and tells a follower that fell behind what it lost', async () => {
    const slow = await openHistoryFixture(open, { maxPendingPerFollower: 5 });
    const abort = new AbortController();
    try {
      const reader = new StreamReader(slow.client.getFlows({ follow: true }, abort.signal));
      expect((await reader.next()).node_status?.state_change).toBe('NODE_CONNECTED');
      const burst = demoResponses(NOW_MS + 100_000, NOW_MS + 101_000);
      expect(burst.length).toBeGreaterThan(20);
      slow.bus.publishFlows(burst);
      const got = await reader.take(6);
      expect(uuidsOf(got)).toEqual(uuidsOf(burst.slice(0, 5)));
      expect(got[5].lost_events).toEqual({ source: 'OBSERVER_EVENTS_QUEUE', num_events_lost: String(burst.length - 5) });
      const after = demoResponses(NOW_MS + 101_000, NOW_MS + 101_100);
      slow.bus.publishFlows(after);
      expect((await reader.next()).flow?.uuid).toBe(after[0].flow?.uuid);
    } finally {
      abort.abort();
      await slow.stop();
    }
  });
});
