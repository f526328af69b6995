/**
 * Live-tail state of the flows table, as a pure reducer: stream events go in, and an unchanged
 * state comes back as the very same object, so React skips the render.
 *
 * Live flows sit above the loaded pages, newest first. While paused they wait in `pending` and the
 * visible list does not move. The shown and the pending lists are each capped: the oldest flows
 * go, and `dropped` counts them so the page can say so.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowRowKey } from './flow-rows';

/** Live rows kept at most, shown and pending alike. */
export const LIVE_ROWS_MAX = 100_000;
/** How many of the newest rows a new flow is checked against for repeats (a reconnection resends a few seconds). */
export const LIVE_DEDUPE_WINDOW = 5_000;

export interface LiveFlowsState {
  /** Live flows shown above the loaded pages, newest first. */
  shown: readonly FlowsResponse[];
  /** Flows received while paused, newest first. */
  pending: readonly FlowsResponse[];
  paused: boolean;
  /** Rows ever inserted at the top of the list: the table shifts its scroll position by the change. */
  prepended: number;
  /** Oldest live flows let go to stay within `cap`. */
  dropped: number;
  /** Flows the server dropped because this page read its stream too slowly. */
  lost: number;
  /** Flows the server did not send because more than LIVE_RATE_MAX a second matched (all are stored). */
  limited: number;
  cap: number;
  /** The `after` of the stream these flows came from: rows of another stream are not shown. */
  after?: string;
}

export type LiveFlowsAction =
  /** Flows from the stream, oldest first, as they arrive. */
  | { type: 'flows'; flows: readonly FlowsResponse[] }
  | { type: 'lost'; count: number; reason?: 'behind' | 'rate' }
  | { type: 'pause' }
  /** Shows what is pending and follows again. */
  | { type: 'resume' }
  /** A new stream, starting after `after`: nothing live yet; paused stays as the user set it unless given. */
  | { type: 'reset'; after?: string; paused?: boolean };

export function initialLiveFlows(cap = LIVE_ROWS_MAX, paused = false): LiveFlowsState {
  return { shown: [], pending: [], paused, prepended: 0, dropped: 0, lost: 0, limited: 0, cap };
}

/** Puts `fresh` (newest first) above `list`, keeping at most `cap`; how many old ones went. */
function prependCapped(fresh: readonly FlowsResponse[], list: readonly FlowsResponse[], cap: number): [FlowsResponse[], number] {
  const merged = fresh.length >= cap ? fresh.slice(0, cap) : [...fresh, ...list.slice(0, cap - fresh.length)];
  return [merged, fresh.length + list.length - merged.length];
}

/** The flows of `incoming` that are new, newest first. */
function freshFlows(state: LiveFlowsState, incoming: readonly FlowsResponse[]): FlowsResponse[] {
  const seen = new Set<string>();
  const recent = (list: readonly FlowsResponse[], n: number) => {
    for (let i = 0; i < Math.min(n, list.length); i++) seen.add(flowRowKey(list[i]));
  };
  recent(state.pending, LIVE_DEDUPE_WINDOW);
  recent(state.shown, LIVE_DEDUPE_WINDOW - Math.min(LIVE_DEDUPE_WINDOW, state.pending.length));
  const fresh: FlowsResponse[] = [];
  for (let i = incoming.length - 1; i >= 0; i--) {
    const response = incoming[i];
    if (!response.flow) continue;
    const key = flowRowKey(response);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(response);
  }
  return fresh;
}

export function liveFlowsReducer(state: LiveFlowsState, action: LiveFlowsAction): LiveFlowsState {
  switch (action.type) {
    case 'flows': {
      const fresh = freshFlows(state, action.flows);
      if (fresh.length === 0) return state;
      if (state.paused) {
        const [pending, dropped] = prependCapped(fresh, state.pending, state.cap);
        return { ...state, pending, dropped: state.dropped + dropped };
      }
      const [shown, dropped] = prependCapped(fresh, state.shown, state.cap);
      return { ...state, shown, prepended: state.prepended + fresh.length, dropped: state.dropped + dropped };
    }
    case 'lost':
      if (action.count <= 0) return state;
      return action.reason === 'rate' ? { ...state, limited: state.limited + action.count } : { ...state, lost: state.lost + action.count };
    case 'pause':
      return state.paused ? state : { ...state, paused: true };
    case 'resume': {
      if (!state.paused && state.pending.length === 0) return state;
      const [shown, dropped] = prependCapped(state.pending, state.shown, state.cap);
      return {
        ...state, shown, pending: [], paused: false,
        prepended: state.prepended + state.pending.length, dropped: state.dropped + dropped,
      };
    }
    case 'reset': {
      const paused = action.paused ?? state.paused;
      const empty = state.shown.length === 0 && state.pending.length === 0 && state.dropped === 0 && state.lost === 0 && state.limited === 0;
      if (empty && state.after === action.after && state.paused === paused) return state;
      return { ...initialLiveFlows(state.cap, paused), prepended: state.prepended, ...(action.after ? { after: action.after } : {}) };
    }
  }
}
