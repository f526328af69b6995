/**
 * Relay failures in plain words: every gRPC error becomes one sentence a person can act on.
 */
import * as grpc from '@grpc/grpc-js';

/** A duration for messages: `2.3 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export type RelayErrorKind =
  | 'unreachable' | 'dns' | 'dial-timeout' | 'tls' | 'disconnected' | 'timeout' | 'rejected' | 'unimplemented' | 'other';

/** A relay failure; `message` is one sentence for a person, `cause` the gRPC error. */
export class RelayError extends Error {
  override name = 'RelayError';
  constructor(readonly kind: RelayErrorKind, message: string, readonly grpcCode?: grpc.status, options?: ErrorOptions) {
    super(message, options);
  }
}

export interface ErrorContext { relay: string; host: string; tls: boolean; clientCert: boolean; method: string; requestTimeout: string }

const TLS_ADVICE = {
  ca: 'set HUBBLE_TLS_CA_FILE to the CA bundle that signed the relay certificate',
  name: 'set HUBBLE_TLS_SERVER_NAME to a name the certificate lists',
  client: 'set HUBBLE_TLS_CLIENT_CERT_FILE and HUBBLE_TLS_CLIENT_KEY_FILE to a certificate the relay trusts',
};

/** grpc-js's details reduced to the cause: no "Last error:" wrapper, timestamp or OpenSSL codes. */
function connectCause(details: string): string {
  const cause = details
    .replace(/^No connection established\. Last error: /, '')
    .replace(/\. Resolution note:[\s\S]*$/, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/, '')
    .replace(/^Error(?: \[\w+\])?: /, '')
    .trim();
  return /SSL routines:[^:]*:([^:]+)/.exec(cause)?.[1] ?? cause;
}

function describeConnectFailure(cause: string, c: ErrorContext): [RelayErrorKind, string] {
  const tlsFailed = `TLS handshake with relay ${c.relay} failed`;
  if (/unable to verify|self[- ]signed|unable to get (?:local )?issuer|UNABLE_TO_/i.test(cause)) {
    return ['tls', `${tlsFailed}: certificate signed by unknown authority (${cause}); ${TLS_ADVICE.ca}`];
  }
  if (/ALTNAME|does not match certificate/i.test(cause)) return ['tls', `${tlsFailed}: the certificate is not valid for this address (${cause.replace(/:$/, '')}); ${TLS_ADVICE.name}`];
  if (/certificate required/i.test(cause)) return ['tls', `${tlsFailed}: the relay requires a client certificate; ${TLS_ADVICE.client}`];
  if (/alert (?:bad|unknown|unsupported|revoked|expired) ?(?:ca|certificate)/i.test(cause)) return ['tls', `${tlsFailed}: the relay rejected our client certificate (${cause}); ${TLS_ADVICE.client}`];
  if (/wrong version number|packet length too long|http request/i.test(cause)) {
    return ['tls', `${tlsFailed}: the relay does not speak TLS on this port (${cause}); drop tls:// and the HUBBLE_TLS_* settings for a plaintext relay`];
  }
  if (/SSL|TLS|certificate/.test(cause)) return ['tls', `${tlsFailed}: ${cause}`];
  const sys = /\b(?:(connect|read|write|getaddrinfo) )?(E[A-Z]{4,})\b/.exec(cause);
  if (sys && /ENOTFOUND|EAI_AGAIN|ESERVFAIL/.test(sys[2])) return ['dns', `cannot resolve relay host "${c.host}" (DNS lookup failed: ${sys[2]})`];
  if (sys) return ['unreachable', `relay ${c.relay} unreachable (${sys[0]})`];
  if (cause === 'Failed to connect' || /closed before/i.test(cause)) {
    if (!c.tls) return ['unreachable', `relay ${c.relay} closed the connection during the HTTP/2 handshake (if it serves TLS, use tls://${c.relay})`];
    const why = c.clientCert ? 'it probably does not trust our client certificate' : 'it probably requires a client certificate';
    return ['tls', `${tlsFailed}: the relay closed the connection during the handshake (${why}); ${TLS_ADVICE.client}`];
  }
  return ['unreachable', `relay ${c.relay} unreachable (${cause})`];
}

/** A gRPC failure as a RelayError whose message says what went wrong and, where known, what to do. */
export function describeGrpcError(err: unknown, c: ErrorContext): RelayError {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code !== 'number') return new RelayError('other', `relay ${c.relay}: ${(err as Error)?.message ?? String(err)}`, undefined, { cause: err });
  const code = e.code;
  const details = (e.details ?? '').trim();
  const plain = details ? ` (${details})` : '';
  const make = (kind: RelayErrorKind, message: string) => new RelayError(kind, message, code, { cause: err });
  const S = grpc.status;
  switch (code) {
    case S.UNAVAILABLE:
      if (details.startsWith('Name resolution failed')) return make('dns', `cannot resolve relay host "${c.host}" (DNS lookup failed)`);
      if (details.startsWith('No connection established')) return make(...describeConnectFailure(connectCause(details), c));
      return make('disconnected', `connection to relay ${c.relay} lost${plain}`);
    case S.CANCELLED:
      return make('disconnected', `relay ${c.relay} cancelled the ${c.method} call${plain}; it may be restarting`);
    case S.DEADLINE_EXCEEDED:
      return make('timeout', `relay ${c.relay} did not answer ${c.method} within ${c.requestTimeout} (request timeout)`);
    case S.UNIMPLEMENTED:
      return make('unimplemented', `relay ${c.relay} does not implement ${c.method}${plain}; is this a Hubble Relay or agent address?`);
    case S.UNAUTHENTICATED:
    case S.PERMISSION_DENIED:
    case S.INVALID_ARGUMENT:
    case S.FAILED_PRECONDITION:
      return make('rejected', `relay ${c.relay} refused ${c.method}: ${S[code]}${plain}`);
    default:
      return make('other', `relay ${c.relay}: ${c.method} failed with ${S[code] ?? code}${plain}`);
  }
}
