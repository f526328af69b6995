/**
 * The Observer gRPC API served from any ObserverBackend (the demo cluster now, the history store
 * later), plus the standard health service that `hubble status` checks first. Protobuf objects are
 * mapped to lib's model here and nowhere else.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { FilterError } from '../../lib/filter/filter-error';
import type { FlowFilter } from '../../lib/filter/flow-filter';
import { logger } from '../log/logger';
import { messageFromPb, messageToPb, type PbObject } from './flow-pb';
import { FlowsResponseEncoder } from './flows-response-encoder';
import { loadHubbleProto, protoDir } from './load-proto';
import { InvalidQueryError, type FlowsQuery, type ObserverBackend } from '../../lib/flow/observer';

/** The service name `hubble status` asks the health service about. */
export const OBSERVER_HEALTH_SERVICE = 'hubble.server.Observer';

export interface ObserverServerOptions {
  backend: ObserverBackend;
  /** `host:port`; port 0 binds an ephemeral port. */
  listen: string;
  /** Insecure by default. */
  credentials?: grpc.ServerCredentials;
  /** Overrides the backend's ServerStatus `version`. */
  version?: string;
  /** How long stop() waits for calls to finish before closing connections (default 2,000 ms). */
  shutdownGraceMs?: number;
}

export interface ObserverServer {
  /** `host:port` as bound, with the real port. */
  address: string;
  port: number;
  stop(): Promise<void>;
}

type Call = grpc.ServerWritableStream<PbObject, PbObject>;
/** GetFlows writes responses already encoded (flows-response-encoder.ts); other calls write objects. */
type FlowsCall = grpc.ServerWritableStream<PbObject, Buffer>;

const log = logger('observer-server');
const SHUTDOWN = new Error('server shutting down');

/** GetFlowsRequest as decoded by proto-loader → FlowsQuery. */
export function flowsQueryFromPb(pb: PbObject): FlowsQuery {
  const req = messageFromPb<Record<string, unknown>>(pb);
  const query: FlowsQuery = {
    number: clampUint64(req.number),
    first: req.first === true,
    follow: req.follow === true,
    whitelist: (req.whitelist as FlowFilter[] | undefined) ?? [],
    blacklist: (req.blacklist as FlowFilter[] | undefined) ?? [],
  };
  if (typeof req.since === 'string') query.since = req.since;
  if (typeof req.until === 'string') query.until = req.until;
  return query;
}

/** uint64 arrives as a decimal string; `--all` sends 2^64−1. */
function clampUint64(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  try {
    const n = BigInt(value as string | number);
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : n < 0n ? 0 : Number(n);
  } catch {
    throw new InvalidQueryError(`number: not an unsigned integer: ${String(value)}`);
  }
}

function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof FilterError || err instanceof InvalidQueryError) {
    return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'number' && code in grpc.status) {
    return { code, details: (err as { details?: string; message?: string }).details ?? String(err) };
  }
  log.error({ err }, 'observer call failed');
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

