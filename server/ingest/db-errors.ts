/**
 * Database failures as the collector must treat them: most are retried until they pass (the server
 * is restarting, a connection broke, a deadlock), but a batch the server rejects for its content
 * would fail forever, so those are told apart and the batch is split to isolate the bad flow.
 */

export type DbFailureKind = 'unavailable' | 'rejected-data' | 'other';

const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED',
]);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  const e = err as { message?: unknown };
  if (typeof e?.message === 'string' && e.message) return e.message;
  const code = codeOf(err);
  // AggregateError (a host with several addresses) has an empty message and the codes inside.
  const inner = (err as { errors?: unknown[] })?.errors?.map(messageOf).filter(Boolean);
  return inner?.length ? inner.join('; ') : code ?? String(err);
}

/** How to treat a failed write. */
export function classifyDbFailure(err: unknown): DbFailureKind {
  const code = codeOf(err);
  if (code && NODE_NETWORK_CODES.has(code)) return 'unavailable';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    const cls = code.slice(0, 2);
    // 22 data exception, 23 integrity constraint, 54 program limit (a row too large).
    if (cls === '22' || cls === '23' || cls === '54') return 'rejected-data';
    // 08 connection, 57 operator intervention (shutdown, starting up), 53 resources (disk full).
    if (cls === '08' || cls === '57' || cls === '53' || cls === '58') return 'unavailable';
    return 'other';
  }
  if (/connection|terminated|timeout|ECONN|closed/i.test(messageOf(err))) return 'unavailable';
  return 'other';
}

/** One line for the status page and logs. */
export function describeDbFailure(err: unknown): string {
  const text = messageOf(err).replace(/\s+/g, ' ').trim();
  switch (classifyDbFailure(err)) {
    case 'unavailable': return `database unavailable: ${text}`;
    case 'rejected-data': return `database rejected a batch: ${text}`;
    case 'other': return `database write failed: ${text}`;
  }
}
