import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Absolute path of the repository's proto/ folder: the include root of every import. */
export const protoDir: string = fileURLToPath(new URL('../../proto', import.meta.url));

/** Entry files; everything else (flow, relay, Google's types) is reached through their imports. */
const entryFiles = ['observer/observer.proto', 'peer/peer.proto'];

/**
 * The object shapes every consumer of these definitions must expect. Chosen for the mappers:
 * proto field names as written (`IP`, `Summary`, `drop_reason_desc`), enums as their names
 * (a number only when the enum has no such member), 64-bit integers as decimal strings,
 * unset fields absent rather than defaulted. No virtual oneof fields: the member that is
 * present is the one that is set, exactly as in protojson.
 */
const protoLoaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: false,
  includeDirs: [protoDir],
};

export interface HubbleProto {
  packageDefinition: protoLoader.PackageDefinition;
  /** Client constructor for `observer.Observer`; its `.service` is the same as `observerService`. */
  Observer: grpc.ServiceClientConstructor;
  /** Method table to hand to `grpc.Server.addService` when serving the Observer API. */
  observerService: grpc.ServiceDefinition;
  Peer: grpc.ServiceClientConstructor;
  peerService: grpc.ServiceDefinition;
}

let cached: HubbleProto | undefined;

/** Parses the Hubble protos once per process and returns the gRPC handles built from them. */
export function loadHubbleProto(): HubbleProto {
  if (cached) return cached;
  const packageDefinition = protoLoader.loadSync(entryFiles, protoLoaderOptions);
  const grpcObject = grpc.loadPackageDefinition(packageDefinition);
  const Observer = serviceConstructor(grpcObject, 'observer', 'Observer');
  const Peer = serviceConstructor(grpcObject, 'peer', 'Peer');
  cached = {
    packageDefinition,
    Observer,
    observerService: Observer.service,
    Peer,
    peerService: Peer.service,
  };
  return cached;
}

function serviceConstructor(
  grpcObject: grpc.GrpcObject,
  pkg: string,
  service: string,
): grpc.ServiceClientConstructor {
  const namespace = grpcObject[pkg];
  const ctor = isGrpcObject(namespace) ? namespace[service] : undefined;
  if (typeof ctor !== 'function' || !('service' in ctor)) {
    throw new Error(`service ${pkg}.${service} missing from the protos in ${protoDir}`);
  }
  return ctor as grpc.ServiceClientConstructor;
}

function isGrpcObject(value: unknown): value is grpc.GrpcObject {
  return typeof value === 'object' && value !== null && !('format' in value);
}