/** Resolves when the call can take more writes, is closed, or the signal aborts. */
function drained(call: FlowsCall, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function streamFlows(backend: ObserverBackend, call: FlowsCall, active: Set<AbortController>): Promise<void> {
  const abort = new AbortController();
  const onCancel = () => abort.abort(new Error('cancelled by client'));
  call.on('cancelled', onCancel);
  active.add(abort);
  let sent = 0;
  const encoder = new FlowsResponseEncoder();
  try {
    const query = flowsQueryFromPb(call.request);
    log.debug({ query, peer: call.getPeer() }, 'GetFlows started');
    for await (const response of backend.getFlows(query, abort.signal)) {
      if (abort.signal.aborted) break;
      sent++;
      if (!call.write(encoder.encode(response))) await drained(call, abort.signal);
    }
    if (call.cancelled) return;
    if (abort.signal.aborted) call.emit('error', { code: grpc.status.UNAVAILABLE, details: SHUTDOWN.message });
    else call.end();
  } catch (err) {
    if (call.cancelled) return;
    call.emit('error', abort.signal.aborted ? { code: grpc.status.UNAVAILABLE, details: SHUTDOWN.message } : toServiceError(err));
  } finally {
    active.delete(abort);
    call.off('cancelled', onCancel);
    log.debug({ sent, cancelled: call.cancelled }, 'GetFlows finished');
  }
}

function unary<T>(fn: () => Promise<T>, toPb: (value: T) => PbObject): grpc.handleUnaryCall<PbObject, PbObject> {
  return (_call, callback) => {
    fn().then(
      (value) => callback(null, toPb(value)),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

function observerImplementation(options: ObserverServerOptions, active: Set<AbortController>): grpc.UntypedServiceImplementation {
  const { backend, version } = options;
  // Hubble Relay answers these two the same way: it serves no agent or debug events.
  const unimplemented = (name: string) => (call: Call) =>
    call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: `${name} not yet implemented` });
  return {
    GetFlows: (call: FlowsCall) => void streamFlows(backend, call, active),
    GetAgentEvents: unimplemented('GetAgentEvents'),
    GetDebugEvents: unimplemented('GetDebugEvents'),
    ServerStatus: unary(backend.serverStatus.bind(backend), (s) => messageToPb(version ? { ...s, version } : s)),
    GetNodes: unary(backend.getNodes.bind(backend), (nodes) => messageToPb({ nodes })),
    GetNamespaces: unary(backend.getNamespaces.bind(backend), (namespaces) => messageToPb({ namespaces })),
  };
}

let healthService: grpc.ServiceDefinition | undefined;

function loadHealthService(): grpc.ServiceDefinition {
  healthService ??= protoLoader.loadSync('grpc/health/v1/health.proto', {
    keepCase: true, longs: String, enums: String, defaults: false, includeDirs: [protoDir],
  })['grpc.health.v1.Health'] as grpc.ServiceDefinition;
  return healthService;
}

/** Open Watch calls map to whether their service is one we serve. */
interface HealthState { serving: boolean; watchers: Map<Call, boolean> }

function healthImplementation(state: HealthState): grpc.UntypedServiceImplementation {
  const known = (service: unknown) => service === undefined || service === '' || service === OBSERVER_HEALTH_SERVICE;
  const status = () => (state.serving ? 'SERVING' : 'NOT_SERVING');
  return {
    Check: (call: grpc.ServerUnaryCall<PbObject, PbObject>, callback: grpc.sendUnaryData<PbObject>) => {
      if (!known(call.request.service)) callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      else callback(null, { status: status() });
    },
    Watch: (call: Call) => {
      const isKnown = known(call.request.service);
      call.write({ status: isKnown ? status() : 'SERVICE_UNKNOWN' });
      state.watchers.set(call, isKnown);
      call.on('cancelled', () => state.watchers.delete(call));
    },
  };
}

function splitHostPort(listen: string): string {
  const i = listen.lastIndexOf(':');
  if (i < 0) throw new Error(`listen address must be host:port, got ${JSON.stringify(listen)}`);
  return listen.slice(0, i);
}

/** The Observer service with GetFlows passing pre-encoded responses through unchanged. */
function observerServiceDefinition(): grpc.ServiceDefinition {
  const service = loadHubbleProto().observerService;
  const getFlows = service.GetFlows;
  const serialize = getFlows.responseSerialize;
  return {
    ...service,
    GetFlows: { ...getFlows, responseSerialize: (value: unknown) => (Buffer.isBuffer(value) ? value : serialize(value)) },
  };
}

/** Starts serving observer.Observer and grpc.health.v1.Health on `listen`. */
export async function startObserverServer(options: ObserverServerOptions): Promise<ObserverServer> {
  const host = splitHostPort(options.listen);
  const server = new grpc.Server();
  const active = new Set<AbortController>();
  const health: HealthState = { serving: true, watchers: new Map() };
  server.addService(observerServiceDefinition(), observerImplementation(options, active));
  server.addService(loadHealthService(), healthImplementation(health));
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen, options.credentials ?? grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  const address = `${host}:${port}`;
  log.info({ address }, 'observer server listening');

  async function stop(): Promise<void> {
    health.serving = false;
    for (const [watcher, isKnown] of health.watchers) {
      if (isKnown) watcher.write({ status: 'NOT_SERVING' });
      watcher.end();
    }
    health.watchers.clear();
    for (const abort of active) abort.abort(SHUTDOWN);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, options.shutdownGraceMs ?? 2000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    log.info({ address }, 'observer server stopped');
  }

  return { address, port, stop };
}
