/**
 * The page cursor of `GET /api/flows`: the (time, flow_key) of the last flow a page held, as
 * base64url JSON. Opaque to clients; decoding checks it strictly, because its values go into SQL
 * parameters: the time is re-formatted as UTC RFC 3339 and the key may hold no character
 * PostgreSQL text cannot store.
 */
import { formatTimestamp, parseTimestamp } from '../time/timestamp';

/** Where the next page starts (exclusive): a stored flow's time (RFC 3339, UTC) and flow key. */
export interface FlowsCursor {
  time: string;
  flowKey: string;
}

/** A cursor that is not one this API handed out (or was altered). */
export class FlowsCursorError extends Error {
  override name = 'FlowsCursorError';
}

const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z
const MAX_KEY_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// U+0000 and lone surrogates: PostgreSQL text cannot hold them.
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function toBase64url(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new FlowsCursorError('cursor: not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FlowsCursorError('cursor: not UTF-8');
  }
}

/** The opaque text of a cursor. */
export function encodeFlowsCursor(cursor: FlowsCursor): string {
  return toBase64url(JSON.stringify({ time: cursor.time, flowKey: cursor.flowKey }));
}

/** Reads a cursor back; throws FlowsCursorError, with a message naming `cursor`, for anything else. */
export function decodeFlowsCursor(text: string): FlowsCursor {
  let value: unknown;
  try {
    value = JSON.parse(fromBase64url(text));
  } catch (e) {
    if (e instanceof FlowsCursorError) throw e;
    throw new FlowsCursorError('cursor: not a cursor from this API');
  }
  const { time, flowKey } = (value ?? {}) as { time?: unknown; flowKey?: unknown };
  if (typeof time !== 'string' || typeof flowKey !== 'string') throw new FlowsCursorError('cursor: not a cursor from this API');
  const ts = parseTimestamp(time);
  if (!ts || !Number.isFinite(ts.seconds) || ts.seconds < MIN_SECONDS || ts.seconds > MAX_SECONDS) {
    throw new FlowsCursorError('cursor: time out of range');
  }
  if (flowKey.length === 0 || flowKey.length > MAX_KEY_LENGTH || UNSTORABLE.test(flowKey)) {
    throw new FlowsCursorError('cursor: invalid flow key');
  }
  return { time: formatTimestamp(ts), flowKey };
}
