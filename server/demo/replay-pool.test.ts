import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../lib/time/timestamp';
import { flowsResponseFromPb, type PbObject } from '../hubble/flow-pb';
import { loadHubbleProto } from '../hubble/load-proto';
import { createDemoTraffic } from './traffic';
import { buildReplayPool } from './replay-pool';
import { replayStream, type ReplayChunk, type ReplayCounters } from './replay-stream';

const deserialize = loadHubbleProto().observerService.GetFlows.responseDeserialize as (b: Buffer) => PbObject;
const decode = (bytes: Buffer) => flowsResponseFromPb(deserialize(bytes));

/** The messages of a chunk of gRPC-framed responses. */
function unframe(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    expect(bytes[at]).toBe(0);
    const length = bytes.readUInt32BE(at + 1);
    out.push(bytes.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}
const next = async (stream: AsyncGenerator<ReplayChunk>) => {
  const chunk = (await stream.next()).value as ReplayChunk;
  const messages = unframe(chunk.bytes);
  expect(chunk.flows).toBe(messages.length === 1 && decode(messages[0]).lost_events ? 0 : messages.length);
  return messages;
};

describe('replay pool', () => {
  it('encodes each pooled demo flow as proto-loader decodes it, with the given time and a new uuid', () => {
    // One demo second for both, so that a second boundary between the two cannot part them.
    const k = Math.floor(Date.now() / 1000) - 3600;
    const pool = buildReplayPool({ poolSize: 300, seed: 3, fromSecond: k });
    const traffic = createDemoTraffic({ seed: 3, rateFlowsPerS: 20_000 });
    const originals = traffic.flowsBetween(k * 1000, (k + 1) * 1000).slice(0, 300);
    const out = Buffer.alloc(pool.maxResponseBytes * 2);
    const uuids = new Set<string>();
    for (const [i, original] of originals.entries()) {
      const end = pool.encode(i, 1_790_000_000 + i, i * 1_000_003, out, 7);
      const response = decode(out.subarray(7, end));
      const expectedTime = formatTimestamp({ seconds: 1_790_000_000 + i, nanos: i * 1_000_003 });
      expect(response.time).toBe(expectedTime);
      expect(response.node_name).toBe(original.node_name);
      expect(response.flow).toEqual({ ...original, time: expectedTime, uuid: response.flow?.uuid });
      expect(response.flow?.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      uuids.add(response.flow?.uuid as string);
    }
    expect(uuids.size).toBe(originals.length);
  });

  it('streams at the rate with monotonic times, and tells a consumer that fell behind what it lost', async () => {
    const pool = buildReplayPool({ poolSize: 50 });
    let nowMs = 1_790_000_000_250;
    const counters: ReplayCounters = { sent: 0, lost: 0 };
    const abort = new AbortController();
    const stream = replayStream(pool, { rateFlowsPerS: 1000, maxBehindFlows: 500, chunkFlows: 100, clock: () => nowMs }, abort.signal, counters);
    nowMs += 150;
    const first = await next(stream);
    expect(first).toHaveLength(100);
    const times = first.map((b) => decode(b).time as string);
    expect(times[0]).toBe('2026-09-21T14:13:20.250Z');
    expect(times[1]).toBe('2026-09-21T14:13:20.251Z');
    expect([...times].sort()).toEqual(times);
    expect(await next(stream)).toHaveLength(50);
    nowMs += 2_000;
    const lost = decode((await next(stream))[0]);
    expect(lost.lost_events).toEqual({ source: 'HUBBLE_RING_BUFFER', num_events_lost: '1500' });
    expect(counters).toEqual({ sent: 150, lost: 1500 });
    const after = decode((await next(stream))[0]);
    expect(after.time).toBe('2026-09-21T14:13:21.900Z');
    abort.abort();
    expect((await stream.next()).done).toBe(true);
  });
});
