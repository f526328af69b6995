/**
 * Client of Hubble Relay's Observer API, with the hubble CLI's connection habits: dial within
 * 5 s, unary requests within 12 s, TLS/mTLS options, and every failure turned into one sentence
 * a person can act on (RelayError, relay-errors.ts). follow-relay.ts keeps a stream alive across outages.
 */
import * as grpc from '@grpc/grpc-js';
import type { RelayTlsConfig } from '../config';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { FlowsQuery, ObserverNamespace, ObserverNode, ServerStatus } from '../../lib/flow/observer';
import { parseTimestamp } from '../../lib/time/timestamp';
import { loadHubbleProto } from './load-proto';
import { messageFromPb, messageToPb, type PbObject } from './flow-pb';
import { deserializeFlowsResponse } from './flows-response-decoder';
import { parseRelayAddress, type RelayAddress } from './relay-address';
import { relayCredentials } from './relay-credentials';
import { RelayError, describeGrpcError, seconds } from './relay-errors';

export interface RelayClientOptions {
  /** `host:port`, `tls://host:port`, `[ipv6]:port` or a bare host (port 4245). */
  address: string;
  tls?: RelayTlsConfig;
  /** How long a connection may take to come up (hubble `--timeout`). */
  dialTimeoutMs?: number;
  /** Deadline of ServerStatus, GetNodes, GetNamespaces (hubble `--request-timeout`). */
  requestTimeoutMs?: number;
  /** HTTP/2 receive window, bytes (default 32 MiB): what may wait unread in the connection. */
  receiveWindowBytes?: number;
}

export interface FlowsStreamOptions {
  /** Called once the connection is up and the stream has been opened. */
  onConnected?: () => void;
}

type UnaryMethod = 'ServerStatus' | 'GetNodes' | 'GetNamespaces';
type UnaryFn = (req: PbObject, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: PbObject) => void) => void;

const { READY, TRANSIENT_FAILURE, SHUTDOWN } = grpc.connectivityState;

export class RelayClient {
  readonly address: RelayAddress;
  /** `plaintext` or what the TLS setup is, for logs. */
  readonly transport: string;
  private readonly tls: { on: boolean; clientCert: boolean };
  readonly dialTimeoutMs: number;
  readonly requestTimeoutMs: number;
  private readonly credentials: grpc.ChannelCredentials;
  private readonly channelOptions: grpc.ChannelOptions;
  private client: grpc.Client | undefined;
  private closed = false;

  /** Throws ConfigError when the address or the TLS files are unusable. */
  constructor(options: RelayClientOptions) {
    this.address = parseRelayAddress(options.address);
    const creds = relayCredentials(this.address, options.tls ?? { allowInsecure: false });
    this.credentials = creds.credentials;
    this.transport = creds.description;
    this.tls = { on: creds.tls, clientCert: creds.clientCert };
    this.dialTimeoutMs = options.dialTimeoutMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 12_000;
    this.channelOptions = {
      ...creds.channelOptions,
      // A private subchannel, so that resetConnection() really dials again instead of
      // inheriting grpc-js's own reconnect backoff from a shared one.
      'grpc.use_local_subchannel_pool': 1,
      // Notice a silently dead relay during a quiet follow stream; Go servers refuse pings
      // more often than every 5 minutes.
      'grpc.keepalive_time_ms': 330_000,
      'grpc.keepalive_timeout_ms': 20_000,
      // While the relay is down the channel keeps retrying in the background; 10 s instead of
      // grpc-js's 120 s lets unary calls (status pages) notice a returning relay promptly.
      'grpc.max_reconnect_backoff_ms': 10_000,
      // HTTP/2's default 64 KiB receive window caps a stream at 64 KiB per round trip of a
      // WINDOW_UPDATE, and the round trip includes this process's event-loop delay: under web
      // load (tens of ms) that held GetFlows to ~5,000 flows/s while the relay dropped the rest.
      // The window is also all that waits unread while the collector is busy: beyond it the
      // relay's own buffer (about a second of flows) overflows and reports lost events. With
      // 2 MiB (~3,500 flows) a two-core machine lost flows whenever 50 sessions opening at once
      // took the collector's CPU for a second (bench/load.ts: 2,232–7,411 lost in 3 of 5 runs);
      // 32 MiB (~55,000 flows, under 3 s at 20,000 flows/s) lost none in the runs that followed.
      'grpc-node.flow_control_window': options.receiveWindowBytes ?? 32 * 1024 * 1024,
    };
  }

  /** `host:port`, as messages name the relay. */
  get name(): string {
    return this.address.target;
  }

