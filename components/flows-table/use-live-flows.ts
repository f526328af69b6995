'use client';

import { useEffect, useState, type Dispatch } from 'react';
import { flowsLiveUrl, type LiveFlowsEvent, type LiveLostEvent, type LiveReadyEvent } from '../../lib/api/flows-live';
import { refusalOf } from '../api/api-request';
import type { LiveFlowsAction } from './live-flows';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface LiveConnectionState {
  status: LiveStatus;
  /** Why the stream failed for good. */
  error?: string;
  /** False when stored flows since the window's end could not all be sent: some may be missing. */
  complete: boolean;
}

const OFF: LiveConnectionState = { status: 'off', complete: true };

/** EventSource hides a refused request's body; asking again with fetch reads the API's message. */
async function refusalMessage(url: string, signal: AbortSignal): Promise<string> {
  try {
    const res = await fetch(url, { cache: 'no-store', signal });
    if (res.ok) {
      await res.body?.cancel();
      return 'the live stream closed; turn Live off and on to reconnect';
    }
    return (await refusalOf(res)).message;
  } catch (err) {
    return `the live stream is unreachable (${err instanceof Error ? err.message : String(err)})`;
  }
}

/**
 * Streams the flows matching `q` stored after `after` into the live reducer while `enabled`. The
 * browser reconnects by itself (resuming from the last event id); a refused stream is not retried.
 */
export function useLiveFlows(opts: { q: string; after?: string; enabled: boolean; dispatch: Dispatch<LiveFlowsAction> }): LiveConnectionState {
  const { q, after, enabled, dispatch } = opts;
  const [state, setState] = useState<LiveConnectionState>(OFF);

  useEffect(() => {
    // Turned off, the tail forgets a pause too: turned on again it follows.
    dispatch(enabled ? { type: 'reset', after } : { type: 'reset', after, paused: false });
    if (!enabled) {
      setState(OFF);
      return;
    }
    const url = flowsLiveUrl({ q, after });
    const source = new EventSource(url);
    const abort = new AbortController();
    setState({ status: 'connecting', complete: true });
    const data = <T,>(event: Event) => JSON.parse((event as MessageEvent<string>).data) as T;
    source.addEventListener('ready', (event) => {
      setState({ status: 'live', complete: data<LiveReadyEvent>(event).complete });
    });
    source.addEventListener('flows', (event) => dispatch({ type: 'flows', flows: data<LiveFlowsEvent>(event).flows }));
    source.addEventListener('lost', (event) => {
      const lost = data<LiveLostEvent>(event);
      dispatch({ type: 'lost', count: lost.count, reason: lost.reason });
    });
    source.addEventListener('open', () => setState((s) => (s.status === 'reconnecting' ? { ...s, status: 'live' } : s)));
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        setState((s) => ({ ...s, status: 'reconnecting' }));
        return;
      }
      setState((s) => ({ ...s, status: 'failed' }));
      void refusalMessage(url, abort.signal).then((error) => {
        if (!abort.signal.aborted) setState((s) => ({ ...s, status: 'failed', error }));
      });
    };
    return () => {
      abort.abort();
      source.close();
    };
  }, [q, after, enabled, dispatch]);

  return state;
}
