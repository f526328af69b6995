import { describe, expect, it } from 'vitest';
import type { FlowsResponse } from '../../lib/flow/flow';
import { followRelay } from './follow-relay';
import type { RelayClient } from './relay-client';

/** A relay whose responses are all ready at once, as when one HTTP/2 read holds hundreds of them. */
function burstClient(count: number): RelayClient {
  return {
    name: 'burst:4245',
    transport: 'plaintext',
    resetConnection: () => undefined,
    async *getFlows(_query: unknown, _signal: AbortSignal, options?: { onConnected?: () => void }) {
      options?.onConnected?.();
      for (let i = 0; i < count; i++) yield { flow: { time: '2026-11-26T10:00:00Z', uuid: String(i) } } as FlowsResponse;
    },
  } as unknown as RelayClient;
}

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('followRelay', () => {
  it('lets pending I/O run during a long burst of ready responses', async () => {
    const abort = new AbortController();
    let handled = 0;
    let handledWhenIoRan = -1;
    // Stands for the database's reply to a batch write, ready as the burst starts.
    setImmediate(() => {
      handledWhenIoRan = handled;
    });
    const done = followRelay({
      client: burstClient(2_000),
      query: {},
      signal: abort.signal,
      log: { info: () => undefined, warn: () => undefined, debug: () => undefined },
      onResponse: () => {
        busyFor(0.02);
        if (++handled === 2_000) abort.abort();
      },
    });
    await done;
    expect(handled).toBe(2_000);
    // 2,000 × 20 µs is 40 ms of work; the I/O must not wait for all of it (a turn comes every ~5 ms).
    expect(handledWhenIoRan).toBeGreaterThan(0);
    expect(handledWhenIoRan).toBeLessThan(1_500);
  });
});