  /**
   * Streams GetFlows. Ends when the relay ends the stream, or quietly when `signal` aborts
   * (the call is cancelled); any failure is thrown from the iterator as a RelayError.
   */
  async *getFlows(query: FlowsQuery, signal?: AbortSignal, options: FlowsStreamOptions = {}): AsyncIterable<FlowsResponse> {
    const request = flowsRequestToPb(query);
    if (signal?.aborted) return;
    const ready = await this.dial(signal);
    if (signal?.aborted) return;
    if (ready) options.onConnected?.();
    // Responses are decoded straight into FlowsResponse (flows-response-decoder.ts), not through proto-loader's objects.
    const method = loadHubbleProto().observerService.GetFlows;
    const call = this.grpc().makeServerStreamRequest<PbObject, FlowsResponse>(method.path, method.requestSerialize, deserializeFlowsResponse, request);
    const cancel = () => call.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const response of call) yield response as FlowsResponse;
    } catch (err) {
      if (signal?.aborted) return;
      throw this.toError(err, 'GetFlows');
    } finally {
      signal?.removeEventListener('abort', cancel);
      call.cancel();
    }
  }

  async serverStatus(): Promise<ServerStatus> {
    return messageFromPb<ServerStatus>(await this.unary('ServerStatus'));
  }

  async getNodes(): Promise<ObserverNode[]> {
    return messageFromPb<{ nodes?: ObserverNode[] }>(await this.unary('GetNodes')).nodes ?? [];
  }

  async getNamespaces(): Promise<ObserverNamespace[]> {
    return messageFromPb<{ namespaces?: ObserverNamespace[] }>(await this.unary('GetNamespaces')).namespaces ?? [];
  }

  /** Drops the channel; the next call dials afresh. Calls already under way continue. */
  resetConnection(): void {
    this.client?.close();
    this.client = undefined;
  }

  close(): void {
    this.closed = true;
    this.resetConnection();
  }

  private grpc(): grpc.Client {
    if (this.closed) throw new RelayError('other', `the client for relay ${this.name} has been closed`);
    this.client ??= new (loadHubbleProto().Observer)(this.address.target, this.credentials, this.channelOptions);
    return this.client;
  }

  /**
   * Waits until the channel is READY (true) or has failed (false: the call that follows fails at
   * once, carrying grpc-js's reason, e.g. ECONNREFUSED or the TLS error). Neither within the dial
   * timeout is a RelayError of its own.
   */
  private async dial(signal?: AbortSignal): Promise<boolean> {
    const channel = this.grpc().getChannel();
    const deadline = Date.now() + this.dialTimeoutMs;
    for (;;) {
      const state = channel.getConnectivityState(true);
      if (state === READY) return true;
      if (state === TRANSIENT_FAILURE || signal?.aborted) return false;
      if (state === SHUTDOWN) throw new RelayError('other', `the connection to relay ${this.name} was closed while dialling`);
      const changed = await new Promise<boolean>((resolve) => {
        const onAbort = () => resolve(true);
        signal?.addEventListener('abort', onAbort, { once: true });
        channel.watchConnectivityState(state, deadline, (err) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(!err);
        });
      });
      if (!changed) {
        throw new RelayError('dial-timeout', `relay ${this.name} did not complete the connection within ${seconds(this.dialTimeoutMs)} (dial timeout; is the address right and the port open?)`);
      }
    }
  }

  private async unary(method: UnaryMethod): Promise<PbObject> {
    await this.dial();
    const client = this.grpc() as unknown as Record<UnaryMethod, UnaryFn>;
    return new Promise((resolve, reject) => {
      client[method].call(client, {}, { deadline: Date.now() + this.requestTimeoutMs }, (err, res) => {
        if (err) reject(this.toError(err, method));
        else resolve(res ?? {});
      });
    });
  }

  private toError(err: unknown, method: string): RelayError {
    if (err instanceof RelayError) return err;
    return describeGrpcError(err, {
      relay: this.name,
      host: this.address.host,
      tls: this.tls.on,
      clientCert: this.tls.clientCert,
      method,
      requestTimeout: seconds(this.requestTimeoutMs),
    });
  }
}

/** FlowsQuery → GetFlowsRequest as proto-loader encodes it. */
export function flowsRequestToPb(query: FlowsQuery): PbObject {
  for (const key of ['since', 'until'] as const) {
    const value = query[key];
    if (value !== undefined && !parseTimestamp(value)) throw new RangeError(`GetFlows ${key}=${value}: not an RFC 3339 timestamp`);
  }
  const number = query.number === undefined ? undefined : Math.min(Math.max(0, Math.floor(query.number)), Number.MAX_SAFE_INTEGER);
  return messageToPb({
    number: number ? String(number) : undefined,
    first: query.first || undefined,
    follow: query.follow || undefined,
    whitelist: query.whitelist?.length ? query.whitelist : undefined,
    blacklist: query.blacklist?.length ? query.blacklist : undefined,
    since: query.since,
    until: query.until,
  });
}
