/**
 * Following a relay across outages: one GetFlows follow stream, reopened with backoff and jitter
 * after every failure, each failure logged once in plain words and then summarized.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery } from '../../lib/flow/observer';
import type { RelayState } from '../../lib/ingest/ingest-status';
import { logger, type Logger } from '../log/logger';
import { Backoff, type BackoffOptions } from './backoff';
import type { RelayClient } from './relay-client';
import { RelayError, seconds, type RelayErrorKind } from './relay-errors';
import { sleep } from '../../lib/time/sleep';
import { setImmediate as ioTurn } from 'node:timers/promises';

export interface RelayStateChange {
  state: RelayState;
  /** `host:port` of the relay. */
  relay: string;
  /** Failed attempts since the last healthy connection. */
  failures: number;
  lastError?: string;
  lastErrorKind?: RelayErrorKind;
  retryInMs?: number;
}

export interface FollowRelayOptions {
  client: RelayClient;
  /** The request for each (re)connection, e.g. `since` = newest stored flow; follow is forced on. */
  query: FlowsQuery | (() => FlowsQuery | Promise<FlowsQuery>);
  onResponse: (response: FlowsResponse) => void | Promise<void>;
  onState?: (change: RelayStateChange) => void;
  signal: AbortSignal;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
  log?: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** How often a failure that keeps repeating is logged again at warn level. */
  repeatLogEveryMs?: number;
}

/**
 * Responses that arrive together (one HTTP/2 read can hold hundreds) are handled in a chain of
 * microtasks that never returns to the event loop, so the database's replies wait behind them: at
 * 30,000 flows/s the collector's loop stalled for 150–300 ms and each batch write, a few round
 * trips, took twice what the database needed. After this long without a turn the follower lets
 * pending I/O run.
 */
const MAX_SLICE_MS = 5;
/** Responses between looks at the clock. */
const CHECK_EVERY = 32;

/** Marks an exception thrown by the caller's own callbacks, which stops the follower. */
class CallbackFailure {
  constructor(readonly error: unknown) {}
}

function guarded<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
  return (...args) => {
    try {
      const result = fn(...args);
      return (result instanceof Promise ? result.catch((err) => { throw new CallbackFailure(err); }) : result) as T;
    } catch (err) {
      throw new CallbackFailure(err);
    }
  };
}

/**
 * Streams flows with follow=true until `signal` aborts, reconnecting with backoff and jitter after
 * any relay failure. Resolves once aborted; rejects only when `query`, `onResponse` or `onState`
 * throws, or the query is malformed (a `since` that is not RFC 3339). A failure is logged when it first occurs, then at most once per `repeatLogEveryMs` as a
 * summary; the repeats in between go to debug.
 */
export async function followRelay(options: FollowRelayOptions): Promise<void> {
  const { client, signal } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? logger('relay-client');
  const backoff = new Backoff(options.backoff, options.random);
  const relay = client.name;
  const nextQuery = guarded(async () => (typeof options.query === 'function' ? options.query() : options.query));
  const onResponse = guarded(options.onResponse);
  const onState = guarded((change: Omit<RelayStateChange, 'relay' | 'failures'>) =>
    options.onState?.({ relay, failures: backoff.attempts, ...change }));
  let logged: { message: string; atMs: number } | undefined;
  let last: RelayError | undefined;

  const connected = (): number => {
    const after = backoff.attempts ? ` after ${backoff.attempts} failed attempts` : '';
    log.info({ relay, transport: client.transport }, `connected to relay ${relay} (${client.transport})${after}`);
    logged = undefined;
    onState({ state: 'connected' });
    return now();
  };

  const logFailure = (error: RelayError, retryInMs: number): void => {
    const fields = { relay, kind: error.kind, failures: backoff.attempts, retryInMs };
    const retry = `retrying in ${seconds(retryInMs)}`;
    const at = now();
    if (logged?.message !== error.message) {
      log.warn(fields, `${error.message}, ${retry}`);
      logged = { message: error.message, atMs: at };
    } else if (at - logged.atMs >= (options.repeatLogEveryMs ?? 60_000)) {
      const still = error.kind === 'unreachable' ? 'unreachable' : 'failing';
      log.warn(fields, `relay ${relay} still ${still} after ${backoff.attempts} attempts (${error.message}), ${retry}`);
      logged.atMs = at;
    } else {
      log.debug(fields, `${error.message}, ${retry}`);
    }
  };

  onState({ state: 'connecting' });
  while (!signal.aborted) {
    let connectedAtMs: number | undefined;
    try {
      const query = await nextQuery();
      const onConnected = () => { connectedAtMs = connected(); };
      let sliceStartMs = performance.now();
      let sinceCheck = 0;
      for await (const response of client.getFlows({ ...query, follow: true, first: undefined }, signal, { onConnected })) {
        // Most responses need no waiting: await (a microtask turn) only when the callback asks for it.
        const wait = onResponse(response);
        if (wait) await wait;
        if (++sinceCheck < CHECK_EVERY) continue;
        sinceCheck = 0;
        if (performance.now() - sliceStartMs < MAX_SLICE_MS) continue;
        await ioTurn();
        sliceStartMs = performance.now();
      }
      if (signal.aborted) break;
      throw new RelayError('disconnected', `relay ${relay} ended the flow stream`);
    } catch (err) {
      // Only relay failures are retried; the caller's exceptions and a malformed query are not.
      if (!(err instanceof RelayError)) throw err instanceof CallbackFailure ? err.error : err;
      if (signal.aborted) break;
      if (connectedAtMs !== undefined) backoff.connectionEnded(now() - connectedAtMs);
      last = err;
      const retryInMs = backoff.nextDelayMs();
      logFailure(last, retryInMs);
      onState({ state: 'reconnecting', lastError: last.message, lastErrorKind: last.kind, retryInMs });
      client.resetConnection();
      await sleep(retryInMs, signal);
    }
  }
  onState({ state: 'stopped', lastError: last?.message, lastErrorKind: last?.kind });
}
